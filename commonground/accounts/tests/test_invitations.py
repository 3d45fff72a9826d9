import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import Invitation, User
from commonground.core.models import AuditEvent
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships import invitations as services
from commonground.partnerships.models import Membership, Role

pytestmark = pytest.mark.django_db


def invite(
    world, email="new.person@example.org", organisation=None, kind="representative", rep="doer"
):
    org = organisation or OrganisationFactory(name="Bike Kitchen")
    with_commit = services.invitation_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        email=email,
        kind=kind,
        organisation=org,
        representative_kind=rep,
    )
    return (*with_commit, org)


def test_invitation_sends_a_one_use_link_and_marks_the_organisation_invited(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw, org = invite(world)
    assert len(mail.outbox) == 1
    assert raw in mail.outbox[0].body
    assert world.partnership.name in mail.outbox[0].subject
    # Only a digest is stored.
    assert raw not in invitation.token_hash
    assert (
        Membership.objects.get(partnership=world.partnership, organisation=org).status == "invited"
    )


def test_a_new_person_creates_an_account_from_the_link_and_joins(world, client):
    _invitation, raw, org = invite(world)
    url = reverse("accounts:invitation", kwargs={"token": raw})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "display_name": "Nils Ny",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    role = Role.objects.get(partnership=world.partnership, user=user)
    assert (role.kind, role.organisation, role.representative_kind) == (
        "representative",
        org,
        "doer",
    )
    assert (
        Membership.objects.get(partnership=world.partnership, organisation=org).status == "active"
    )
    assert AuditEvent.objects.filter(
        partnership=world.partnership, verb="invitation.accept"
    ).exists()
    # The partnership is now visible to the new member.
    assert client.get(world.partnership.get_absolute_url()).status_code == 200


def test_a_used_link_cannot_be_used_again(world, client):
    _invitation, raw, _org = invite(world)
    url = reverse("accounts:invitation", kwargs={"token": raw})
    client.post(
        url,
        {
            "display_name": "Nils",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    client.logout()
    assert client.get(url).status_code == 410
    assert (
        Role.objects.filter(
            partnership=world.partnership, user__email="new.person@example.org"
        ).count()
        == 1
    )


def test_a_weak_password_is_refused_and_the_name_is_kept(world, client):
    _invitation, raw, _org = invite(world)
    url = reverse("accounts:invitation", kwargs={"token": raw})
    response = client.post(url, {"display_name": "Nils Ny", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert b"Nils Ny" in response.content
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_expired_or_unknown_links_are_refused(world, client):
    invitation, raw, _org = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("accounts:invitation", kwargs={"token": raw})).status_code == 410
    assert client.get(reverse("accounts:invitation", kwargs={"token": "forged"})).status_code == 404


def test_someone_signed_in_with_another_address_cannot_take_the_invitation(world, client_for):
    _invitation, raw, _org = invite(world)
    client = client_for("outsider")
    response = client.post(reverse("accounts:invitation", kwargs={"token": raw}))
    assert response.status_code == 200
    assert b"Sign in with that address" in response.content
    assert not Role.objects.filter(
        partnership=world.partnership, user=world.users["outsider"]
    ).exists()


def test_representative_invitation_needs_an_organisation(world, client_for):
    response = client_for("manager").post(
        reverse("partnerships:invite", kwargs={"slug": world.partnership.slug}),
        {"email": "x@example.org", "kind": "representative"},
    )
    assert response.status_code == 400
    assert b"must represent an organisation" in response.content
    assert b"x@example.org" in response.content  # what was typed is kept
    assert not Invitation.objects.exists()
