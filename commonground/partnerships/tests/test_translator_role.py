"""People who translate between sectors: a role of its own, given to a member and named
on the partnership's people page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from commonground.accounts.tests.factories import UserFactory
from commonground.atlas import rules as atlas_rules
from commonground.core import policy
from commonground.core.testing import assert_queries_do_not_grow
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import Role, RoleKind
from commonground.partnerships.tests.factories import MembershipFactory, RoleFactory

pytestmark = pytest.mark.django_db


def members_page(client, world):
    return client.get(reverse("partnerships:members", kwargs={"slug": world.partnership.slug}))


def test_a_manager_gives_the_translator_role_and_the_people_page_names_them(world, client_for):
    person = UserFactory(email="bridge@example.org", display_name="Brita Bridge")
    client = client_for("manager")
    response = client.post(
        reverse("partnerships:role_assign", kwargs={"slug": world.partnership.slug}),
        {"user": person.email, "kind": "translator", "organisation": world.organisation.pk},
    )
    assert response.status_code == 302
    role = Role.objects.get(user=person, partnership=world.partnership)
    assert role.kind == RoleKind.TRANSLATOR
    page = members_page(client_for("observer"), world)
    translators = page.context["translators"]
    assert [t["user_display_name"] for t in translators] == ["Brita Bridge"]
    html = page.content.decode()
    assert "Translators between sectors" in html and "Translator between sectors" in html
    assert "Brita Bridge" in html.split("Translators between sectors")[1].split("<table")[0]


def test_others_and_ended_translators_are_not_named_translators(world, client_for):
    person = UserFactory(display_name="Former Bridge")
    Role.objects.create(
        partnership=world.partnership,
        user=person,
        kind=RoleKind.TRANSLATOR,
        ended_on=datetime.date.today(),
    )
    page = members_page(client_for("observer"), world)
    assert page.context["translators"] == []
    assert "Nobody yet." in page.content.decode()


def test_a_translator_does_the_partnerships_work_but_does_not_manage_it(world):
    person = UserFactory()
    Role.objects.create(partnership=world.partnership, user=person, kind=RoleKind.TRANSLATOR)
    policy.forget_roles(person)
    assert policy.has_capability(person, world.partnership, atlas_rules.VIEW)
    assert policy.has_capability(person, world.partnership, atlas_rules.ADD)
    assert not policy.has_capability(person, world.partnership, atlas_rules.MANAGE)
    assert not policy.has_capability(person, world.other_partnership, atlas_rules.VIEW)


def test_the_people_page_does_not_grow_queries_with_translators(world, client_for):
    client = client_for("manager")
    p = world.partnership

    def grow():
        for _ in range(4):
            org = OrganisationFactory()
            MembershipFactory(partnership=p, organisation=org)
            RoleFactory(partnership=p, kind="translator", organisation=org)

    grow()
    assert_queries_do_not_grow(lambda: members_page(client, world), grow, max_queries=30)
