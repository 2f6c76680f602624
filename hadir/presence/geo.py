"""Geofence rules: great-circle distance and the accept/reject decision. Pure functions, no ORM.

A phone reports a position and an accuracy radius (68 % confidence, in metres). We give the employee
the benefit of the doubt up to a cap: a check-in is inside when

    distance − min(accuracy, ACCURACY_CAP_M) ≤ radius

so a phone 130 m from the office with ±40 m accuracy passes a 100 m fence, but a phone claiming
±2 km accuracy cannot stretch the fence by 2 km. Readings worse than ACCURACY_LIMIT_M are refused
outright ("wait for a better GPS fix"), because they say nothing about where the phone is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Mean Earth radius (IUGG), metres. The spherical model is within 0.5 % of WGS84 — ±0.5 m on a 100 m fence.
EARTH_RADIUS_M = 6_371_008.8

ACCURACY_CAP_M = 50.0
ACCURACY_LIMIT_M = 150.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points (degrees)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # min() guards against a > 1 from rounding on antipodal points.
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


@dataclass(frozen=True)
class GeofenceRule:
    accuracy_cap_m: float = ACCURACY_CAP_M
    accuracy_limit_m: float = ACCURACY_LIMIT_M


DEFAULT_RULE = GeofenceRule()


@dataclass(frozen=True)
class GeofenceResult:
    inside: bool
    code: str  # "" when inside; "poor_accuracy" or "outside_radius" otherwise
    distance_m: float
    slack_m: float  # how much of the accuracy we credited


def evaluate_geofence(distance_m: float, radius_m: float, accuracy_m: float | None,
                      rule: GeofenceRule = DEFAULT_RULE) -> GeofenceResult:
    """Decide whether a position `distance_m` from a location's centre counts as inside its `radius_m`."""
    if accuracy_m is not None and accuracy_m > rule.accuracy_limit_m:
        return GeofenceResult(False, "poor_accuracy", distance_m, 0.0)
    slack = min(max(accuracy_m or 0.0, 0.0), rule.accuracy_cap_m)
    if distance_m - slack <= radius_m:
        return GeofenceResult(True, "", distance_m, slack)
    return GeofenceResult(False, "outside_radius", distance_m, slack)


@dataclass(frozen=True)
class Place:
    """A fence as plain values: anything with an id, a centre and a radius."""

    id: int
    latitude: float
    longitude: float
    radius_m: float




def nearest[P: Place](lat: float, lon: float, places: Iterable[P]) -> tuple[P, float] | None:
    """The place whose *edge* is nearest to the point (distance − radius), and the centre distance.

    Ranking by distance beyond the edge (not by centre distance) means that when a small fence sits
    inside a big campus fence, a phone inside either is matched to a fence it is actually inside.
    """
    best: tuple[P, float] | None = None
    best_key = math.inf
    for place in places:
        d = haversine_m(lat, lon, place.latitude, place.longitude)
        key = d - place.radius_m
        if key < best_key:
            best, best_key = (place, d), key
    return best


def match_location[P: Place](lat: float, lon: float, accuracy_m: float | None, places: Iterable[P],
                   rule: GeofenceRule = DEFAULT_RULE) -> tuple[P | None, GeofenceResult | None]:
    """The nearest fence and the geofence verdict for it; (None, None) when there are no places."""
    found = nearest(lat, lon, places)
    if found is None:
        return None, None
    place, distance = found
    return place, evaluate_geofence(distance, place.radius_m, accuracy_m, rule)
