import datetime
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.core.models import AuditEvent
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import Membership
from commonground.prospects import services
from commonground.prospects.models import ContactLog, Prospect, Stage

from .factories import ProspectFactory


@pytest.mark.django_db
def test_moving_to_joined_makes_a_member_exactly_once(world):
    manager = world.user("manager")
    org: Any = OrganisationFactory(name="New Partner")
    prospect = services.prospect_create(
        actor=manager, partnership=world.partnership, organisation=org
    )
    services.prospect_move(actor=manager, prospect=prospect, stage=Stage.JOINED)
    services.prospect_move(actor=manager, prospect=prospect, stage=Stage.JOINED)
    services.prospect_move(actor=manager, prospect=prospect, stage=Stage.PARKED)
    services.prospect_move(actor=manager, prospect=prospect, stage=Stage.JOINED)
    memberships = Membership.objects.filter(partnership=world.partnership, organisation=org)
    assert memberships.count() == 1
    assert memberships.get().status == "active"
    assert (
        AuditEvent.objects.filter(
            verb="membership.set", target_id=str(memberships.get().pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_unknown_stage_is_refused(world):
    prospect = ProspectFactory(partnership=world.partnership)
    with pytest.raises(ValidationError, match="Unknown stage"):
        services.prospect_move(actor=world.user("manager"), prospect=prospect, stage="signed")
    prospect.refresh_from_db()
    assert prospect.stage == Stage.IDENTIFIED
    with pytest.raises(IntegrityError), transaction.atomic():
        Prospect.objects.filter(pk=prospect.pk).update(stage="signed")


@pytest.mark.django_db
def test_duplicate_prospects_are_refused_with_a_clear_message(world):
    org: Any = OrganisationFactory(name="Twice Ltd")
    services.prospect_create(
        actor=world.user("manager"), partnership=world.partnership, organisation=org
    )
    with pytest.raises(ValidationError, match="Twice Ltd is already in this partnership"):
        services.prospect_create(
            actor=world.user("manager"), partnership=world.partnership, organisation=org
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Prospect.objects.create(partnership=world.partnership, organisation=org)
    # The same organisation may be a prospect of another partnership.
    services.prospect_create(
        actor=world.user("manager"), partnership=world.other_partnership, organisation=org
    )


@pytest.mark.django_db
def test_add_page_shows_duplicate_message_and_keeps_input(world, client_for):
    org = OrganisationFactory(name="Dup Org", slug="dup-org")
    ProspectFactory(partnership=world.partnership, organisation=org)
    response = client_for("manager").post(
        f"/p/{world.partnership.slug}/prospects/add/",
        {"organisation": "dup-org", "why_approach": "my reasons"},
    )
    assert response.status_code == 400
    assert "Dup Org is already in this partnership" in response.content.decode()
    assert b"my reasons" in response.content


@pytest.mark.django_db
def test_board_move_form_and_joined_message(world, client_for):
    prospect: Any = ProspectFactory(partnership=world.partnership)
    client = client_for("manager")
    url = f"/p/{world.partnership.slug}/prospects/{prospect.pk}/stage/"
    response = client.post(url, {"stage": "joined", "next": "board"}, follow=True)
    assert response.status_code == 200
    assert "is now a member organisation" in response.content.decode()
    assert Membership.objects.filter(
        partnership=world.partnership, organisation=prospect.organisation
    ).exists()
    bad = client.post(url, {"stage": "nonsense"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_contact_log_refuses_future_dates_and_keeps_input(world, client_for):
    prospect = ProspectFactory(partnership=world.partnership)
    url = f"/p/{world.partnership.slug}/prospects/{prospect.pk}/contacts/"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for("manager").post(
        url, {"kind": "call", "happened_on": tomorrow.isoformat(), "who": "Kim", "outcome": "typed"}
    )
    assert response.status_code == 400
    assert b"typed" in response.content
    ok = client_for("manager").post(
        url, {"kind": "call", "happened_on": timezone.localdate().isoformat(), "who": "Kim"}
    )
    assert ok.status_code == 302
    assert ContactLog.objects.get().who == "Kim"


@pytest.mark.django_db
def test_outreach_templates_are_filled_and_copyable_without_js(world, client_for):
    prospect = ProspectFactory(
        partnership=world.partnership,
        organisation=OrganisationFactory(name="Lawyers AS", sector="private"),
        could_bring="legal advice",
    )
    url = f"/p/{world.partnership.slug}/prospects/{prospect.pk}/outreach/"
    page = client_for("manager").get(url).content.decode()
    assert "Lawyers AS" in page and world.partnership.name in page and "legal advice" in page
    assert "readonly" in page and "<textarea" in page
    # The manager's organisation is public-sector, so cross-sector is suggested.
    assert "different sectors" in page
    same = client_for("manager").get(url + "?variant=same").content.decode()
    assert "same field" in same


@pytest.mark.django_db
def test_list_page_queries_do_not_grow(world, client_for):
    from commonground.core.testing import assert_queries_do_not_grow
    from commonground.prospects.tests.factories import CriterionFactory

    client = client_for("manager")
    criterion = CriterionFactory(partnership=world.partnership)

    def grow() -> None:
        for _ in range(5):
            p: Any = ProspectFactory(partnership=world.partnership)
            services.scores_save(
                actor=world.user("manager"), prospect=p, scores={criterion.pk: (3, "")}
            )

    grow()
    for path in ("list/", "", "scorecards/"):
        url = f"/p/{world.partnership.slug}/prospects/{path}"
        assert_queries_do_not_grow(partial(client.get, url), grow)


@pytest.mark.django_db
def test_editing_research_does_not_undo_a_stage_change(world):
    manager = world.user("manager")
    prospect = ProspectFactory(partnership=world.partnership)
    services.prospect_move(actor=manager, prospect=prospect, stage=Stage.MET)
    services.prospect_update(actor=manager, prospect=prospect, vision="A circular city")
    prospect.refresh_from_db()
    assert prospect.stage == Stage.MET and prospect.vision == "A circular city"
