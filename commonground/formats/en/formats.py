# One way of writing dates and times in English everywhere (pages, emails, PDF and
# DOCX exports): "7 Dec 2026" and "7 Dec 2026, 18:23". Every template names one of
# these formats instead of a pattern of its own (test_dates_have_one_format).
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"
