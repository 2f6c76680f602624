"""Geofence rules: distance by haversine against WGS84 reference distances, and the accuracy rule."""

from __future__ import annotations

import math

import pytest

from hadir.presence.geo import (
    ACCURACY_CAP_M,
    ACCURACY_LIMIT_M,
    Place,
    evaluate_geofence,
    haversine_m,
    match_location,
    nearest,
    valid_coordinates,
)

# Approximate coordinates of places in and around Kota Bengkulu (and two far cities).
PLACES = {
    "benteng_marlborough": (-3.7872, 102.2520),
    "masjid_jamik": (-3.7936, 102.2647),
    "kantor_gubernur": (-3.8211, 102.2846),
    "bandara_fatmawati": (-3.8637, 102.3390),
    "universitas_bengkulu": (-3.7590, 102.2730),
    "dinkes": (-3.7956, 102.2592),  # the test organisation's offices (hadir.testing.make_org)
    "puskesmas_talang_empat": (-3.7301, 102.3672),
    "disdik": (-3.8004, 102.2655),
    "monas_jakarta": (-6.1754, 106.8272),
    "jayapura": (-2.5337, 140.7181),
}

# Reference: geodesic distance on the WGS84 ellipsoid (Vincenty's inverse formula), metres.
# Haversine on the mean sphere must agree within 0.6 % (the sphere/ellipsoid difference near the equator).
DISTANCES = [
    ("dinkes", "disdik", 878.3),
    ("benteng_marlborough", "masjid_jamik", 1578.3),
    ("benteng_marlborough", "kantor_gubernur", 5211.9),
    ("universitas_bengkulu", "kantor_gubernur", 6986.8),
    ("dinkes", "bandara_fatmawati", 11630.6),
    ("dinkes", "puskesmas_talang_empat", 14013.6),
    ("benteng_marlborough", "monas_jakarta", 571978.6),
    ("benteng_marlborough", "jayapura", 4277462.0),
]


@pytest.mark.parametrize(("a", "b", "reference_m"), DISTANCES)
def test_haversine_matches_wgs84_reference(a: str, b: str, reference_m: float) -> None:
    d = haversine_m(*PLACES[a], *PLACES[b])
    assert d == pytest.approx(reference_m, rel=0.006)
    assert haversine_m(*PLACES[b], *PLACES[a]) == pytest.approx(d)  # symmetric


def test_haversine_small_offsets() -> None:
    lat, lon = PLACES["dinkes"]
    one_metre_lat = 1 / 111_195.08  # one metre of arc on the mean sphere, in degrees
    assert haversine_m(lat, lon, lat, lon) == 0.0
    assert haversine_m(lat, lon, lat + 100 * one_metre_lat, lon) == pytest.approx(100.0, abs=0.01)
    # one degree of longitude shrinks with cos(latitude)
    assert haversine_m(0, 0, 0, 1) == pytest.approx(111_195.08, rel=1e-6)
    assert haversine_m(60, 0, 60, 1) == pytest.approx(111_195.08 * math.cos(math.radians(60)), rel=1e-3)
    # antipodes do not blow up
    assert haversine_m(0, 0, 0, 180) == pytest.approx(math.pi * 6_371_008.8)


# distance, radius, accuracy → inside?, code
FENCE_TABLE = [
    (0, 100, 5, True, ""),
    (99.9, 100, None, True, ""),
    (100, 100, None, True, ""),  # on the edge counts
    (100.1, 100, None, False, "outside_radius"),
    (130, 100, 40, True, ""),  # 130 − 40 = 90 ≤ 100: benefit of the doubt
    (140, 100, 40, True, ""),  # exactly on the edge after slack
    (141, 100, 40, False, "outside_radius"),
    (149, 100, 120, True, ""),  # slack capped at 50 m: 149 − 50 = 99
    (151, 100, 120, False, "outside_radius"),  # 151 − 50 > 100 though 151 − 120 would pass
    (20, 100, ACCURACY_LIMIT_M, True, ""),  # at the limit: still usable
    (20, 100, ACCURACY_LIMIT_M + 1, False, "poor_accuracy"),  # worse than the limit: refuse even near the centre
    (5000, 100, 2000, False, "poor_accuracy"),
    (250, 300, 0, True, ""),  # bigger fence (puskesmas campus)
    (1000, 300, 10, False, "outside_radius"),
    (60, 100, -5, True, ""),  # negative accuracy (bogus) gives no slack
    (105, 100, -5, False, "outside_radius"),
]


@pytest.mark.parametrize(("distance", "radius", "accuracy", "inside", "code"), FENCE_TABLE)
def test_geofence_rule(distance: float, radius: float, accuracy: float | None, inside: bool, code: str) -> None:
    result = evaluate_geofence(distance, radius, accuracy)
    assert (result.inside, result.code) == (inside, code)
    assert 0 <= result.slack_m <= ACCURACY_CAP_M


def test_nearest_prefers_the_fence_you_are_inside() -> None:
    lat, lon = PLACES["dinkes"]
    small = Place(1, lat, lon, 50)
    # a big campus fence whose centre is 300 m away but whose edge reaches past the point
    campus = Place(2, lat + 300 / 111_195.08, lon, 400)
    found = nearest(lat + 60 / 111_195.08, lon, [small, campus])  # 60 m from small, 240 m from campus centre
    assert found is not None and found[0].id == 2
    assert found[1] == pytest.approx(240, abs=0.5)
    assert nearest(lat, lon, []) is None


def test_match_location_between_two_offices() -> None:
    dinkes = Place(1, *PLACES["dinkes"], 100)
    disdik = Place(2, *PLACES["disdik"], 100)
    place, result = match_location(-3.80035, 102.26545, 12.0, [dinkes, disdik])
    assert place is disdik and result is not None and result.inside
    place, result = match_location(*PLACES["masjid_jamik"], 8.0, [dinkes, disdik])
    assert place is dinkes and result is not None and not result.inside
    assert result.code == "outside_radius" and result.distance_m > 500
    assert match_location(0, 0, 5, []) == (None, None)


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [(-3.79, 102.25, True), (90, 180, True), (-90, -180, True), (999, 102, False), (-3.7, 181, False),
     (float("nan"), 102, False), (0, float("inf"), False), (None, 102, False)],
)
def test_valid_coordinates(lat: float | None, lon: float | None, ok: bool) -> None:
    assert valid_coordinates(lat, lon) is ok
