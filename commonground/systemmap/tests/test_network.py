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
from commonground.systemmap.models import Relationship

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


# --- caps: the map stays cheap and readable however large the partnerships are ----------


def _star(world, leaves=4):
    hub = OrganisationFactory(name="Hub House", sector="knowledge")
    for i in range(leaves):
        leaf = OrganisationFactory(name=f"Leaf {i}", sector="civil")
        RelationshipFactory(partnership=world.partnership, source=hub, target=leaf)
    return hub


def test_the_map_draws_only_the_most_connected_organisations_and_says_so(
    world, client_for, monkeypatch
):
    hub = _star(world)  # the hub, four leaves and the two members: seven organisations
    net = selectors.network(partnerships=[world.partnership], node_limit=3)
    orgs = [n for n in net.nodes if n["is_org"]]
    assert len(orgs) == 3
    assert (net.organisation_shown, net.organisation_total, net.capped) == (3, 7, True)
    assert org_node(hub.pk) in {n["id"] for n in orgs}
    # Who is isolated cannot be told from part of the map.
    assert net.isolated is None
    # Sectors present are still those of every visible organisation.
    assert "Knowledge (universities, schools, research, libraries)" not in net.missing_sectors
    # Without the cap nothing is hidden.
    full = selectors.network(partnerships=[world.partnership])
    assert (full.organisation_shown, full.capped) == (7, False)
    assert {n["name"] for n in full.isolated} == {
        world.organisation.name,
        world.second_organisation.name,
    }

    monkeypatch.setattr(selectors, "NODE_LIMIT", 3)
    body = client_for("observer").get(reverse("systemmap:network", kwargs={"slug": "matrix"}))
    text = body.content.decode()
    assert "Showing the 3 most connected of 7 organisations" in text
    assert len([n for n in body.context["chart"]["nodes"] if n["category"] != "partnership"]) == 3
    data = client_for("observer").get("/api/systemmap/matrix/network").json()
    assert (data["organisations_shown"], data["organisations_total"], data["capped"]) == (
        3,
        7,
        True,
    )
    assert data["isolated"] is None


def test_the_sector_filter_ranks_within_the_sectors_chosen(world):
    _star(world)
    net = selectors.network(
        partnerships=[world.partnership],
        filters=selectors.NetworkFilters(sectors=["civil"]),
        node_limit=2,
    )
    assert {n["sector"] for n in net.nodes if n["is_org"]} == {"civil"}
    # Four leaves and the Harbour Repair Collective are civil.
    assert (net.organisation_shown, net.organisation_total) == (2, 5)


def test_edges_are_capped_per_source_and_the_page_says_so(world, client_for, monkeypatch):
    _star(world, leaves=5)
    net = selectors.network(partnerships=[world.partnership], edge_limit=2)
    relationships = [e for e in net.edges if e["origin"] == "entered"]
    assert len(relationships) == 2
    assert net.edges_capped
    # The newest two recorded.
    newest = sorted(
        Relationship.objects.filter(partnership=world.partnership).values_list("pk", flat=True)
    )[-2:]
    assert sorted(e["pk"] for e in relationships) == newest
    assert not selectors.network(partnerships=[world.partnership]).edges_capped

    monkeypatch.setattr(selectors, "EDGE_LIMIT", 2)
    text = client_for("observer").get(reverse("systemmap:network", kwargs={"slug": "matrix"}))
    assert "at most 2 of each type are drawn" in text.content.decode()


def test_the_ends_of_an_asked_path_are_drawn_even_when_the_map_is_capped(world):
    hub = _star(world)
    far = OrganisationFactory(name="Far Away")
    RelationshipFactory(partnership=world.partnership, source=far, target=world.organisation)
    # A hidden organisation stays hidden, even when asked for.
    hidden = OrganisationFactory(name="Hidden")
    RelationshipFactory(partnership=world.other_partnership, source=hidden, target=far)
    net = selectors.network(
        partnerships=[world.partnership],
        filters=selectors.NetworkFilters(path_from=far.pk, path_to=hidden.pk),
        node_limit=1,
    )
    ids = {n["id"] for n in net.nodes if n["is_org"]}
    assert ids == {org_node(hub.pk), org_node(far.pk)}
    assert net.path is None


def test_who_knows_whom_by_name_without_listing_every_organisation(world, client_for):
    a = OrganisationFactory(name="Alfa Aid")
    b = OrganisationFactory(name="Bravo Builders")
    c = OrganisationFactory(name="Bravo Bakers")
    RelationshipFactory(partnership=world.partnership, source=world.organisation, target=a)
    RelationshipFactory(partnership=world.partnership, source=a, target=b)
    RelationshipFactory(partnership=world.partnership, source=a, target=c)
    hidden = OrganisationFactory(name="Bravo Secret")
    RelationshipFactory(partnership=world.other_partnership, source=hidden, target=a)
    client = client_for("observer")
    url = reverse("systemmap:network", kwargs={"slug": "matrix"})
    # No organisation picker lists the organisations.
    page = client.get(url)
    assert '<option value="' + str(a.pk) not in page.content.decode()
    # One match each: the path is found and the names are filled in.
    page = client.get(
        url, {"f": "1", "kind": "informal", "from_name": "harbour", "to_name": "builders"}
    )
    path = page.context["net"].path
    assert [s["name"] for s in path] == [world.organisation.name, "Alfa Aid", "Bravo Builders"]
    assert page.context["form"]["from_name"].value() == world.organisation.name
    assert page.context["form"]["path_to"].value() == str(b.pk)
    # Several matches: a choice, no path; the hidden organisation is never offered.
    page = client.get(
        url, {"f": "1", "kind": "informal", "from_name": "harbour", "to_name": "bravo"}
    )
    assert page.context["net"].path_asked is False
    (choice,) = page.context["path_choices"]
    assert [o["name"] for o in choice["options"]] == ["Bravo Bakers", "Bravo Builders"]
    body = page.content.decode()
    assert "several organisations on the map match" in body
    assert "Bravo Secret" not in body
    # Following a choice settles it.
    page = client.get(url + "?" + choice["options"][0]["qs"])
    assert [s["name"] for s in page.context["net"].path][-1] == "Bravo Bakers"
    # A name that matches nothing on the map, including a hidden organisation's.
    page = client.get(
        url, {"f": "1", "kind": "informal", "from_name": "harbour", "to_name": "secret"}
    )
    assert "no organisation on the map matches" in page.content.decode()
    assert page.context["net"].path_asked is False


def test_the_map_across_partnerships_covers_a_capped_number_of_them(world, client_for, monkeypatch):
    from commonground.partnerships.tests.factories import PartnershipFactory, RoleFactory

    user = world.user("observer")
    third = PartnershipFactory(name="Another Partnership", slug="another")
    RoleFactory(partnership=third, user=user, kind="observer")
    lonely = OrganisationFactory(name="Only In Another")
    MembershipFactory(partnership=third, organisation=lonely)
    monkeypatch.setattr(selectors, "PARTNERSHIP_LIMIT", 1)
    client = client_for("observer")
    url = reverse("systemmap_global:network")
    page = client.get(url)
    assert [p.slug for p in page.context["partnerships"]] == ["another"]  # first by name
    assert "first 1 (by name) of the 2 partnerships" in page.content.decode()
    assert "Only In Another" in page.content.decode()
    page = client.get(url, {"f": "1", "partnership": "matrix", "kind": "member_of"})
    assert [p.slug for p in page.context["partnerships"]] == ["matrix"]
    assert "Only In Another" not in page.content.decode()
    data = client.get("/api/systemmap/network").json()
    assert (data["partnerships_total"], data["partnerships"]) == (2, ["another"])


def _stored_ties():
    from collections import Counter

    from commonground.systemmap.models import TieCount

    return Counter(
        {(t.partnership_id, t.organisation_id, t.kind): t.ties for t in TieCount.objects.all()}
    )


def test_tie_counts_follow_every_change_to_the_relationships(world):
    from commonground.systemmap import ties

    pids = [world.partnership.pk, world.other_partnership.pk]
    a, b, c = (OrganisationFactory(name=n) for n in ("A", "B", "C"))
    r1 = RelationshipFactory(partnership=world.partnership, source=a, target=b, kind="funds")
    RelationshipFactory(partnership=world.partnership, source=a, target=b, kind="funds")
    r3 = RelationshipFactory(partnership=world.partnership, source=b, target=c)
    RelationshipFactory(partnership=world.other_partnership, source=a, target=c)
    p = world.partnership.pk
    assert _stored_ties()[(p, a.pk, "funds")] == 2
    assert _stored_ties() == ties.counted(pids)
    # A change of kind or of an end moves the counts.
    moved = Relationship.objects.get(pk=r1.pk)
    moved.kind = "refers"
    moved.target_id = c.pk
    moved.save()
    assert _stored_ties()[(p, a.pk, "funds")] == 1
    assert _stored_ties()[(p, c.pk, "refers")] == 1
    assert _stored_ties() == ties.counted(pids)
    # Deleting, directly and by cascade (an organisation, a partnership).
    r3.delete()
    assert (p, b.pk, "informal") not in _stored_ties()
    c.delete()
    assert _stored_ties() == ties.counted(pids)
    assert not [k for k in _stored_ties() if k[1] == c.pk]
    world.other_partnership.delete()
    assert _stored_ties() == ties.counted([p])
    # Rebuilding gives the same counts.
    before = _stored_ties()
    ties.recount([p])
    assert _stored_ties() == before


def test_the_ranking_counts_every_relationship_with_and_without_a_period(world):
    import datetime

    hub = _star(world, leaves=3)
    old = OrganisationFactory(name="Old Friend")
    for _ in range(5):
        RelationshipFactory(
            partnership=world.partnership,
            source=old,
            target=world.organisation,
            started_on=datetime.date(2020, 1, 1),
            ended_on=datetime.date(2020, 6, 1),
        )
    # Five old ties outrank the hub's three; in 2024 only the hub's count.
    net = selectors.network(partnerships=[world.partnership], node_limit=1)
    assert [n["name"] for n in net.nodes if n["is_org"]] == ["Harbour Repair Collective"]
    recent = selectors.network(
        partnerships=[world.partnership],
        filters=selectors.NetworkFilters(start=datetime.date(2024, 1, 1)),
        node_limit=1,
    )
    assert [n["pk"] for n in recent.nodes if n["is_org"]] == [hub.pk]
