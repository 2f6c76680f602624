"""Fraud signals for check-ins. Pure functions over plain values; the pipeline feeds them.

A signal does not reject a check-in by itself (except the device's own mock-location flag, which
the pipeline treats by policy); it is stored in CheckIn.fraud_flags so the atasan sees it when
approving and BKPSDM can audit. Codes are stable identifiers; FLAG_LABELS gives the words.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .geo import haversine_m

# Faster than any road trip between two offices in a regency; slower than a plane. Measured over the
# straight line, so real travel is slower still.
MAX_PLAUSIBLE_SPEED_KMH = 150.0
# Below this distance two positions are the same place, whatever the time between them (GPS jitter).
SPEED_MIN_DISTANCE_M = 1_000.0
# Real phone fixes carry 6+ decimals; a hand-typed position usually has 4 or fewer (≈ 11 m steps).
ROUND_COORDINATE_DECIMALS = 4
# One phone shared by this many employees on a day is suspicious (the owner plus one is tolerated:
# a colleague's phone used once when one's own battery died).
SHARED_DEVICE_EMPLOYEES = 3
CLOCK_SKEW_LIMIT = dt.timedelta(minutes=5)

MOCK_LOCATION = "mock_location"
IMPOSSIBLE_SPEED = "impossible_speed"
ZERO_ACCURACY = "zero_accuracy"
ROUND_COORDINATES = "round_coordinates"
SHARED_DEVICE = "shared_device"
CLOCK_SKEW = "clock_skew"

FLAG_LABELS = {
    MOCK_LOCATION: _("Perangkat melaporkan lokasi palsu (mock location)"),
    IMPOSSIBLE_SPEED: _("Perpindahan terlalu cepat sejak presensi sebelumnya"),
    ZERO_ACCURACY: _("Akurasi GPS tepat 0 m (tidak wajar)"),
    ROUND_COORDINATES: _("Koordinat terlalu bulat (kemungkinan diketik manual)"),
    SHARED_DEVICE: _("Perangkat yang sama dipakai beberapa pegawai hari ini"),
    CLOCK_SKEW: _("Jam perangkat berbeda jauh dari jam server"),
}


@dataclass(frozen=True)
class Fix:
    """A position at an instant (a previous or the current check-in)."""

    latitude: float
    longitude: float
    at: dt.datetime


def speed_kmh(a: Fix, b: Fix) -> float:
    """Straight-line speed between two fixes; inf when they are at the same instant but apart."""
    metres = haversine_m(a.latitude, a.longitude, b.latitude, b.longitude)
    seconds = abs((b.at - a.at).total_seconds())
    if seconds == 0:
        return 0.0 if metres == 0 else math.inf
    return metres / seconds * 3.6


def is_impossible_speed(previous: Fix | None, current: Fix, max_kmh: float = MAX_PLAUSIBLE_SPEED_KMH) -> bool:
    if previous is None:
        return False
    metres = haversine_m(previous.latitude, previous.longitude, current.latitude, current.longitude)
    if metres < SPEED_MIN_DISTANCE_M:
        return False
    return speed_kmh(previous, current) > max_kmh


def decimals(value: float) -> int:
    """Decimal places in the shortest repr of a float (-3.7956 → 4; 102.0 → 0)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, _, exponent = text.lower().partition("e")
        frac = mantissa.partition(".")[2].rstrip("0")
        return max(0, len(frac) - int(exponent))
    frac = text.partition(".")[2].rstrip("0")
    return len(frac)


def is_round_coordinates(lat: float, lon: float, max_decimals: int = ROUND_COORDINATE_DECIMALS) -> bool:
    """Both coordinates have few decimals — typed in by hand or by a fake-GPS app's picker."""
    return decimals(lat) <= max_decimals and decimals(lon) <= max_decimals


def is_zero_accuracy(accuracy_m: float | None) -> bool:
    # Real receivers never claim perfect accuracy; fake-GPS apps often send exactly 0.
    return accuracy_m is not None and accuracy_m == 0.0


def is_shared_device(other_employees_today: int, threshold: int = SHARED_DEVICE_EMPLOYEES) -> bool:
    """`other_employees_today` = distinct other employees who used this device id on the same local date."""
    return other_employees_today + 1 >= threshold


def is_clock_skewed(client_time: dt.datetime | None, server_time: dt.datetime,
                    limit: dt.timedelta = CLOCK_SKEW_LIMIT) -> bool:
    if client_time is None:
        return False
    return abs(client_time - server_time) > limit


@dataclass(frozen=True)
class Signals:
    """Everything the flags are computed from, as plain values."""

    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    at: dt.datetime
    mock_location: bool = False
    client_time: dt.datetime | None = None
    server_time: dt.datetime | None = None
    previous: Fix | None = None
    other_employees_on_device: int = 0


def fraud_flags(s: Signals) -> list[str]:
    """The fraud flag codes raised by one check-in, in a stable order."""
    flags: list[str] = []
    if s.mock_location:
        flags.append(MOCK_LOCATION)
    if s.latitude is not None and s.longitude is not None:
        if is_impossible_speed(s.previous, Fix(s.latitude, s.longitude, s.at)):
            flags.append(IMPOSSIBLE_SPEED)
        if is_round_coordinates(s.latitude, s.longitude):
            flags.append(ROUND_COORDINATES)
    if is_zero_accuracy(s.accuracy_m):
        flags.append(ZERO_ACCURACY)
    if is_shared_device(s.other_employees_on_device):
        flags.append(SHARED_DEVICE)
    if s.server_time is not None and is_clock_skewed(s.client_time, s.server_time):
        flags.append(CLOCK_SKEW)
    return flags
