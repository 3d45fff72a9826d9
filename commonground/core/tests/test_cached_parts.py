"""Every cached part follows the data at once (issue 23).

``CACHED_PARTS`` lists every part cached through ``core.audit`` (its name, and how to
read it as its page does). For each, the part is read (and so cached), the data
changes through a service, and the very next read must show the change. The part's
builder is replaced by a probe that reads the partnership's name afresh, so the test
checks the caching itself: the key, the version it is read under, the call site.
A cached part added to the code without a row here fails
``test_every_cached_part_is_listed``; code that writes to the default cache (the
security store) or uses Django's cache tag fails ``test_no_page_part_in_the_default_cache``.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from commonground.core import versions
from commonground.core.audit import audit_record, cached_while_unchanged, partnership_version
from commonground.partnerships.models import Partnership
from commonground.partnerships.services import partnership_update

ROOT = Path(__file__).resolve().parents[3]


def fresh_name(partnership: Any) -> str:
    return Partnership.objects.get(pk=partnership.pk).name


@dataclass(frozen=True)
class Part:
    name: str
    builder: str  # "module:attribute" the cached call builds with (replaced by a probe)
    read: Callable[[Any], Any]  # read the part as its page does, given the world
    probe: Callable[[Any], Any] = fresh_name  # what the replaced builder returns
    shown: Callable[[Any], str] = str  # the probe's value, as read back
    across: bool = False  # cached until any change (across partnerships)


def _report(world: Any) -> Any:
    from commonground.library.reports import ReportParams, render_sections

    return render_sections(
        ReportParams(world.partnership, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "")
    )


def _meeting(world: Any) -> Any:
    from commonground.meetings.selectors import meeting_page

    return meeting_page(world.partnership, 1)


def _round(world: Any) -> Any:
    from commonground.healthchecks.selectors import settled_results

    return settled_results(
        SimpleNamespace(pk=1, status="closed", partnership=world.partnership)  # type: ignore[arg-type]
    )


def _indicator(world: Any) -> Any:
    from commonground.results.selectors import indicator_parts
    from commonground.results.tests.factories import IndicatorFactory

    if "indicator" not in world.extra:
        world.extra["indicator"] = IndicatorFactory(partnership=world.partnership)
    return indicator_parts(world.extra["indicator"]).chart


def _network(partnerships: Callable[[Any], list[Any]]) -> Callable[[Any], Any]:
    def read(world: Any) -> Any:
        from commonground.systemmap.selectors import NetworkFilters, remembered_network

        return remembered_network(partnerships(world), NetworkFilters())

    return read


def _probe_tuple(p: Any) -> Any:
    return (SimpleNamespace(name=fresh_name(p)), [], {})


CACHED_PARTS = [
    Part(
        "home",
        "commonground.partnerships.selectors:render_to_string",
        lambda w: __import__(
            "commonground.partnerships.selectors"
        ).partnerships.selectors.home_shared(w.partnership)["people"],
    ),
    Part("report", "commonground.library.reports:build_sections", _report),
    Part(
        "ledger-totals",
        "commonground.contributions.selectors:totals",
        lambda w: __import__(
            "commonground.contributions.selectors"
        ).contributions.selectors.remembered_totals(w.partnership),
    ),
    Part(
        "meeting-page",
        "commonground.meetings.selectors:_meeting_page",
        _meeting,
        probe=_probe_tuple,
        shown=lambda value: value[0].name,
    ),
    Part(
        "attendance-trend",
        "commonground.meetings.selectors:_attendance_trend",
        lambda w: __import__("commonground.meetings.selectors").meetings.selectors.attendance_trend(
            w.partnership
        ),
    ),
    Part("round-results", "commonground.healthchecks.selectors:round_results", _round),
    Part("indicator-page", "commonground.results.selectors:chart_data", _indicator),
    Part(
        "system-map",
        "commonground.systemmap.selectors:network",
        _network(lambda w: [w.partnership]),
    ),
    Part(
        "system-map",
        "commonground.systemmap.selectors:network",
        _network(lambda w: [w.partnership, w.other_partnership]),
        across=True,
    ),
    Part(
        "alliance-indicators",
        "commonground.atlas.selectors:_alliance_indicators",
        lambda w: __import__("commonground.atlas.selectors").atlas.selectors.alliance_indicators(
            Partnership.objects.filter(pk__in=[w.partnership.pk, w.other_partnership.pk])
        ),
        across=True,
    ),
    Part(
        "evidence",
        "commonground.core.evidence:_compute",
        lambda w: __import__("commonground.core.evidence").core.evidence.evidence_for(
            w.partnership, ["prepare.trigger.trigger-written"], remember=True
        ),
    ),
    Part(
        "action-board",
        "commonground.actionplan.selectors:board",
        lambda w: __import__(
            "commonground.actionplan.selectors"
        ).actionplan.selectors.remembered_board(w.partnership, QueryDict("")),
    ),
    Part(
        "action-summary",
        "commonground.actionplan.selectors:_summary",
        lambda w: __import__("commonground.actionplan.selectors").actionplan.selectors.summary(
            w.partnership
        ),
    ),
]


def _ids(part: Part) -> str:
    return part.name + (" (across)" if part.across else "")


@pytest.mark.django_db
@pytest.mark.parametrize("part", CACHED_PARTS, ids=_ids)
def test_a_change_through_a_service_shows_at_once(part, world, monkeypatch):
    module, attribute = part.builder.split(":")
    built: list[Any] = []

    def probe(*args: Any, **kwargs: Any) -> Any:
        value = part.probe(world.partnership)
        built.append(value)
        return value

    monkeypatch.setattr(f"{module}.{attribute}", probe)
    manager = world.user("manager")
    assert "Matrix Partnership" in part.shown(part.read(world))
    count = len(built)
    assert count >= 1
    part.read(world)
    assert len(built) == count, "the part is not cached"

    # The partnership (or, for parts across partnerships, another one) changes through
    # its service; the next read shows it.
    changed = world.other_partnership if part.across else world.partnership
    partnership_update(actor=manager, partnership=changed, name="Renamed Partnership")
    if part.across:
        # The probe reads the first partnership: rename it outside any service so the
        # value changes, while only the service change on the other one moves the key.
        Partnership.objects.filter(pk=world.partnership.pk).update(name="Renamed Partnership")
    assert "Renamed Partnership" in part.shown(part.read(world))


def test_every_cached_part_is_listed():
    calls = re.compile(
        r"cached_while_unchanged\(\s*[^,]+,\s*\"([^\"]+)\"|cached_until_any_change\(\s*\"([^\"]+)\""
    )
    found = set()
    for path in (ROOT / "commonground").rglob("*.py"):
        if "tests" in path.parts or path.name == "audit.py":
            continue
        for match in calls.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    listed = {part.name for part in CACHED_PARTS}
    assert found - listed == set(), "cached parts without a row in CACHED_PARTS"
    assert listed - found == set(), "rows in CACHED_PARTS for parts no longer cached"


def test_no_page_part_in_the_default_cache():
    """The default cache is the security store; page parts go through core.audit /
    core.cache.page_cache. Django's {% cache %} tag would write to the default cache."""
    offenders = []
    for path in (ROOT / "commonground").rglob("*"):
        if path.suffix not in {".py", ".html", ".txt", ".jinja", ".j2"} or "tests" in path.parts:
            continue
        text = path.read_text(errors="ignore")
        if path.name != "cache.py" and re.search(
            r"from django\.core\.cache import cache\b|caches\[\s*[\"']default|{%\s*cache\b|cache_page",
            text,
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- the version moves at commit, not at insert ------------------------------------------


@pytest.mark.django_db
def test_a_transaction_that_commits_late_still_moves_the_version(world):
    """Audit ids are handed out at INSERT; the slow transaction below got the lower id
    but commits after the fast one. Keyed on the latest audit id, the version read
    between the two commits would equal the one after both, and the slow change would
    never be seen under the cached key. Deterministic form (SQLite cannot run the two
    writers at once): the slow transaction's event is given an id below the fast one's,
    as PostgreSQL would have."""
    from commonground.core.models import AuditEvent

    p = world.partnership
    spare = audit_record(actor=None, partnership=p, verb="x", summary="spare id")
    audit_record(actor=None, partnership=p, verb="fast", summary="fast transaction")
    spare_id = spare.pk
    AuditEvent.objects.filter(pk=spare_id).delete()
    versions.bump_marked()
    between = partnership_version(p)
    with transaction.atomic():  # the slow transaction, committing last
        slow = audit_record(actor=None, partnership=p, verb="slow", summary="slow")
        AuditEvent.objects.filter(pk=slow.pk).update(id=spare_id)
    versions.bump_marked()
    assert partnership_version(p) != between


@pytest.mark.django_db
def test_reading_a_version_never_writes(world):
    versions.bump_marked()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        partnership_version(world.partnership)
        cached_while_unchanged(world.partnership, "probe", [], lambda: 1)
    reads = [q["sql"] for q in ctx.captured_queries if "core_dataversion" in q["sql"]]
    assert len(reads) == 2 and all(sql.startswith("SELECT") for sql in reads)


@pytest.mark.django_db
def test_a_write_that_forgot_to_audit_still_moves_the_version(world):
    from commonground.actionplan.tests.factories import ActionFactory

    versions.bump_marked()
    before = partnership_version(world.partnership)
    ActionFactory(partnership=world.partnership)  # a plain save, no service, no audit
    versions.bump_marked()
    assert partnership_version(world.partnership) > before


@pytest.mark.django_db
def test_a_row_without_its_own_partnership_key_moves_its_partnership(world):
    """An agenda item reaches its partnership through its meeting; deleting the meeting
    (a cascade) loads no parent per deleted child and fails on none."""
    from commonground.meetings.tests.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(partnership=world.partnership)
    versions.bump_marked()
    before = partnership_version(world.partnership)
    from commonground.meetings.models import AgendaItem

    item = AgendaItem.objects.get(pk=AgendaItemFactory(meeting=meeting).pk)  # parent not loaded
    versions.bump_marked()
    assert partnership_version(world.partnership) > before
    item.title = "Changed without a service"
    item.save()
    versions.bump_marked()
    assert partnership_version(world.partnership) > before + 1
    meeting.delete()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transactions_on_postgresql():
    """The real interleaving: a slow writer inserts first, a fast one inserts and
    commits, a reader reads the version, then the slow one commits. The version after
    both commits must differ from the one read between them."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; see the deterministic test above")
    from commonground.partnerships.tests.factories import PartnershipFactory

    p = PartnershipFactory()
    slow_inserted = threading.Event()
    fast_done = threading.Event()

    def slow() -> None:
        with transaction.atomic():
            audit_record(actor=None, partnership=p, verb="slow", summary="slow")
            slow_inserted.set()
            assert fast_done.wait(30)
        connection.close()

    worker = threading.Thread(target=slow)
    worker.start()
    assert slow_inserted.wait(30)
    with transaction.atomic():
        audit_record(actor=None, partnership=p, verb="fast", summary="fast")
    between = partnership_version(p)
    fast_done.set()
    worker.join(30)
    assert partnership_version(p) != between
