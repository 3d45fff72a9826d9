"""Geometry helpers: GeoJSON polygon validation, bounding boxes and distances."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_RADIUS_KM = 6371.0088
# Limits of an activity's area (docs/security.md): a detailed city district fits.
MAX_AREA_BYTES = 512 * 1024  # of GeoJSON text (UTF-8)
MAX_AREA_POINTS = 10_000  # positions in all rings together
MAX_AREA_DEPTH = 8  # nested arrays and objects; a Feature holding a MultiPolygon needs 6

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")

BBox = tuple[Decimal, Decimal, Decimal, Decimal]  # min_lat, min_lon, max_lat, max_lon


def to_decimal(value: Any, *, low: int, high: int, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s is not a number.") % {"label": label}) from None
    if not number.is_finite() or number < low or number > high:
        raise ValidationError(
            _("%(label)s must be between %(low)s and %(high)s.")
            % {"label": label, "low": low, "high": high}
        )
    return number.quantize(Decimal("0.000001"))


def check_point(lat: Any, lon: Any) -> tuple[Decimal, Decimal]:
    return (
        to_decimal(lat, low=-90, high=90, label=_("Latitude")),
        to_decimal(lon, low=-180, high=180, label=_("Longitude")),
    )


def _too_deep_text(text: str) -> bool:
    """Whether JSON text nests arrays and objects deeper than MAX_AREA_DEPTH (strings
    skipped), found without parsing it: the parser itself fails on deep nesting."""
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth = depth + 1 if bracket in "[{" else depth - 1
        if depth > MAX_AREA_DEPTH:
            return True
    return False


def _too_deep(value: Any) -> bool:
    """The same for a value already parsed (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_AREA_DEPTH:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _not_a_number(constant: str) -> Any:
    raise ValidationError(
        _("The area holds %(value)s, which is not a number.") % {"value": constant}
    )


def _position(position: Any) -> tuple[Decimal, Decimal]:
    if (
        not isinstance(position, list)
        or not 2 <= len(position) <= 3
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
    ):
        raise ValidationError(_("Each position must be a pair of numbers [longitude, latitude]."))
    for c in position[2:]:  # an altitude, dropped, but it must be a number too
        to_decimal(c, low=-100_000, high=100_000, label=_("Altitude"))
    lon = to_decimal(position[0], low=-180, high=180, label=_("Longitude"))
    lat = to_decimal(position[1], low=-90, high=90, label=_("Latitude"))
    return lat, lon


def _ring(ring: Any) -> list[tuple[Decimal, Decimal]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of a polygon needs at least four positions."))
    points = [_position(position) for position in ring]
    if points[0] != points[-1]:
        raise ValidationError(_("Each ring of a polygon must be closed (last position = first)."))
    return points


def parse_area(raw: Any) -> tuple[dict[str, Any], BBox]:
    """Validate an area; return it as a plain GeoJSON geometry and its bbox.

    The one check for an activity's area, used by the form, the service and so any
    API. Accepted: a GeoJSON Polygon or MultiPolygon, or a Feature whose geometry is
    one (its properties are dropped). Each position is [longitude, latitude] (an
    altitude may follow and is dropped) with finite numbers in range; each ring has at
    least four positions and is closed. Limits: MAX_AREA_BYTES of JSON text,
    MAX_AREA_DEPTH levels of nesting, MAX_AREA_POINTS positions in all. What is
    returned holds only the type and the checked coordinates, as floats.
    """
    if isinstance(raw, str):
        if len(raw.encode()) > MAX_AREA_BYTES:
            raise _too_large()
        if _too_deep_text(raw):
            raise _nested_too_deeply()
        try:
            raw = json.loads(raw, parse_constant=_not_a_number)
        except ValueError:
            raise ValidationError(_("The area is not valid JSON.")) from None
    else:
        if _too_deep(raw):
            raise _nested_too_deeply()
        try:
            size = len(json.dumps(raw, allow_nan=True).encode())
        except (TypeError, ValueError):
            raise ValidationError(_("The area is not valid JSON.")) from None
        if size > MAX_AREA_BYTES:
            raise _too_large()
    if isinstance(raw, dict) and raw.get("type") == "Feature":
        raw = raw.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _("The area must be a GeoJSON Polygon or MultiPolygon (or a Feature holding one).")
        )
    coords = raw.get("coordinates")
    polygons = [coords] if raw["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The area has no coordinates."))
    count = 0
    clean: list[list[list[list[float]]]] = []
    all_points: list[tuple[Decimal, Decimal]] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("Each polygon needs at least one ring."))
        rings = []
        for ring in polygon:
            count += len(ring) if isinstance(ring, list) else 0
            if count > MAX_AREA_POINTS:
                raise ValidationError(
                    _("The area has too many points (at most %(limit)s).")
                    % {"limit": f"{MAX_AREA_POINTS:,}"}
                )
            points = _ring(ring)
            all_points.extend(points)
            rings.append([[float(lon), float(lat)] for lat, lon in points])
        clean.append(rings)
    lats = [p[0] for p in all_points]
    lons = [p[1] for p in all_points]
    area = {"type": raw["type"], "coordinates": clean[0] if raw["type"] == "Polygon" else clean}
    return area, (min(lats), min(lons), max(lats), max(lons))


def _too_large() -> ValidationError:
    return ValidationError(
        _("The area is too large: at most %(limit)s kB of GeoJSON.")
        % {"limit": MAX_AREA_BYTES // 1024}
    )


def _nested_too_deeply() -> ValidationError:
    return ValidationError(
        _("The area is nested too deeply: at most %(limit)s levels.") % {"limit": MAX_AREA_DEPTH}
    )


def parse_bbox(text: str | None) -> BBox | None:
    """``south,west,north,east`` → bbox (or None when absent). Raises ValidationError."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ValidationError(_("bbox must be four numbers: south,west,north,east."))
    south, north = (to_decimal(parts[i], low=-90, high=90, label=_("Latitude")) for i in (0, 2))
    west, east = (to_decimal(parts[i], low=-180, high=180, label=_("Longitude")) for i in (1, 3))
    if south > north or west > east:
        raise ValidationError(
            _("bbox must be south,west,north,east with south ≤ north and west ≤ east.")
        )
    return south, west, north, east


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bboxes_overlap(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def centre(box: BBox) -> tuple[float, float]:
    return float(box[0] + box[2]) / 2, float(box[1] + box[3]) / 2
