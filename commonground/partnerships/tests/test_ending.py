"""Ending a partnership well: the guided steps, the refusal to end early, the read-only
workspace afterwards, the data room's end rules, and the ending in the story and report."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from commonground.core import policy
from commonground.core.models import AuditEvent
from commonground.core.testing import assert_queries_do_not_grow
from commonground.library.reports import Audience, ReportParams, build_sections
from commonground.library.selectors import timeline
from commonground.library.tests.factories import make_document
from commonground.partnerships import services
from commonground.partnerships.models import Ending

pytestmark = pytest.mark.django_db

LESSONS = {
    "lesson_achievements": "Two reuse hubs opened.",
    "lesson_contributions": "The city gave space, the NGO volunteers.",
    "lesson_adaptation": "We moved from one hub to two smaller ones.",
    "lesson_communication": "Funders heard of delays too late.",
}


def walk(p, actor, *, upto: str = "announcement") -> Ending:
    steps = {
        "dissatisfaction": {"dissatisfaction_note": "Told the board and the fund in March."},
        "agreement": {"agreement_ids": [], "agreement_note": "Six months' notice; files return."},
        "mediator": {"mediator_needed": False},
        "lessons": LESSONS,
        "announcement": {
            "announcement": "The partnership has done its work and ends on 1 June.",
            "announce_on": datetime.date(2026, 6, 1),
        },
    }
    ending = None
    for step, fields in steps.items():
        ending = services.ending_step_save(actor=actor, partnership=p, step=step, **fields)
        if step == upto:
            break
    assert ending is not None
    return ending


def test_steps_go_in_order_and_each_keeps_who_and_when(world):
    p, manager = world.partnership, world.users["manager"]
    with pytest.raises(ValidationError, match="Tell partners and funders first"):
        services.ending_step_save(
            actor=manager, partnership=p, step="agreement", agreement_note="x", agreement_ids=[]
        )
    with pytest.raises(ValidationError):
        services.ending_step_save(
            actor=manager, partnership=p, step="dissatisfaction", dissatisfaction_note=" "
        )
    ending = walk(p, manager, upto="mediator")
    assert ending.dissatisfaction_by == manager and ending.dissatisfaction_at is not None
    assert ending.mediator_by == manager and not ending.mediator_needed
    assert services.ending_missing(ending) == ["lessons", "announcement"]
    # a mediator brought in must be named
    with pytest.raises(ValidationError):
        services.ending_step_save(
            actor=manager, partnership=p, step="mediator", mediator_needed=True
        )


def test_cannot_end_without_the_four_lessons_and_the_announcement(world):
    p, manager = world.partnership, world.users["manager"]
    walk(p, manager, upto="mediator")
    services.ending_step_save(
        actor=manager, partnership=p, step="lessons", **{**LESSONS, "lesson_adaptation": ""}
    )
    with pytest.raises(ValidationError, match="Record the lessons, Announce the ending"):
        services.partnership_end(actor=manager, partnership=p)
    p.refresh_from_db()
    assert p.status == "active"


def test_ending_makes_it_read_only_runs_the_data_room_rules_and_records_it(world):
    p, manager = world.partnership, world.users["manager"]
    org, org2 = world.organisation, world.second_organisation
    archived = make_document(p, org, title="Archive me", end_rule="archive")
    deleted = make_document(p, org2, title="Delete me", end_rule="delete")
    returned = make_document(p, org, title="Return me", end_rule="return")
    path = deleted.versions.get().file.path
    walk(p, manager)
    services.partnership_end(actor=manager, partnership=p)
    p.refresh_from_db()
    assert p.status == "ended" and p.ended_on is not None
    for doc in (archived, deleted, returned):
        doc.refresh_from_db()
    assert (archived.status, deleted.status, returned.status) == (
        "archived",
        "deleted",
        "returned",
    )
    assert not os.path.exists(path)
    assert AuditEvent.objects.filter(verb="library.retention_apply", actor=manager).count() == 3
    # read-only: capabilities other than reading are gone, for admins too
    for role in ("manager", "representative", "admin"):
        user = world.users[role]
        assert policy.has_capability(user, p, "partnership.view")
        assert not policy.has_capability(user, p, "partnership.manage")
    assert p not in policy.partnerships_with(world.users["manager"], "partnership.manage")
    assert p in policy.partnerships_with(world.users["manager"], "partnership.view")
    # every service refuses a person's change
    with pytest.raises(PermissionDenied, match="read-only"):
        services.partnership_update(actor=manager, partnership=p, name="Renamed")
    with pytest.raises(ValidationError):
        services.partnership_end(actor=manager, partnership=p)
    p.refresh_from_db()
    assert p.name != "Renamed"


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "The partnership ended"), ("nb", "Partnerskapet ble avsluttet")],
)
def test_story_and_report_record_the_ending(world, language, text):
    p, manager = world.partnership, world.users["manager"]
    walk(p, manager)
    services.partnership_end(actor=manager, partnership=p)
    p.refresh_from_db()
    with translation.override(language):
        titles = [e.title for e in timeline(p)]
        assert any(t.startswith(text) for t in titles), titles
        today = datetime.date.today()
        for audience in (Audience.PARTNERS, Audience.PUBLIC):
            html = "".join(
                build_sections(
                    ReportParams(p, today - datetime.timedelta(days=30), today, audience)
                )
            )
            assert "ends on 1 June" in html
            assert ("Funders heard of delays" in html) == (audience == Audience.PARTNERS)


def test_pages_after_ending(world, client_for):
    p, manager = world.partnership, world.users["manager"]
    walk(p, manager)
    services.partnership_end(actor=manager, partnership=p)
    slug = {"slug": p.slug}
    home = client_for("representative").get(reverse("partnerships:home", kwargs=slug))
    assert home.status_code == 200
    assert b"ends on 1 June" in home.content and b"read-only" in home.content
    page = client_for("observer").get(reverse("partnerships:ending", kwargs=slug))
    assert page.status_code == 200 and b"Funders heard of delays" in page.content
    refused = client_for("manager").post(reverse("partnerships:edit", kwargs=slug), {"name": "x"})
    assert refused.status_code == 403 and b"read-only" in refused.content
    refused = client_for("admin").post(
        reverse("partnerships:ending_step", kwargs={**slug, "step": "lessons"}), LESSONS
    )
    assert refused.status_code == 403
    assert (
        client_for("outsider").get(reverse("partnerships:ending", kwargs=slug)).status_code == 404
    )


def test_the_ending_page_walks_the_steps_for_managers(world, client_for):
    p = world.partnership
    client = client_for("manager")
    url = reverse("partnerships:ending", kwargs={"slug": p.slug})
    page = client.get(url)
    assert (
        page.status_code == 200 and b'name="dissatisfaction-dissatisfaction_note"' in page.content
    )
    step = reverse("partnerships:ending_step", kwargs={"slug": p.slug, "step": "agreement"})
    early = client.post(step, {"agreement-agreement_note": "x"})
    assert early.status_code == 400 and b"first" in early.content
    step = reverse("partnerships:ending_step", kwargs={"slug": p.slug, "step": "dissatisfaction"})
    saved = client.post(step, {"dissatisfaction-dissatisfaction_note": "Told them."})
    assert saved.status_code == 302
    assert Ending.objects.get(partnership=p).dissatisfaction_note == "Told them."
    end = client.post(reverse("partnerships:ending_end", kwargs={"slug": p.slug}))
    assert end.status_code == 302
    p.refresh_from_db()
    assert p.status == "active"
    # members read, without forms
    page = client_for("representative").get(url)
    assert page.status_code == 200 and b"Told them." in page.content
    assert b"<textarea" not in page.content


def test_the_ending_page_costs_the_same_with_more_agreements(world, client_for):
    from commonground.agreements.models import Agreement

    p, manager = world.partnership, world.users["manager"]
    walk(p, manager, upto="lessons")
    client = client_for("manager")
    url = reverse("partnerships:ending", kwargs={"slug": p.slug})
    Agreement.objects.create(partnership=p, title="MoU")

    def grow():
        for i in range(5):
            Agreement.objects.create(partnership=p, title=f"Agreement {i}")

    assert_queries_do_not_grow(lambda: client.get(url), grow)


def test_the_demo_has_an_ended_partnership_beside_the_active_one(settings):
    from commonground.demo import DEMO_SLUG, loader
    from commonground.library.models import Document
    from commonground.partnerships.models import Partnership

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    scenario = loader.read_scenario()
    loader.build(scenario, only=["organisations", "people", "partnership", "ending"])
    assert Partnership.objects.get(slug=DEMO_SLUG).status == "active"
    ended = Partnership.objects.get(slug=scenario["ending"]["partnership"]["slug"])
    assert ended.status == "ended" and ended.ended_on is not None
    ending = Ending.objects.get(partnership=ended)
    assert ending.lessons_written and ending.announcement_written
    assert services.ending_missing(ending) == []
    assert set(Document.objects.filter(partnership=ended).values_list("status", flat=True)) == {
        "returned",
        "deleted",
        "archived",
    }
    ingrid = ended.roles.get(kind="convener").user
    assert policy.has_capability(ingrid, ended, "partnership.view")
    assert not policy.has_capability(ingrid, ended, "library.upload")
