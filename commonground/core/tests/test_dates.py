"""Dates and times are written one way per language, everywhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from commonground.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT"}
# For machines, not people: ISO dates in links and in <input type="date"> values.
MACHINE = {"Y-m-d"}
ROOT = Path(settings.BASE_DIR)


def test_templates_name_the_formats_of_the_language_instead_of_patterns():
    own = []
    for path in [*ROOT.glob("commonground/**/templates/**/*"), *ROOT.glob("templates/**/*")]:
        if path.suffix not in (".html", ".txt") or not path.is_file():
            continue
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text(encoding="utf-8")):
            if fmt not in NAMED | MACHINE:
                own.append(f"{path.relative_to(ROOT)}: {fmt}")
    assert not own, "use a named format (DATE_FORMAT, DATETIME_FORMAT, …):\n" + "\n".join(own)


def test_python_code_formats_dates_for_people_through_the_language():
    found = []
    for path in ROOT.glob("commonground/**/*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if ".strftime(" in path.read_text(encoding="utf-8"):
            found.append(str(path.relative_to(ROOT)))
    assert not found, found


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [("en", "7 Dec 2026", "7 Dec 2026, 18:30"), ("nb", "7. des. 2026", "7. des. 2026 kl. 18:30")],
)
def test_a_page_shows_dates_in_the_one_format_of_its_language(
    world, client_for, language, date, moment
):
    import datetime

    from django.utils import timezone

    starts = timezone.make_aware(datetime.datetime(2026, 12, 7, 18, 30))
    meeting = MeetingFactory(
        partnership=world.partnership, title="Autumn meeting", starts_at=starts
    )
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert moment in page or date in page
    for other in ("12/07/2026", "Dec. 7, 2026", "p.m.", "2026-12-07 18:30"):
        assert other not in page
    listing = client.get(reverse("meetings:list", kwargs={"slug": world.partnership.slug}))
    assert date in listing.content.decode()
