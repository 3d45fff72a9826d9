from __future__ import annotations

import datetime
import functools
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.atlas import geo, selectors, services
from commonground.atlas.models import Activity, ConversationSuggestion
from commonground.core.testing import assert_queries_do_not_grow
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import MembershipFactory

from .factories import make_activity, theme

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[10.70, 59.90], [10.72, 59.90], [10.72, 59.91], [10.70, 59.91], [10.70, 59.90]]
    ],
}


# --- geometry ----------------------------------------------------------------------------


def test_polygon_is_validated_and_boxed():
    area, box = geo.parse_area(SQUARE)
    assert area["type"] == "Polygon"
    assert box == (
        Decimal("59.900000"),
        Decimal("10.700000"),
        Decimal("59.910000"),
        Decimal("10.720000"),
    )


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        {"type": "Point", "coordinates": [10.7, 59.9]},
        {"type": "Polygon", "coordinates": [[[10.7, 59.9], [10.8, 59.9], [10.8, 60.0]]]},
        {
            "type": "Polygon",
            "coordinates": [[[10.7, 59.9], [10.8, 59.9], [10.8, 60], [10.7, 60.1]]],
        },
        {"type": "Polygon", "coordinates": [[[10.7, 91], [10.8, 59.9], [10.8, 60], [10.7, 91]]]},
        {"type": "Polygon", "coordinates": [[[200, 59], [10.8, 59.9], [10.8, 60], [200, 59]]]},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
    ],
)
def test_invalid_polygons_are_refused(bad):
    with pytest.raises(ValidationError):
        geo.parse_area(bad)


def test_point_out_of_range_is_refused():
    with pytest.raises(ValidationError, match="Latitude"):
        geo.check_point("95", "10")
    with pytest.raises(ValidationError, match="Longitude"):
        geo.check_point("59", "-181")


def test_haversine_is_about_right():
    # One degree of latitude is about 111.2 km; at 60° N a degree of longitude is half that.
    assert 111.1 < geo.haversine_km(59, 10, 60, 10) < 111.3
    assert 55.5 < geo.haversine_km(60, 10, 60, 11) < 55.7


# --- services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalid_area_stores_nothing(world):
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=world.users["manager"],
            partnership=world.partnership,
            title="Bad",
            organisations=[world.organisation],
            themes=[theme()],
            area={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]},
        )
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_only_member_organisations_can_be_named(world):
    stranger = OrganisationFactory()
    with pytest.raises(ValidationError, match="member"):
        make_activity(world.partnership, [stranger])


@pytest.mark.django_db
def test_area_gives_bbox_covering_point_too(world):
    a = make_activity(
        world.partnership, [world.organisation], area=SQUARE, lat="59.95", lon="10.71"
    )
    assert (a.min_lat, a.max_lat) == (Decimal("59.900000"), Decimal("59.950000"))
    assert (a.min_lon, a.max_lon) == (Decimal("10.700000"), Decimal("10.720000"))


# --- overlaps ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overlaps_need_shared_theme_different_orgs_and_nearness_or_time(world):
    p, a, b = world.partnership, world.organisation, world.second_organisation
    today = datetime.date(2026, 6, 1)
    cafe = make_activity(p, [a], title="Café", lat="59.923100", lon="10.759200")
    library = make_activity(p, [b], title="Library", lat="59.923600", lon="10.760100")
    # Same place but same organisation: not an overlap.
    make_activity(p, [a], title="Own twin", lat="59.923200", lon="10.759300")
    # Different theme nearby: not an overlap.
    make_activity(p, [b], title="Energy", themes=["energy"], lat="59.9232", lon="10.7593")
    # Far away, no dates: not an overlap.
    make_activity(p, [b], title="Far", lat="59.99", lon="10.99")
    # Far away but running at the same time as a dated activity: a (lower-ranked) overlap.
    dated = make_activity(p, [a], title="Dated", lat="59.88", lon="10.65", starts_on=today)
    timed = make_activity(
        p, [b], title="Timed", lat="59.96", lon="10.85", starts_on=today, ends_on=today
    )

    found = selectors.overlaps_for([p])
    pairs = [{o.first.title, o.second.title} for o in found]
    assert {"Café", "Library"} in pairs
    assert {"Dated", "Timed"} in pairs
    assert {"Café", "Own twin"} not in pairs
    assert not any("Energy" in pr for pr in pairs)
    assert not any("Far" in pr and "Dated" not in pr and "Timed" not in pr for pr in pairs)
    top = found[0]
    assert library.pk in {top.first.pk, top.second.pk} and cafe.pk
    assert top.near and top.distance_km is not None and top.distance_km < 0.1
    assert any("m apart" in r for r in top.reasons)
    timed_pair = next(o for o in found if {o.first.pk, o.second.pk} == {dated.pk, timed.pk})
    assert not timed_pair.near and timed_pair.score < top.score
    assert {"Dated", "Timed"} not in [
        {o.first.title, o.second.title} for o in selectors.overlaps_for([p], near_only=True)
    ]


@pytest.mark.django_db
def test_overlapping_areas_are_found(world):
    p = world.partnership
    other = {
        **SQUARE,
        "coordinates": [
            [[10.71, 59.905], [10.73, 59.905], [10.73, 59.92], [10.71, 59.92], [10.71, 59.905]]
        ],
    }
    make_activity(p, [world.organisation], title="Zone A", lat=None, lon=None, area=SQUARE)
    make_activity(p, [world.second_organisation], title="Zone B", lat=None, lon=None, area=other)
    found = selectors.overlaps_for([p], near_only=True)
    assert len(found) == 1 and "Their areas overlap" in found[0].reasons


# --- GeoJSON and bbox ----------------------------------------------------------------------


@pytest.mark.django_db
def test_bbox_filter_in_sql(world):
    p = world.partnership
    inside = make_activity(p, [world.organisation], title="Inside", lat="59.91", lon="10.75")
    make_activity(p, [world.organisation], title="Outside", lat="59.95", lon="10.85")
    zone = make_activity(p, [world.organisation], title="Zone", lat=None, lon=None, area=SQUARE)
    make_activity(p, [world.organisation], title="Nowhere", lat=None, lon=None)
    box = geo.parse_bbox("59.905,10.715,59.92,10.76")
    titles = set(selectors.in_bbox(Activity.objects.all(), box).values_list("title", flat=True))
    assert titles == {"Inside", "Zone"}  # the zone's box reaches into the requested box
    assert inside.pk and zone.pk


@pytest.mark.django_db
def test_geojson_endpoint_caps_and_flags(world, client_for, monkeypatch):
    p = world.partnership
    for i in range(5):
        make_activity(p, [world.organisation], title=f"A{i}", lat=f"59.9{i}", lon="10.75")
    monkeypatch.setattr(selectors, "FEATURE_CAP", 3)
    url = reverse("atlas:geojson", kwargs={"slug": p.slug})
    data = client_for("observer").get(url).json()
    assert data["type"] == "FeatureCollection"
    assert data["capped"] is True and len(data["features"]) == 3
    data = client_for("observer").get(url, {"bbox": "59.89,10.7,59.915,10.8"}).json()
    assert data["capped"] is False and len(data["features"]) == 2
    bad = client_for("observer").get(url, {"bbox": "1,2,3"})
    assert bad.status_code == 400 and "bbox" in bad.json()["detail"]
    bad = client_for("observer").get(url, {"bbox": "99,2,100,3"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_geojson_only_shows_own_partnership_and_filters(world, client_for):
    make_activity(world.partnership, [world.organisation], title="Mine", tier="core")
    make_activity(world.partnership, [world.organisation], title="Platform", tier="platform")
    MembershipFactory(partnership=world.other_partnership, organisation=world.organisation)
    make_activity(world.other_partnership, [world.organisation], title="Theirs")
    url = reverse("atlas:geojson", kwargs={"slug": world.partnership.slug})
    titles = {f["properties"]["title"] for f in client_for("observer").get(url).json()["features"]}
    assert titles == {"Mine", "Platform"}
    titles = {
        f["properties"]["title"]
        for f in client_for("observer").get(url, {"tier": "core"}).json()["features"]
    }
    assert titles == {"Mine"}
    # The alliance endpoint spans every partnership the user is in.
    alliance = client_for("outsider").get(reverse("atlas_global:geojson")).json()
    assert {f["properties"]["title"] for f in alliance["features"]} == {"Theirs"}


@pytest.mark.django_db
def test_alliance_geojson_in_a_box_keeps_to_the_partnerships_and_the_box(world, client_for):
    MembershipFactory(partnership=world.other_partnership, organisation=world.organisation)
    other = world.other_partnership
    make_activity(other, [world.organisation], title="Point in", lat="59.91", lon="10.75")
    make_activity(other, [world.organisation], title="Point out", lat="59.95", lon="10.85")
    # An area reaching into the box, with its point outside: drawn as both.
    make_activity(other, [world.organisation], title="Zone", lat="59.95", lon="10.71", area=SQUARE)
    make_activity(world.partnership, [world.organisation], title="Not theirs", lat="59.91")
    url = reverse("atlas_global:geojson")
    data = client_for("outsider").get(url, {"bbox": "59.905,10.715,59.92,10.76"}).json()
    features = [(f["properties"]["title"], f["geometry"]["type"]) for f in data["features"]]
    assert sorted(features) == [("Point in", "Point"), ("Zone", "Point"), ("Zone", "Polygon")]
    point = next(f for f in data["features"] if f["properties"]["title"] == "Point in")
    assert point["geometry"]["coordinates"] == [10.75, 59.91]
    assert point["properties"]["organisations"] == [world.organisation.name]
    assert point["properties"]["url"].startswith(f"/p/{other.slug}/atlas/activities/")
    # The same query for a member of both partnerships, with the cap in SQL.
    both = selectors.map_activities([world.partnership, other], many=True)
    box = geo.parse_bbox("59.9,10.7,59.92,10.8")
    one = selectors.feature_collection(both, box=box, cap=1)
    assert one["capped"] and one["count"] == 1
    # The newest first: "Not theirs" was recorded last.
    assert [f["properties"]["title"] for f in one["features"]] == ["Not theirs"]
    every = selectors.feature_collection(both, box=box)
    assert not every["capped"] and every["count"] == 3


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_with_bad_coordinates_keeps_input(world, client_for):
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    response = client_for("representative").post(
        url,
        {
            "title": "Kept title",
            "kind": "project",
            "organisations": [world.organisation.pk],
            "themes": [theme().pk],
            "status": "active",
            "tier": "core",
            "latitude": "123",
            "longitude": "10.7",
        },
    )
    assert response.status_code == 400
    assert b"Kept title" in response.content and b"between" in response.content
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_create_and_edit_rules(world, client_for):
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    data = {
        "title": "New",
        "kind": "project",
        "organisations": [world.organisation.pk],
        "custom_themes": "Digital platforms",
        "status": "active",
        "tier": "platform",
        "latitude": "59.91",
        "longitude": "10.75",
    }
    response = client_for("representative").post(url, data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert [t.name for t in activity.themes.all()] == ["Digital platforms"]
    # The representative cannot edit an activity of another organisation.
    theirs = make_activity(world.partnership, [world.second_organisation], title="Theirs")
    edit = reverse("atlas:activity_edit", kwargs={"slug": world.partnership.slug, "pk": theirs.pk})
    assert client_for("representative").get(edit).status_code == 403
    assert client_for("manager").get(edit).status_code == 200


@pytest.mark.django_db
def test_suggest_a_conversation_is_recorded_and_shown(world, client_for):
    a = make_activity(world.partnership, [world.organisation], title="Café")
    b = make_activity(
        world.partnership, [world.second_organisation], title="Library", lat="59.9236"
    )
    slug = world.partnership.slug
    client = client_for("representative")
    response = client.post(
        reverse("atlas:suggest", kwargs={"slug": slug}),
        {"first": a.pk, "second": b.pk, "note": "Share tools"},
    )
    assert response.status_code == 302
    s = ConversationSuggestion.objects.get()
    assert s.suggested_by == world.users["representative"] and s.note == "Share tools"
    page = client.get(reverse("atlas:overlaps", kwargs={"slug": slug}))
    assert b"Share tools" in page.content and b"Library" in page.content
    # An activity of another partnership cannot be named.
    MembershipFactory(partnership=world.other_partnership, organisation=world.organisation)
    theirs = make_activity(world.other_partnership, [world.organisation], title="Theirs")
    response = client.post(
        reverse("atlas:suggest", kwargs={"slug": slug}), {"first": a.pk, "second": theirs.pk}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_map_page_lists_activities_without_js(world, client_for):
    make_activity(world.partnership, [world.organisation], title="Visible in list")
    response = client_for("observer").get(
        reverse("atlas:map", kwargs={"slug": world.partnership.slug})
    )
    assert response.status_code == 200
    assert b"Visible in list" in response.content and b'id="atlas-map"' in response.content
    assert b"<script>" not in response.content and b"style=" not in response.content


@pytest.mark.django_db
def test_alliance_indicators(world, client_for):
    make_activity(world.partnership, [world.organisation, world.second_organisation], title="Joint")
    make_activity(
        world.partnership,
        [world.organisation],
        title="Gathering",
        kind="regional_gathering",
        starts_on=datetime.date.today(),
        status="completed",
    )
    response = client_for("manager").get(reverse("atlas_global:alliance"))
    ind = response.context["indicators"]
    assert ind["members_active"] == 2 and ind["members_total"] == 2
    held = {e["kind"]: e["held"] for e in ind["events"]}
    assert held["regional_gathering"] == 1 and ind["joint_activities"] == 1


@pytest.mark.django_db
def test_list_pages_do_not_grow_queries(world, client_for):
    client = client_for("manager")
    slug = world.partnership.slug
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            make_activity(
                world.partnership,
                [world.organisation, world.second_organisation] if n % 2 else [world.organisation],
                title=f"Grow {n}",
                themes=["sharing-repair", "food"],
                area=SQUARE if n % 3 == 0 else None,
            )

    grow()
    for url in (
        reverse("atlas:map", kwargs={"slug": slug}),
        reverse("atlas:geojson", kwargs={"slug": slug}),
        reverse("atlas:overlaps", kwargs={"slug": slug}),
    ):
        assert_queries_do_not_grow(functools.partial(client.get, url), grow)

    # The alliance page caches its indicators: compare cold pages (which count them).
    def cold_alliance():
        cache.clear()
        return client.get(reverse("atlas_global:alliance"))

    assert_queries_do_not_grow(cold_alliance, grow)


@pytest.mark.django_db
def test_api_geojson_and_overlaps(world, client_for):
    make_activity(world.partnership, [world.organisation], title="Café")
    make_activity(world.partnership, [world.second_organisation], title="Library", lat="59.9236")
    slug = world.partnership.slug
    client = client_for("observer")
    data = client.get(reverse("api:atlas_geojson", kwargs={"slug": slug}), {"bbox": "59,10,60,11"})
    assert data.status_code == 200 and len(data.json()["features"]) == 2
    bad = client.get(reverse("api:atlas_geojson", kwargs={"slug": slug}), {"bbox": "x"})
    assert bad.status_code == 400
    pairs = client.get(reverse("api:atlas_overlaps", kwargs={"slug": slug})).json()
    assert len(pairs) == 1 and pairs[0]["near"] is True


@pytest.mark.django_db
def test_home_panels(world, client_for):
    from commonground.library.tests.factories import make_document

    make_activity(world.partnership, [world.organisation], title="Café")
    make_document(world.partnership, world.organisation, title="Shared notes")
    make_document(world.partnership, world.organisation, title="Secret", access_level="managers")
    from commonground.core.testing import home_with_panels

    page = home_with_panels(client_for("observer"), world.partnership)
    assert "Activities on the map" in page and "Shared notes" in page and "Secret" not in page
