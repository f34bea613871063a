"""Distances between centres: great circle, and the fibre route estimate replication cares about."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

from govcloud.model.topology import GeoPoint

EARTH_RADIUS_KM = 6371.0
FIBRE_US_PER_KM = 5.0  # light in glass: ~200,000 km/s


def great_circle_km(a: GeoPoint, b: GeoPoint) -> float:
    lat1, lon1, lat2, lon2 = map(radians, (a.lat, a.lon, b.lat, b.lon))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def fibre_rtt_ms(route_km: float) -> float:
    """Propagation-only round trip over `route_km` of fibre (switching adds a little more)."""
    return 2 * route_km * FIBRE_US_PER_KM / 1000
