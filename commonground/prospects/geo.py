"""Distances on the globe: a bounding box for SQL, then exact haversine in Python."""

from __future__ import annotations

import math
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.32


def lon_scale(lat: float) -> float:
    """Kilometres per degree of longitude over kilometres per degree of latitude at
    ``lat`` (floored near the poles)."""
    return max(math.cos(math.radians(lat)), 0.01)


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains the circle."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = min(dlat / lon_scale(lat), 180.0)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def haversine_km(
    lat1: float | Decimal, lon1: float | Decimal, lat2: float | Decimal, lon2: float | Decimal
) -> float:
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
