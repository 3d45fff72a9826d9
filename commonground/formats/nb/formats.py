# Norwegian: "7. des. 2026" and "7. des. 2026 kl. 18:23", everywhere (see en/formats.py).
DATE_FORMAT = "j. N Y"
SHORT_DATE_FORMAT = "j. N Y"
DATETIME_FORMAT = r"j. N Y \k\l. H:i"
SHORT_DATETIME_FORMAT = r"j. N Y \k\l. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. N"
