"""Motions into the decision register, tasks into the action plan, and the minutes' states."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commonground.actionplan.models import Action
from commonground.core.models import AuditEvent
from commonground.decisions.models import Decision
from commonground.meetings import services
from commonground.meetings.models import MinutesStatus, Motion
from commonground.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _substantive(meeting, world):
    return services.item_add(
        actor=world.users["manager"], meeting=meeting, title="Hub location", item_type="decision"
    )


def test_standard_agenda_is_created_in_order(past_meeting):
    keys = list(past_meeting.items.values_list("standard", flat=True))
    assert keys[0] == "quorum" and keys[-1] == "adjournment"
    assert len(keys) == 11


def test_new_item_goes_before_tasks_and_moves_up_and_down(past_meeting, world):
    item = _substantive(past_meeting, world)
    order = list(past_meeting.items.order_by("position").values_list("title", flat=True))
    assert order.index("Hub location") == order.index("Tasks before the next meeting") - 1
    services.item_move(actor=world.users["manager"], item=item, direction="up")
    order2 = list(past_meeting.items.order_by("position").values_list("title", flat=True))
    assert order2.index("Hub location") == order.index("Hub location") - 1
    services.item_move(actor=world.users["manager"], item=item, direction="down")
    order3 = list(past_meeting.items.order_by("position").values_list("title", flat=True))
    assert order3 == order


def test_move_buttons_work_without_js(past_meeting, world, client_for):
    item = _substantive(past_meeting, world)
    url = reverse(
        "meetings:item_move",
        kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk, "item_pk": item.pk},
    )
    before = item.position
    response = client_for("manager").post(url, {"direction": "up"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.position < before


def test_adopted_motion_enters_the_decision_register(past_meeting, world):
    item = _substantive(past_meeting, world)
    motion = services.motion_record(
        actor=world.users["manager"],
        item=item,
        text="Open the first hub at Haraldrud.",
        proposed_by=world.users["representative"],
        seconded_by=world.users["manager"],
        result="majority",
        votes_for=7,
        votes_against=2,
        abstentions=1,
    )
    decision = motion.decision
    assert decision is not None
    assert decision.method == "motion"
    assert decision.partnership == world.partnership
    assert decision.tally["for"] == 7 and decision.tally["against"] == 2
    assert decision.decided_on == timezone.localtime(past_meeting.starts_at).date()
    assert str(past_meeting.pk) in decision.source_url
    assert AuditEvent.objects.filter(verb="decision.record").exists()


def test_motion_not_adopted_stays_out_of_the_register(past_meeting, world):
    item = _substantive(past_meeting, world)
    services.motion_record(
        actor=world.users["manager"],
        item=item,
        text="Publish everything.",
        proposed_by=world.users["representative"],
        seconded_by=world.users["manager"],
        result="not_adopted",
        votes_for=1,
        votes_against=6,
    )
    assert not Decision.objects.exists()
    assert Motion.objects.get().decision is None


def test_motion_seconded_by_its_proposer_is_refused(past_meeting, world):
    item = _substantive(past_meeting, world)
    rep = world.users["representative"]
    with pytest.raises(ValidationError) as exc:
        services.motion_record(
            actor=world.users["manager"],
            item=item,
            text="Self-seconded",
            proposed_by=rep,
            seconded_by=rep,
            result="unanimous",
        )
    assert "seconded_by" in exc.value.message_dict
    assert not Motion.objects.exists() and not Decision.objects.exists()


def test_motion_form_shows_the_seconder_error_and_keeps_the_text(past_meeting, world, client_for):
    item = _substantive(past_meeting, world)
    rep = world.users["representative"]
    url = reverse(
        "meetings:motion_add",
        kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk, "item_pk": item.pk},
    )
    response = client_for("manager").post(
        url,
        {
            "text": "Keep this text",
            "proposed_by": rep.pk,
            "seconded_by": rep.pk,
            "result": "unanimous",
            "votes_for": 5,
            "votes_against": 0,
            "abstentions": 0,
        },
    )
    assert response.status_code == 400
    assert b"cannot be seconded by the person who proposed it" in response.content
    assert b"Keep this text" in response.content
    assert not Motion.objects.exists()


def test_majority_needs_more_for_than_against(past_meeting, world):
    item = _substantive(past_meeting, world)
    with pytest.raises(ValidationError):
        services.motion_record(
            actor=world.users["manager"],
            item=item,
            text="Close call",
            proposed_by=world.users["representative"],
            seconded_by=world.users["manager"],
            result="majority",
            votes_for=3,
            votes_against=3,
        )


def test_task_becomes_an_action_linked_to_the_meeting(past_meeting, world, client_for):
    item = _substantive(past_meeting, world)
    url = reverse(
        "meetings:task_add",
        kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk, "item_pk": item.pk},
    )
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client_for("manager").post(
        url,
        {"title": "Draft the lease", "owner": world.users["representative"].pk, "due_on": due},
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.meeting == past_meeting and action.agenda_item == item
    assert action.owner == world.users["representative"]
    assert action.owner_organisation == world.organisation
    assert action.due_on == due
    assert action.partnership == world.partnership


def test_minutes_go_draft_circulated_approved_at_the_next_meeting(past_meeting, world):
    later_start = past_meeting.starts_at + datetime.timedelta(days=7)
    later = MeetingFactory(
        partnership=world.partnership,
        starts_at=later_start,
        ends_at=later_start + datetime.timedelta(hours=1),
    )
    manager = world.users["manager"]
    with pytest.raises(ValidationError):  # not circulated yet
        services.minutes_approve(actor=manager, meeting=past_meeting, at_meeting=later)
    services.minutes_circulate(actor=manager, meeting=past_meeting)
    with pytest.raises(ValidationError):  # circulated minutes are frozen
        services.item_notes_set(actor=manager, item=past_meeting.items.first(), notes="late edit")
    with pytest.raises(ValidationError):  # not at the same meeting
        services.minutes_approve(actor=manager, meeting=past_meeting, at_meeting=past_meeting)
    services.minutes_approve(actor=manager, meeting=past_meeting, at_meeting=later)
    past_meeting.refresh_from_db()
    assert past_meeting.minutes_status == MinutesStatus.APPROVED
    assert past_meeting.minutes_approved_at == later


def test_minutes_of_a_meeting_that_has_not_happened_cannot_be_approved(world, future_meeting):
    manager = world.users["manager"]
    later_start = future_meeting.starts_at + datetime.timedelta(days=7)
    later = MeetingFactory(
        partnership=world.partnership,
        starts_at=later_start,
        ends_at=later_start + datetime.timedelta(hours=1),
    )
    future_meeting.minutes_status = MinutesStatus.CIRCULATED
    future_meeting.save()
    with pytest.raises(ValidationError) as exc:
        services.minutes_approve(actor=manager, meeting=future_meeting, at_meeting=later)
    assert "has not happened" in exc.value.messages[0]
    future_meeting.refresh_from_db()
    assert future_meeting.minutes_status == MinutesStatus.CIRCULATED
    with pytest.raises(ValidationError):
        services.minutes_circulate(actor=manager, meeting=later)


def test_approving_through_the_page_refuses_a_future_meeting(world, future_meeting, client_for):
    url = reverse(
        "meetings:minutes_state", kwargs={"slug": world.partnership.slug, "pk": future_meeting.pk}
    )
    response = client_for("manager").post(url, {"step": "approve"}, follow=True)
    assert b"has not happened yet" in response.content
    future_meeting.refresh_from_db()
    assert future_meeting.minutes_status == MinutesStatus.DRAFT


def test_members_propose_items_and_the_chair_accepts_or_defers(world, future_meeting, client_for):
    url = reverse(
        "meetings:item_propose", kwargs={"slug": world.partnership.slug, "pk": future_meeting.pk}
    )
    response = client_for("representative").post(
        url, {"title": "Opening hours", "item_type": "discussion", "description": ""}
    )
    assert response.status_code == 302
    item = future_meeting.items.get(title="Opening hours")
    assert item.status == "proposed" and item.proposed_by == world.users["representative"]
    services.item_decide(actor=world.users["manager"], item=item, accept=True)
    item.refresh_from_db()
    assert item.status == "accepted"
    other = services.item_propose(
        actor=world.users["representative"], meeting=future_meeting, title="Later"
    )
    services.item_decide(actor=world.users["manager"], item=other, accept=False)
    other.refresh_from_db()
    assert other.status == "deferred"


def test_items_cannot_be_proposed_once_the_meeting_started(past_meeting, world):
    with pytest.raises(ValidationError):
        services.item_propose(
            actor=world.users["representative"], meeting=past_meeting, title="Too late"
        )


def test_only_attendees_assess_a_meeting(past_meeting, world):
    rep = world.users["representative"]
    with pytest.raises(ValidationError):
        services.assessment_submit(actor=rep, meeting=past_meeting, usefulness=4, run=4)
    services.attendance_set(
        actor=world.users["manager"], meeting=past_meeting, marks={rep: "present"}
    )
    assessment = services.assessment_submit(
        actor=rep, meeting=past_meeting, usefulness=4, run=3, comment="Good"
    )
    assert assessment.usefulness == 4


def test_register_badge_links_to_the_entry(past_meeting, world, client_for):
    item = _substantive(past_meeting, world)
    motion = services.motion_record(
        actor=world.users["manager"],
        item=item,
        text="Open the first hub at Haraldrud.",
        proposed_by=world.users["representative"],
        seconded_by=world.users["manager"],
        result="majority",
        votes_for=7,
        votes_against=2,
        abstentions=1,
    )
    decision = motion.decision
    assert decision is not None
    page = client_for("manager").get(past_meeting.get_absolute_url()).content.decode()
    register = reverse("decisions:register", kwargs={"slug": world.partnership.slug})
    assert f'href="{register}?method=motion&amp;q=' in page
    assert f"#decision-{decision.pk}" in page
    listed = client_for("manager").get(register, {"method": "motion", "q": decision.title})
    assert f'id="decision-{decision.pk}"' in listed.content.decode()


def test_approval_menu_offers_the_first_later_meetings_only(world, past_meeting, client_for):
    from commonground.meetings.selectors import APPROVAL_CHOICES

    start = past_meeting.starts_at
    later = [
        MeetingFactory(
            partnership=world.partnership,
            title=f"Later {n:02d}",
            starts_at=start + datetime.timedelta(hours=6 * (n + 1)),
        )
        for n in range(APPROVAL_CHOICES + 5)
    ]
    upcoming = MeetingFactory(  # not happened yet: never offered
        partnership=world.partnership, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    manager = client_for("manager")
    state = reverse(
        "meetings:minutes_state", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk}
    )
    manager.post(state, {"step": "circulate"})
    url = reverse("meetings:detail", kwargs={"slug": world.partnership.slug, "pk": past_meeting.pk})
    page = manager.get(url).content.decode()
    offered = [m for m in [*later, upcoming] if f'value="{m.pk}"' in page]
    assert offered == later[:APPROVAL_CHOICES]
    # a meeting beyond the menu is refused with a message, not silently accepted
    response = manager.post(state, {"step": "approve", "at_meeting": later[-1].pk}, follow=True)
    assert b"Choose the later meeting" in response.content
    past_meeting.refresh_from_db()
    assert past_meeting.minutes_status == MinutesStatus.CIRCULATED
    manager.post(state, {"step": "approve", "at_meeting": later[APPROVAL_CHOICES - 1].pk})
    past_meeting.refresh_from_db()
    assert past_meeting.minutes_status == MinutesStatus.APPROVED
    assert past_meeting.minutes_approved_at == later[APPROVAL_CHOICES - 1]
