"""Geometry helpers: GeoJSON polygon validation, bounding boxes and distances."""

from __future__ import annotations

import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_RADIUS_KM = 6371.0088
MAX_RING_POINTS = 5000

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


def _check_ring(ring: Any) -> list[tuple[Decimal, Decimal]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of a polygon needs at least four positions."))
    if len(ring) > MAX_RING_POINTS:
        raise ValidationError(_("The area has too many points."))
    points = []
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position[:2])
        ):
            raise ValidationError(
                _("Each position must be a pair of numbers [longitude, latitude].")
            )
        lon = to_decimal(position[0], low=-180, high=180, label=_("Longitude"))
        lat = to_decimal(position[1], low=-90, high=90, label=_("Latitude"))
        points.append((lat, lon))
    if points[0] != points[-1]:
        raise ValidationError(_("Each ring of a polygon must be closed (last position = first)."))
    return points


def parse_area(raw: Any) -> tuple[dict[str, Any], BBox]:
    """Validate a GeoJSON Polygon or MultiPolygon (text or dict); return it and its bbox."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ValidationError(_("The area is not valid JSON.")) from None
    if isinstance(raw, dict) and raw.get("type") == "Feature":
        raw = raw.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The area must be a GeoJSON Polygon or MultiPolygon."))
    coords = raw.get("coordinates")
    polygons = [coords] if raw["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The area has no coordinates."))
    all_points: list[tuple[Decimal, Decimal]] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("Each polygon needs at least one ring."))
        for ring in polygon:
            all_points.extend(_check_ring(ring))
    lats = [p[0] for p in all_points]
    lons = [p[1] for p in all_points]
    clean = {"type": raw["type"], "coordinates": coords}
    return clean, (min(lats), min(lons), max(lats), max(lons))


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
