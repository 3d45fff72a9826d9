"""Phase moves, checklist locks and milestone reviews."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonground.core.models import AuditEvent
from commonground.method import selectors, services
from commonground.method.models import ChecklistTick, PhaseMove
from commonground.partnerships.models import Partnership


def fresh(p):
    return Partnership.objects.get(pk=p.pk)


def test_complete_moves_forward_and_logs(world):
    p, manager = world.partnership, world.user("manager")
    assert p.phase == "prepare"
    services.phase_complete(actor=manager, partnership=p, note="Ready")
    assert fresh(p).phase == "identify"
    assert services.completed_phases(p) == {"prepare"}
    move = PhaseMove.objects.get()
    assert (move.kind, move.from_phase, move.to_phase, move.reason) == (
        "complete",
        "prepare",
        "identify",
        "Ready",
    )
    assert AuditEvent.objects.filter(verb="method.phase_complete", partnership=p).exists()
    # A review is now due for "prepare".
    assert [ph.code for ph in selectors.due_reviews(p)] == ["prepare"]
    services.review_record(
        actor=manager,
        partnership=p,
        phase="prepare",
        need_still_there="partly",
        gaps="No one covers data.",
        changes="Invite the university.",
    )
    assert selectors.due_reviews(p) == []


def test_last_phase_stays_current_when_completed(world):
    p, manager = world.partnership, world.user("manager")
    for _ in range(5):
        services.phase_complete(actor=manager, partnership=p, note="Agreed to move on")
    assert fresh(p).phase == "assess"
    with pytest.raises(ValidationError, match="already completed"):
        services.phase_complete(actor=manager, partnership=p, note="Agreed to move on")


def test_send_back_needs_reason_and_an_earlier_phase(world):
    p, manager = world.partnership, world.user("manager")
    services.phase_complete(actor=manager, partnership=p, note="Agreed to move on")
    services.phase_complete(actor=manager, partnership=p, note="Agreed to move on")
    assert fresh(p).phase == "agree"
    with pytest.raises(ValidationError) as exc:
        services.phase_send_back(actor=manager, partnership=p, to_phase="identify", reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.phase_send_back(actor=manager, partnership=p, to_phase="consolidate", reason="x")
    assert "to_phase" in exc.value.message_dict

    services.phase_send_back(
        actor=manager,
        partnership=p,
        to_phase="identify",
        reason="Ratification stalled: find partners again.",
    )
    p = fresh(p)
    assert p.phase == "identify"
    # "identify" is open again; "prepare" stays completed.
    assert services.completed_phases(p) == {"prepare"}
    move = PhaseMove.objects.filter(kind="send_back").get()
    assert move.reason == "Ratification stalled: find partners again."
    assert move.from_phase == "agree"


def test_reopen_only_completed_phases(world):
    p, manager = world.partnership, world.user("manager")
    with pytest.raises(ValidationError, match="Only a completed phase"):
        services.phase_reopen(actor=manager, partnership=p, phase="prepare")
    services.phase_complete(actor=manager, partnership=p, note="Agreed to move on")
    services.phase_reopen(
        actor=manager, partnership=p, phase="prepare", reason="Objectives changed"
    )
    p = fresh(p)
    assert p.phase == "identify"  # reopening does not move the partnership back
    assert services.completed_phases(p) == set()
    # The reopened phase's checklist can be ticked again.
    services.tick_set(
        actor=manager, partnership=p, item_key="prepare.needs.needs-horizons", ticked=True
    )


def test_checklist_is_locked_on_completed_and_future_phases(world):
    p, rep = world.partnership, world.user("representative")
    with pytest.raises(ValidationError, match="has not started yet"):
        services.tick_set(
            actor=rep, partnership=p, item_key="agree.ratify.ratify-terms", ticked=True
        )
    services.tick_set(
        actor=rep, partnership=p, item_key="prepare.trigger.trigger-shared", ticked=True
    )
    tick = ChecklistTick.objects.get()
    assert tick.ticked_by == rep and tick.phase == "prepare"
    services.phase_complete(actor=world.user("manager"), partnership=p, note="Agreed to move on")
    with pytest.raises(ValidationError, match=r"is completed.*reopen"):
        services.tick_set(
            actor=rep, partnership=p, item_key="prepare.trigger.trigger-shared", ticked=False
        )
    with pytest.raises(ValidationError, match="Unknown checklist item"):
        services.tick_set(actor=rep, partnership=p, item_key="prepare.nope.nope", ticked=True)


def test_untick_and_double_tick(world):
    p, rep = world.partnership, world.user("representative")
    key = "prepare.trigger.trigger-shared"
    services.tick_set(actor=rep, partnership=p, item_key=key, ticked=True)
    services.tick_set(actor=rep, partnership=p, item_key=key, ticked=True)
    assert ChecklistTick.objects.count() == 1
    services.tick_set(actor=rep, partnership=p, item_key=key, ticked=False)
    assert ChecklistTick.objects.count() == 0


# --- through the pages -------------------------------------------------------------


def test_send_back_page_without_reason_keeps_input(world, client_for, url):
    p = world.partnership
    services.phase_complete(actor=world.user("manager"), partnership=p, note="Agreed to move on")
    response = client_for("manager").post(
        url("phase_send_back"), {"to_phase": "prepare", "reason": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert fresh(p).phase == "identify"
    response = client_for("manager").post(
        url("phase_send_back"), {"to_phase": "prepare", "reason": "No partner for the main need"}
    )
    assert response.status_code == 302
    assert fresh(p).phase == "prepare"


def test_complete_page_redirects_to_review(world, client_for, url):
    response = client_for("manager").post(
        url("phase_complete"), {"note": "Agreed to move on", "phase": "prepare"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("review", phase="prepare")
    # A second click on the same (now stale) page does not complete "identify".
    response = client_for("manager").post(
        url("phase_complete"), {"note": "Agreed to move on", "phase": "prepare"}, follow=True
    )
    assert "has moved to" in response.content.decode()
    assert fresh(world.partnership).phase == "identify"
    response = client_for("manager").post(
        url("review", phase="prepare"),
        {"need_still_there": "yes", "need_comment": "", "gaps": "Data", "changes": "More partners"},
    )
    assert response.status_code == 302


def test_tick_on_completed_phase_is_refused_with_message(world, client_for, url):
    services.phase_complete(
        actor=world.user("manager"), partnership=world.partnership, note="Agreed to move on"
    )
    client = client_for("representative")
    response = client.post(
        url("tick", phase="prepare"),
        {"item": "prepare.trigger.trigger-shared", "ticked": "on"},
        follow=True,
    )
    assert "is completed, so its checklist is closed" in response.content.decode()
    assert not ChecklistTick.objects.exists()


def test_tick_with_htmx_returns_the_item(world, client_for, url):
    response = client_for("representative").post(
        url("tick", phase="prepare"),
        {"item": "prepare.trigger.trigger-shared", "ticked": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith('<li id="item-prepare.trigger.trigger-shared"')
    assert "ticked by Rita Rep" in body


def test_observer_cannot_tick_and_is_told_why(world, client_for, url):
    response = client_for("observer").post(
        url("tick", phase="prepare"), {"item": "prepare.trigger.trigger-shared", "ticked": "on"}
    )
    assert response.status_code == 403
    assert "tick checklists" in response.content.decode()
    response = client_for("representative").post(url("phase_complete"), {})
    assert response.status_code == 403
    assert "complete, reopen or send back" in response.content.decode()


def test_htmx_tick_on_locked_phase_shows_the_reason_in_place(world, client_for, url):
    response = client_for("representative").post(
        url("tick", phase="agree"),
        {"item": "agree.ratify.ratify-terms", "ticked": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    assert not ChecklistTick.objects.exists()
