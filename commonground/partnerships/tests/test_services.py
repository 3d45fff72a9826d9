import pytest
from django.core.exceptions import ValidationError

from commonground.accounts.tests.factories import UserFactory
from commonground.core import policy
from commonground.core.models import AuditEvent
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships import services
from commonground.partnerships.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_creating_a_partnership_makes_the_creator_its_convener():
    org = OrganisationFactory()
    user = UserFactory(organisation=org)
    partnership = services.partnership_create(
        actor=user, name="Repair City", purpose="More repair."
    )
    assert partnership.slug == "repair-city"
    assert Role.objects.get(partnership=partnership, user=user).kind == "convener"
    assert Membership.objects.get(partnership=partnership).organisation == org
    assert policy.has_capability(user, partnership, "partnership.manage")
    event = AuditEvent.objects.get(partnership=partnership, verb="partnership.create")
    assert event.actor == user and event.after["name"] == "Repair City"


def test_slugs_stay_unique():
    user = UserFactory()
    a = services.partnership_create(actor=user, name="Repair City", purpose="x")
    b = services.partnership_create(actor=user, name="Repair City", purpose="y")
    assert a.slug != b.slug


def test_update_records_before_and_after(world):
    services.partnership_update(
        actor=world.users["manager"], partnership=world.partnership, phase="agree"
    )
    event = AuditEvent.objects.get(verb="partnership.update")
    assert event.before == {"phase": "prepare"} and event.after == {"phase": "agree"}


def test_representative_needs_an_organisation_and_a_type(world):
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=world.users["manager"],
            partnership=world.partnership,
            user=UserFactory(),
            kind="representative",
        )
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=world.users["manager"],
            partnership=world.partnership,
            user=UserFactory(),
            kind="representative",
            organisation=world.organisation,
        )


def test_a_role_must_be_on_behalf_of_a_member_organisation(world):
    stranger = OrganisationFactory()
    with pytest.raises(ValidationError, match="not a member"):
        services.role_assign(
            actor=world.users["manager"],
            partnership=world.partnership,
            user=UserFactory(),
            kind="champion",
            organisation=stranger,
        )


def test_the_same_role_twice_is_refused_cleanly(world):
    with pytest.raises(ValidationError, match="already has this role"):
        services.role_assign(
            actor=world.users["manager"],
            partnership=world.partnership,
            user=world.users["observer"],
            kind="observer",
        )
    assert (
        Role.objects.filter(user=world.users["observer"], partnership=world.partnership).count()
        == 1
    )


def test_the_last_manager_cannot_leave(world):
    role = Role.objects.get(user=world.users["manager"], partnership=world.partnership)
    with pytest.raises(ValidationError, match="at least one"):
        services.role_end(actor=world.users["manager"], role=role)
    services.role_assign(
        actor=world.users["manager"],
        partnership=world.partnership,
        user=UserFactory(),
        kind="convener",
    )
    services.role_end(actor=world.users["manager"], role=role)
    assert not policy.has_capability(
        world.users["manager"], world.partnership, "partnership.manage"
    )


def test_ending_a_role_removes_access_but_keeps_the_record(world):
    observer = world.users["observer"]
    role = Role.objects.get(user=observer, partnership=world.partnership)
    services.role_end(actor=world.users["manager"], role=role)
    assert not policy.is_member(observer, world.partnership)
    assert Role.objects.filter(pk=role.pk, ended_on__isnull=False).exists()


def test_queryset_and_instance_forms_agree(world):
    for user in world.users.values():
        listed = set(policy.partnerships_with(user, "partnership.manage"))
        for p in (world.partnership, world.other_partnership):
            assert (p in listed) == policy.has_capability(user, p, "partnership.manage")
