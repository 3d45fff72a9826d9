"""Derived edges, visibility for outsiders, paths on the real network, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.accounts.tests.factories import UserFactory
from commonground.core.testing import assert_queries_do_not_grow
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import WorkingGroup
from commonground.partnerships.tests.factories import MembershipFactory, RoleFactory
from commonground.systemmap import edges, selectors
from commonground.systemmap.edges import Edge, org_node, partnership_node

from .factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def kinds_between(net, a, b):
    return {
        e["kind"]
        for e in net.edges
        if {e["source"], e["target"]} == {org_node(a.pk), org_node(b.pk)}
    }


def test_member_of_edges_link_members_to_the_partnership_hub(world):
    left = OrganisationFactory(name="Gone Ltd")
    MembershipFactory(partnership=world.partnership, organisation=left, status="left")
    prospect = OrganisationFactory(name="Maybe AS")
    MembershipFactory(partnership=world.partnership, organisation=prospect, status="prospect")
    net = selectors.network(partnerships=[world.partnership])
    hub = partnership_node(world.partnership.pk)
    members = {e["source"] for e in net.edges if e["kind"] == "member_of" and e["target"] == hub}
    assert members == {
        org_node(world.organisation.pk),
        org_node(world.second_organisation.pk),
        org_node(left.pk),
    }
    assert all(e["origin"] == "derived" for e in net.edges if e["kind"] == "member_of")


def test_co_member_edges_are_available_but_hidden_by_default(world):
    net = selectors.network(partnerships=[world.partnership])
    assert not [e for e in net.edges if e["kind"] == "co_member"]
    net = selectors.network(
        partnerships=[world.partnership], filters=selectors.NetworkFilters(kinds=["co_member"])
    )
    assert kinds_between(net, world.organisation, world.second_organisation) == {"co_member"}


def test_working_group_edges_join_the_organisations_of_its_members(world):
    third = OrganisationFactory(name="Third")
    wg = WorkingGroup.objects.create(partnership=world.partnership, name="Data", slug="data")
    wg.members.add(world.user("representative"), world.user("manager"))
    wg.members.add(UserFactory(organisation=third))  # not in the partnership: not visible
    net = selectors.network(partnerships=[world.partnership])
    assert kinds_between(net, world.organisation, world.second_organisation) == {"working_group"}
    assert org_node(third.pk) not in {n["id"] for n in net.nodes}
    edge = next(e for e in net.edges if e["kind"] == "working_group")
    assert "Data" in edge["label"]


def test_a_registered_provider_is_asked_and_trimmed_to_what_may_be_seen(world):
    secret = OrganisationFactory(name="Secret Partner")

    def provider(partnership_ids, visible_org_ids):
        p = partnership_ids[0]
        return [
            Edge(
                org_node(world.organisation.pk),
                org_node(world.second_organisation.pk),
                "contributes_to",
                p,
            ),
            Edge(org_node(world.organisation.pk), org_node(secret.pk), "contributes_to", p),
            Edge(
                org_node(world.organisation.pk),
                org_node(world.second_organisation.pk),
                "funds",
                999999,
            ),
        ]

    edges.register_edge_provider(provider)
    try:
        net = selectors.network(partnerships=[world.partnership])
    finally:
        edges._PROVIDERS.remove(provider)
    contributes = [e for e in net.edges if e["kind"] == "contributes_to"]
    assert len(contributes) == 1
    assert not [e for e in net.edges if e["kind"] == "funds"]
    assert org_node(secret.pk) not in {n["id"] for n in net.nodes}


def test_outsiders_never_see_edges_or_organisations_of_other_partnerships(world, client_for):
    hidden = OrganisationFactory(name="Hidden Funder")
    RelationshipFactory(
        partnership=world.partnership, source=hidden, target=world.organisation, kind="funds"
    )
    # A tie between two organisations the outsider's partnership also knows: still private.
    MembershipFactory(partnership=world.other_partnership, organisation=world.organisation)
    MembershipFactory(partnership=world.other_partnership, organisation=world.second_organisation)
    RelationshipFactory(
        partnership=world.partnership,
        source=world.organisation,
        target=world.second_organisation,
        kind="competes",
    )
    outsider = client_for("outsider")
    for url in (reverse("systemmap_global:network"), "/api/systemmap/network"):
        response = outsider.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Hidden Funder" not in body
        assert "Matrix Partnership" not in body
        assert world.partnership.slug not in body
    page = outsider.get(reverse("systemmap_global:network"))
    assert {e["kind"] for e in page.context["net"].edges} == {"member_of"}
    data = outsider.get("/api/systemmap/network").json()
    assert {e["kind"] for e in data["edges"]} == {"member_of"}
    # The partnership's own pages and API answer 404, as for a missing one.
    assert outsider.get(reverse("systemmap:network", kwargs={"slug": "matrix"})).status_code == 404
    assert outsider.get("/api/systemmap/matrix/network").status_code == 404
    # Asking for a path to a hidden organisation gives nothing away.
    data = outsider.get(
        "/api/systemmap/network",
        {"path_from": world.organisation.pk, "path_to": hidden.pk},
    ).json()
    assert data["path"] is None
    # A member sees the hidden funder's tie.
    member = client_for("observer").get("/api/systemmap/matrix/network").json()
    assert {"funds", "competes", "member_of"} <= {e["kind"] for e in member["edges"]}
    assert hidden.slug in {n["slug"] for n in member["nodes"]}


def test_who_knows_whom_path_over_visible_relationships(world, client_for):
    a, b, c = (OrganisationFactory(name=n) for n in ("Alfa", "Bravo", "Charlie"))
    RelationshipFactory(partnership=world.partnership, source=world.organisation, target=a)
    RelationshipFactory(partnership=world.partnership, source=a, target=b, kind="refers")
    RelationshipFactory(partnership=world.partnership, source=c, target=b, kind="funds")
    # The same chain in another partnership is not used.
    RelationshipFactory(partnership=world.other_partnership, source=world.organisation, target=c)
    response = client_for("observer").get(
        reverse("systemmap:network", kwargs={"slug": "matrix"}),
        {
            "f": "1",
            "kind": ["informal", "refers", "funds"],
            "path_from": world.organisation.pk,
            "path_to": c.pk,
        },
    )
    assert response.status_code == 200
    path = response.context["net"].path
    assert [s["name"] for s in path] == [world.organisation.name, "Alfa", "Bravo", "Charlie"]
    assert path[1]["via"] == "refers clients to"
    assert path[2]["via"] == "funds" and path[2]["reverse"] is True
    assert path[1]["reverse"] is False
    assert "Who knows whom" in response.content.decode()


def test_central_isolated_and_missing_sectors(world):
    hub = OrganisationFactory(name="Hub", sector="knowledge")
    leaves = [OrganisationFactory(name=f"Leaf {i}", sector="civil") for i in range(3)]
    for leaf in leaves:
        RelationshipFactory(partnership=world.partnership, source=hub, target=leaf)
    net = selectors.network(partnerships=[world.partnership])
    assert net.central[0]["name"] == "Hub"
    isolated = {n["name"] for n in net.isolated}
    assert isolated == {world.organisation.name, world.second_organisation.name}
    assert "Funder (foundations, donors, development banks)" in net.missing_sectors
    assert "Knowledge (universities, schools, research, libraries)" not in net.missing_sectors
    # Filters: sector and period.
    only_civil = selectors.network(
        partnerships=[world.partnership], filters=selectors.NetworkFilters(sectors=["civil"])
    )
    assert "Hub" not in {n["name"] for n in only_civil.nodes}


def test_period_filter(world):
    import datetime

    old = RelationshipFactory(
        partnership=world.partnership,
        source=world.organisation,
        target=world.second_organisation,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2020, 12, 31),
    )
    f = selectors.NetworkFilters(kinds=["informal"], start=datetime.date(2021, 1, 1))
    assert not selectors.network(partnerships=[world.partnership], filters=f).edges
    f = selectors.NetworkFilters(
        kinds=["informal"], start=datetime.date(2020, 6, 1), end=datetime.date(2020, 7, 1)
    )
    assert [
        e["pk"] for e in selectors.network(partnerships=[world.partnership], filters=f).edges
    ] == [old.pk]


def test_network_page_queries_do_not_grow_with_edges(world, client_for):
    client = client_for("manager")
    url = reverse("systemmap:network", kwargs={"slug": "matrix"})
    wg = WorkingGroup.objects.create(partnership=world.partnership, name="G", slug="g")

    def grow():
        for i in range(15):
            org = OrganisationFactory(name=f"Grown {i}")
            MembershipFactory(partnership=world.partnership, organisation=org)
            RelationshipFactory(
                partnership=world.partnership, source=org, target=world.organisation
            )
            RelationshipFactory(
                partnership=world.partnership,
                source=world.second_organisation,
                target=org,
                kind="funds",
            )
            user = UserFactory(organisation=org)
            RoleFactory(
                partnership=world.partnership, user=user, kind="wg_member", organisation=org
            )
            wg.members.add(user)

    assert_queries_do_not_grow(lambda: client.get(url), grow)
    assert_queries_do_not_grow(lambda: client.get(reverse("systemmap_global:network")), grow)
    assert_queries_do_not_grow(lambda: client.get("/api/systemmap/matrix/network"), grow)
