"""The agreement page says who signs for each party, and why someone cannot ratify."""

import pytest
from django.urls import reverse

from commonground.agreements.tests.factories import make_agreement
from commonground.core.models import AuditEvent
from commonground.partnerships.models import Role

pytestmark = pytest.mark.django_db


def page(client, agreement):
    return client.get(agreement.get_absolute_url()).content.decode()


def test_each_party_shows_its_signatory_or_a_way_to_set_one(world, client_for):
    agreement = make_agreement(world)
    manager_view = page(client_for("manager"), agreement)
    # The collective's signatory is named; the municipality has none yet.
    assert "Rita Rep" in manager_view
    assert manager_view.count("no signatory yet") == 1
    members = reverse("partnerships:members", kwargs={"slug": world.partnership.slug})
    assert f'href="{members}#roles">set one</a>' in manager_view
    # The manager cannot ratify and is told why and what to do.
    assert 'id="ratify-why"' in manager_view and "Mark who signs for each party" in manager_view
    observer_view = page(client_for("observer"), agreement)
    assert "no signatory yet" in observer_view and "set one" not in observer_view
    assert (
        "Ask the partnership’s convener" in observer_view
        or "Ask the partnership's convener" in observer_view
    )
    # The signatory sees the form, not the explanation.
    signer_view = page(client_for("representative"), agreement)
    assert "Ratify this version" in signer_view and 'id="ratify-why"' not in signer_view


def test_making_someone_signatory_by_editing_their_role_lets_them_ratify(world, client_for):
    agreement = make_agreement(world)
    role = Role.objects.get(user=world.users["manager"], partnership=world.partnership)
    url = reverse("partnerships:role_edit", kwargs={"slug": world.partnership.slug, "pk": role.pk})
    form = client_for("manager").get(url)
    assert form.status_code == 200
    response = client_for("manager").post(
        url,
        {
            "organisation": world.second_organisation.pk,
            "is_signatory": "on",
            "title": "Head of unit",
        },
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.kind, role.is_signatory, role.title) == ("manager", True, "Head of unit")
    event = AuditEvent.objects.get(verb="role.update")
    assert event.before["is_signatory"] is False and event.after["is_signatory"] is True
    assert "Ratify this version" in page(client_for("manager"), agreement)


def test_a_role_edit_keeps_the_rules_of_roles(world, client_for):
    rep = Role.objects.get(user=world.users["representative"], partnership=world.partnership)
    url = reverse("partnerships:role_edit", kwargs={"slug": world.partnership.slug, "pk": rep.pk})
    # A representative without an organisation, a signatory without one: refused, kept.
    response = client_for("manager").post(url, {"is_signatory": "on", "title": "Boss"})
    assert response.status_code == 400
    assert "must represent an organisation" in response.content.decode()
    assert 'value="Boss"' in response.content.decode()
    rep.refresh_from_db()
    assert rep.organisation == world.organisation and rep.title == ""
    # Only managers edit roles; an outsider learns nothing.
    assert client_for("representative").post(url, {}).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    # An ended role cannot be edited.
    rep.ended_on = rep.started_on or rep.created_at.date()
    rep.save()
    assert client_for("manager").get(url).status_code == 404
