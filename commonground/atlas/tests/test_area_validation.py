"""The activity's area: one GeoJSON validator with documented limits (docs/security.md).

Before, any JSON went in: deep nesting answered 500, non-numeric coordinates were
stored and served on the map, and a 2.4 MB area was accepted.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.atlas import geo
from commonground.atlas.models import Activity

from .factories import theme

RING = [[10.70, 59.90], [10.72, 59.90], [10.72, 59.91], [10.70, 59.91], [10.70, 59.90]]
SQUARE = {"type": "Polygon", "coordinates": [RING]}


def _square(lon: float, lat: float, size: float = 0.001) -> list[list[list[float]]]:
    return [
        [
            [lon, lat],
            [lon + size, lat],
            [lon + size, lat + size],
            [lon, lat + size],
            [lon, lat],
        ]
    ]


def _many_squares(count: int) -> dict:
    return {
        "type": "MultiPolygon",
        "coordinates": [
            _square(10 + (i % 500) * 0.002, 59 + (i // 500) * 0.002) for i in range(count)
        ],
    }


DEEP = "[" * 20000 + "]" * 20000
DEEP_IN_PROPERTIES = (
    '{"type": "Feature", "properties": {"x": ' + "[" * 5000 + "]" * 5000 + "}, "
    '"geometry": ' + json.dumps(SQUARE) + "}"
)
HUGE = json.dumps(_many_squares(20000))  # about 2.4 MB
MANY_POINTS = json.dumps(
    {
        "type": "MultiPolygon",
        "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] * (geo.MAX_AREA_POINTS // 4 + 1),
    },
    separators=(",", ":"),
)

REFUSED = {
    "deep nesting": (DEEP, "nested"),
    "deep nesting in properties": (DEEP_IN_PROPERTIES, "nested"),
    "2.4 MB": (HUGE, "too large"),
    "too many points": (MANY_POINTS, "too many points"),
    "text as a third coordinate": (
        json.dumps({"type": "Polygon", "coordinates": [[[*p, "x"] for p in RING]]}),
        "numbers",
    ),
    "object as a coordinate": (
        json.dumps({"type": "Polygon", "coordinates": [[[{"a": 1}, 59.9], *RING[1:]]]}),
        "numbers",
    ),
    "four numbers in a position": (
        json.dumps({"type": "Polygon", "coordinates": [[[*p, 1, 2] for p in RING]]}),
        "numbers",
    ),
    "NaN": (
        (
            '{"type": "Polygon", "coordinates": [[[NaN, 59.9], [10.72, 59.9], [10.72, 59.91], '
            "[NaN, 59.9]]]}"
        ),
        "number",
    ),
    "Infinity": (
        (
            '{"type": "Polygon", "coordinates": [[[Infinity, 59.9], [10.72, 59.9], [10.72, 59.91], '
            "[Infinity, 59.9]]]}"
        ),
        "number",
    ),
    "booleans": (
        json.dumps(
            {"type": "Polygon", "coordinates": [[[True, False], *RING[1:-1], [True, False]]]}
        ),
        "numbers",
    ),
    "latitude out of range": (
        json.dumps({"type": "Polygon", "coordinates": [[[10, 91], *RING[1:-1], [10, 91]]]}),
        "Latitude",
    ),
    "open ring": (
        json.dumps({"type": "Polygon", "coordinates": [[*RING[:-1], [10.7, 59.95]]]}),
        "closed",
    ),
    "a point": (json.dumps({"type": "Point", "coordinates": [10.7, 59.9]}), "Polygon"),
    "a feature collection": (
        json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": SQUARE}]}
        ),
        "Polygon",
    ),
    "a feature without geometry": (json.dumps({"type": "Feature", "geometry": None}), "Polygon"),
    "not JSON": ("{'type': 'Polygon'}", "JSON"),
    "a bare list": ("[1, 2]", "Polygon"),
    "polygon without rings": (json.dumps({"type": "Polygon", "coordinates": []}), "ring"),
    "rings not lists": (json.dumps({"type": "Polygon", "coordinates": [5]}), "ring"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_areas_say_why(name):
    raw, reason = REFUSED[name]
    with pytest.raises(ValidationError) as exc:
        geo.parse_area(raw)
    assert reason.lower() in " ".join(exc.value.messages).lower()


@pytest.mark.parametrize("name", ["deep nesting", "2.4 MB", "too many points"])
def test_refused_areas_as_parsed_json_say_why(name):
    # The same limits for an area that arrives already parsed (a JSON body).
    raw, reason = REFUSED[name]
    value = json.loads(raw) if name != "deep nesting" else _nested_lists(5000)
    with pytest.raises(ValidationError) as exc:
        geo.parse_area(value)
    assert reason.lower() in " ".join(exc.value.messages).lower()


def _nested_lists(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def test_a_valid_area_comes_back_as_plain_numbers():
    area, _box = geo.parse_area(
        json.dumps({"type": "Polygon", "coordinates": [[[*p, 12.5] for p in RING]]})
    )
    assert area == SQUARE  # the altitude is dropped
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": _many_squares(3)}
    area, _box = geo.parse_area(feature)
    assert area["type"] == "MultiPolygon" and len(area["coordinates"]) == 3
    assert set(area) == {"type", "coordinates"}


def test_the_largest_allowed_area_is_accepted():
    count = geo.MAX_AREA_POINTS // 5
    text = json.dumps(_many_squares(count))
    assert len(text.encode()) <= geo.MAX_AREA_BYTES
    area, _box = geo.parse_area(text)
    assert len(area["coordinates"]) == count


NUMBER = st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(max_size=3)
JSONISH = st.recursive(
    st.none() | st.booleans() | NUMBER,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(["type", "coordinates", "geometry", "x"]), inner, max_size=3
        )
    ),
    max_leaves=40,
)
GEOMETRY = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Feature", "Point"]),
        "coordinates": JSONISH,
    }
)


@given(st.one_of(JSONISH, GEOMETRY, GEOMETRY.map(json.dumps), st.text()))
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_any_value_is_refused_cleanly_or_comes_back_finite_and_in_range(value):
    try:
        area, _box = geo.parse_area(value)
    except ValidationError:
        return
    json.dumps(area, allow_nan=False)
    polygons = [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
    for polygon in polygons:
        for ring in polygon:
            for lon, lat in ring:
                assert type(lon) is float and type(lat) is float
                assert -180 <= lon <= 180 and -90 <= lat <= 90


# --- the form ------------------------------------------------------------------------


def _post(world, client_for, area: str):
    url = reverse("atlas:activity_create", kwargs={"slug": world.partnership.slug})
    return client_for("representative").post(
        url,
        {
            "title": "Kept title",
            "kind": "project",
            "organisations": [world.organisation.pk],
            "themes": [theme().pk],
            "status": "active",
            "tier": "core",
            "area": area,
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["deep nesting", "2.4 MB", "text as a third coordinate", "NaN"])
def test_the_form_refuses_a_bad_area_on_the_field_and_keeps_the_text(world, client_for, name):
    raw, reason = REFUSED[name]
    response = _post(world, client_for, raw)
    assert response.status_code == 400
    form = response.context["form"]
    assert reason.lower() in " ".join(form.errors["area"]).lower()
    if len(raw) < 10000:
        assert form["area"].value() == raw
        assert response.content.count(b"Kept title") >= 1
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_form_stores_a_valid_area(world, client_for):
    response = _post(world, client_for, json.dumps({"type": "Feature", "geometry": SQUARE}))
    assert response.status_code == 302
    assert Activity.objects.get().area == SQUARE


@pytest.mark.django_db
def test_areas_stored_before_the_check_are_checked_once(world):
    import importlib

    from django.apps import apps

    from .factories import make_activity

    migration = importlib.import_module("commonground.atlas.migrations.0004_revalidate_areas")
    bad = make_activity(world.partnership, [world.organisation], title="Bad", area=SQUARE)
    good = make_activity(
        world.partnership, [world.organisation], title="Good", lat=None, lon=None, area=SQUARE
    )
    Activity.objects.filter(pk=bad.pk).update(
        area={"type": "Polygon", "coordinates": [[[*p, "x"] for p in RING]]}
    )
    Activity.objects.filter(pk=good.pk).update(
        area={"type": "Feature", "geometry": SQUARE, "properties": {"a": 1}}
    )
    migration.revalidate(apps, None)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.area is None
    assert (bad.min_lat, bad.min_lon) == (bad.latitude, bad.longitude)
    assert good.area == SQUARE
    assert good.min_lat is not None
