"""The map and the alliance page at scale: grid clusters over a threshold, bounded
overlap search, organisations typed by name."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from commonground.atlas import geo, selectors
from commonground.atlas.models import Activity
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import MembershipFactory

from .factories import make_activity

BOX = "59.90,10.70,59.96,10.80"
# An area with no point, reaching into BOX from the west.
WEST_AREA = {
    "type": "Polygon",
    "coordinates": [
        [[10.60, 59.92], [10.72, 59.92], [10.72, 59.93], [10.60, 59.93], [10.60, 59.92]]
    ],
}


def _spread(world, n, *, south=59.905, north=59.955, west=10.705, east=10.795):
    rng = random.Random(7)
    made = []
    for i in range(n):
        lat = f"{south + rng.random() * (north - south):.6f}"
        lon = f"{west + rng.random() * (east - west):.6f}"
        made.append(
            make_activity(world.partnership, [world.organisation], title=f"P{i}", lat=lat, lon=lon)
        )
    return made


def _inside(bbox, lat, lon):
    w, s, e, n = bbox
    return s <= lat <= n and w <= lon <= e


@pytest.mark.django_db
def test_over_the_threshold_the_map_gets_grid_clusters(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "CLUSTER_THRESHOLD", 5)
    points = _spread(world, 12)
    # Outside the box: not counted.
    make_activity(world.partnership, [world.organisation], title="Far", lat="60.5", lon="11.5")
    # A point in the box that also has an area: counted once.
    make_activity(world.partnership, [world.organisation], title="Both", area=WEST_AREA)
    # An area whose point is outside the box, and an area with no point: counted once each.
    make_activity(
        world.partnership,
        [world.organisation],
        title="Zone",
        lat="59.5",
        lon="10.0",
        area=WEST_AREA,
    )
    make_activity(world.partnership, [world.organisation], title="Bare zone", lat=None, lon=None)
    make_activity(
        world.partnership, [world.organisation], title="Zone 2", lat=None, lon=None, area=WEST_AREA
    )
    url = reverse("atlas:geojson", kwargs={"slug": world.partnership.slug})
    data = client_for("observer").get(url, {"bbox": BOX}).json()
    assert data["clustered"] is True
    features = data["features"]
    assert features and all(f["properties"]["cluster"] for f in features)
    assert "title" not in features[0]["properties"]
    # 12 spread points + "Both" (its point) + "Zone" and "Zone 2" (their areas).
    assert data["count"] == 15 == sum(f["properties"]["count"] for f in features)
    assert len(features) <= selectors.CLUSTER_GRID**2
    # Every point lies in the bounding box of some cluster, and each cluster's
    # position lies in its own bounding box.
    for a in points:
        lat, lon = float(a.latitude), float(a.longitude)
        assert any(_inside(f["properties"]["bbox"], lat, lon) for f in features), a.title
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        w, s, e, n = f["properties"]["bbox"]
        assert w <= e and s <= n
        assert _inside([w, s, e, n], lat, lon)
        # A cell of the 16 × 16 grid over the box, not more.
        assert e - w <= 0.10 / selectors.CLUSTER_GRID + 1e-5
        assert n - s <= 0.06 / selectors.CLUSTER_GRID + 1e-5


@pytest.mark.django_db
def test_a_cluster_bbox_holds_exactly_its_points(world):
    _spread(world, 30)
    qs = selectors.map_activities([world.partnership])
    box = geo.parse_bbox(BOX)
    clusters, _capped = selectors._clusters(qs, box, 4)
    assert sum(f["properties"]["count"] for f in clusters) == 30
    positions = [(float(a.latitude), float(a.longitude)) for a in Activity.objects.all()]
    for f in clusters:
        inside = [p for p in positions if _inside(f["properties"]["bbox"], *p)]
        # The cell's bounds hold its points (and, the grid being what it is, no others).
        assert len(inside) == f["properties"]["count"]
    # Together the cells cover each point once: with 4 × 4 cells the counts per cell
    # match the points that fall into that cell.
    height, width = 0.06 / 4, 0.10 / 4
    expected: dict[tuple[int, int], int] = {}
    for lat, lon in positions:
        key = (int((lat - 59.90) // height), int((lon - 10.70) // width))
        expected[key] = expected.get(key, 0) + 1
    assert sorted(f["properties"]["count"] for f in clusters) == sorted(expected.values())


@pytest.mark.django_db
def test_under_the_threshold_the_map_gets_single_activities(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "CLUSTER_THRESHOLD", 5)
    _spread(world, 5)
    make_activity(world.partnership, [world.organisation], title="Far", lat="60.5", lon="11.5")
    url = reverse("atlas:geojson", kwargs={"slug": world.partnership.slug})
    data = client_for("observer").get(url, {"bbox": BOX}).json()
    assert data["clustered"] is False and data["count"] == 5
    assert sorted(f["properties"]["title"] for f in data["features"]) == [f"P{i}" for i in range(5)]
    assert all("cluster" not in f["properties"] for f in data["features"])
    # One more in the box tips it over.
    _spread(world, 1, south=59.91, north=59.911)
    assert client_for("observer").get(url, {"bbox": BOX}).json()["clustered"] is True


@pytest.mark.django_db
def test_without_a_box_the_clusters_cover_every_located_activity(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "CLUSTER_THRESHOLD", 3)
    _spread(world, 4)
    make_activity(world.partnership, [world.organisation], title="Far", lat="60.5", lon="11.5")
    make_activity(world.partnership, [world.organisation], title="Nowhere", lat=None, lon=None)
    data = (
        client_for("observer")
        .get(reverse("atlas:geojson", kwargs={"slug": world.partnership.slug}))
        .json()
    )
    assert data["clustered"] is True and data["count"] == 5
    far = [f for f in data["features"] if _inside(f["properties"]["bbox"], 60.5, 11.5)]
    assert len(far) == 1 and far[0]["properties"]["count"] == 1


@pytest.mark.django_db
def test_map_page_passes_the_cluster_labels_to_the_script(world, client_for):
    page = client_for("observer").get(reverse("atlas:map", kwargs={"slug": world.partnership.slug}))
    assert b'data-group-text="%(count)s activities here' in page.content
    assert b"data-clustered-text=" in page.content
    client = client_for("observer")
    client.cookies["django_language"] = "nb"
    nb = client.get(
        reverse("atlas:map", kwargs={"slug": world.partnership.slug}),
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert "aktiviteter her – zoom inn" in nb.content.decode()


# --- overlaps -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_near_only_search_finds_the_same_pairs_as_comparing_every_pair(world):
    rng = random.Random(3)
    orgs = [world.organisation, world.second_organisation, OrganisationFactory()]
    for org in orgs[2:]:
        MembershipFactory(partnership=world.partnership, organisation=org)
    for i in range(40):
        lat = f"{59.90 + rng.random() * 0.05:.6f}"
        lon = f"{10.70 + rng.random() * 0.05:.6f}"
        make_activity(
            world.partnership,
            [orgs[i % 3]],
            title=f"O{i}",
            lat=lat,
            lon=lon,
            themes=["sharing-repair"] if i % 2 else ["sharing-repair", "food"],
            area=WEST_AREA if i % 13 == 0 else None,
        )
    acts = list(selectors.activities_base([world.partnership]))
    every = [o for o in selectors.find_overlaps(acts) if o.near]
    quick = selectors.find_overlaps(acts, near_only=True)
    assert len(every) > 5
    key = [(o.first.pk, o.second.pk, o.score) for o in every]
    assert [(o.first.pk, o.second.pk, o.score) for o in quick] == key


@pytest.mark.django_db
def test_alliance_compares_only_the_newest_activities_and_says_so(world, client_for, monkeypatch):
    p = world.partnership
    old_a = make_activity(p, [world.organisation], title="Old café")
    old_b = make_activity(p, [world.second_organisation], title="Old library", lat="59.9236")
    url = reverse("atlas_global:alliance")
    page = client_for("manager").get(url)
    pairs = [(o.first.pk, o.second.pk) for o in page.context["overlaps"]]
    assert pairs == [(old_a.pk, old_b.pk)]
    assert b"newest activities with a place are compared" not in page.content
    for i in range(3):
        make_activity(p, [world.organisation], title=f"New {i}", lat="60.5", lon=f"11.{i}")
    monkeypatch.setattr(selectors, "ALLIANCE_OVERLAP_LIMIT", 3)
    page = client_for("manager").get(url)
    assert page.context["overlaps"] == []
    assert b"Only the 3 newest activities with a place are compared." in page.content


@pytest.mark.django_db
def test_organisation_filter_is_typed_not_listed(world, client_for):
    p = world.partnership
    make_activity(p, [world.organisation], title="By the first")
    make_activity(p, [world.second_organisation], title="By the second")
    client = client_for("manager")
    page = client.get(reverse("atlas_global:alliance"))
    assert b'<select name="organisation"' not in page.content
    assert b'type="search" name="organisation"' in page.content
    part = world.second_organisation.name[2:8]
    assert part.lower() not in world.organisation.name.lower()
    page = client.get(reverse("atlas_global:alliance"), {"organisation": part})
    assert [a.title for a in page.context["page"]] == ["By the second"]
    # The organisation's number (as old links carry) still works.
    page = client.get(
        reverse("atlas:map", kwargs={"slug": p.slug}), {"organisation": world.organisation.pk}
    )
    assert [a.title for a in page.context["page"]] == ["By the first"]
    geo_url = reverse("atlas:geojson", kwargs={"slug": p.slug})
    data = client.get(geo_url, {"organisation": part}).json()
    assert [f["properties"]["title"] for f in data["features"]] == ["By the second"]
    assert client.get(geo_url, {"organisation": "no such name"}).json()["features"] == []


@pytest.mark.django_db
def test_clusters_are_drawn_from_the_newest_points_and_say_when_there_are_more(
    world, client_for, monkeypatch
):
    monkeypatch.setattr(selectors, "CLUSTER_THRESHOLD", 3)
    monkeypatch.setattr(selectors, "CLUSTER_SAMPLE", 5)
    _spread(world, 9)
    url = reverse("atlas:geojson", kwargs={"slug": world.partnership.slug})
    data = client_for("observer").get(url, {"bbox": BOX}).json()
    assert data["clustered"] is True and data["capped"] is True
    # The newest five plus the one that shows there are more: never all nine.
    assert data["count"] == 6 == sum(f["properties"]["count"] for f in data["features"])
    monkeypatch.setattr(selectors, "CLUSTER_SAMPLE", 9)
    data = client_for("observer").get(url, {"bbox": BOX}).json()
    assert data["capped"] is False and data["count"] == 9
