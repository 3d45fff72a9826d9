"""Who signs for an organisation: the rules' two forms agree, give the answers written
here, and the agreement page offers ratifying only to whom the ratify page allows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.agreements import rules, services
from commonground.core.testing import add_every_role_kind, assert_rule_forms_agree, everyone
from commonground.organisations.models import Organisation
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import Role

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def _signatories(world):
    """The sponsor signs for the second organisation; the observer is a signatory of the
    first but may not sign anything; the world's representative signs for the first; the
    champion acts for the first without signing; the wg_member's signatory role ended."""
    add_every_role_kind(world)
    first, second = world.organisation, world.second_organisation

    def role(kind, **fields):
        Role.objects.filter(partnership=world.partnership, user=world.users[kind]).update(**fields)

    role("sponsor", organisation=second, is_signatory=True)
    role("observer", organisation=first, is_signatory=True)
    role("champion", organisation=first)
    role("wg_member", organisation=first, is_signatory=True, ended_on="2025-01-01")
    OrganisationFactory(name="Not a member")


def test_may_sign_for_instance_and_queryset_forms_agree(world):
    _signatories(world)
    first, second = world.organisation.pk, world.second_organisation.pk
    p = world.partnership

    signs = assert_rule_forms_agree(
        lambda user, org: rules.can_sign_for(user, p, org),
        lambda user, orgs: rules.organisations_signable_by(user, p, orgs),
        everyone(world),
        Organisation.objects.all(),
    )
    speaks = assert_rule_forms_agree(
        lambda user, org: rules.can_speak_for(user, p, org),
        lambda user, orgs: rules.organisations_spoken_for(user, p, orgs),
        everyone(world),
        Organisation.objects.all(),
    )

    nobody: dict[str, set[object]] = {k: set() for k in everyone(world)}
    assert signs == nobody | {"representative": {first}, "sponsor": {second}}
    assert speaks == nobody | {"representative": {first}, "sponsor": {second}}


def test_an_observer_who_is_a_signatory_is_not_offered_to_ratify(world, client_for):
    # The agreement page listed the observer's organisation under "ratify for", while
    # the ratify page (agreements.sign) refused them with 403.
    _signatories(world)
    agreement = make_agreement(world)
    page = client_for("observer").get(
        reverse("agreements:detail", kwargs={"slug": world.partnership.slug, "pk": agreement.pk})
    )
    assert page.status_code == 200
    assert page.context["can_ratify_for"] == []
    with pytest.raises(ValidationError, match="not an authorised signatory"):
        services.ratify(
            actor=world.users["observer"],
            version=agreement.versions.get(),
            organisation=world.organisation,
        )
