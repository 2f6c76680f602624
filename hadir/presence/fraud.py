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
# Signals over an employee's or a device's history (computed after the check-in, hadir.integrity):
NO_GPS_JITTER = "no_gps_jitter"
REPEATED_COORDINATES = "repeated_coordinates"
CONSTANT_ACCURACY = "constant_accuracy"
TWO_DEVICES = "two_devices"
OFFLINE_IMPLAUSIBLE = "offline_implausible"

# Samples of one check-in: a real receiver's successive fixes differ (jitter); a fake-GPS app repeats one point.
JITTER_MIN_SAMPLES = 3
# Equal to this many decimals (≈ 1 cm) on another day is a replayed position, not a new fix.
REPEAT_DECIMALS = 7
# This many earlier check-ins, on at least CONSTANT_ACCURACY_DAYS days, all with the very same accuracy.
CONSTANT_ACCURACY_HISTORY = 5
CONSTANT_ACCURACY_DAYS = 3
# Two devices of one account in use within this time, this far apart.
TWO_DEVICES_WINDOW = dt.timedelta(minutes=15)
TWO_DEVICES_MIN_DISTANCE_M = 1_000.0
# An offline capture is implausible when its device talked to the server online after the claimed capture
# and before it uploaded it (the app flushes its queue at every contact); slack for the flush's own requests.
OFFLINE_CONTACT_SLACK = dt.timedelta(minutes=2)

FLAG_LABELS = {
    MOCK_LOCATION: _("Perangkat melaporkan lokasi palsu (mock location)"),
    IMPOSSIBLE_SPEED: _("Perpindahan terlalu cepat sejak presensi sebelumnya"),
    ZERO_ACCURACY: _("Akurasi GPS tepat 0 m (tidak wajar)"),
    ROUND_COORDINATES: _("Koordinat terlalu bulat (kemungkinan diketik manual)"),
    SHARED_DEVICE: _("Perangkat yang sama dipakai beberapa pegawai hari ini"),
    CLOCK_SKEW: _("Jam perangkat berbeda jauh dari jam server"),
    NO_GPS_JITTER: _("Semua sampel GPS dalam satu presensi persis sama (penerima GPS asli selalu bergeser)"),
    REPEATED_COORDINATES: _("Koordinat persis sama dengan presensi pada hari lain (posisi diputar ulang)"),
    CONSTANT_ACCURACY: _("Akurasi GPS selalu sama persis dari hari ke hari"),
    TWO_DEVICES: _("Akun yang sama dipakai di dua perangkat berjauhan pada waktu yang sama"),
    OFFLINE_IMPLAUSIBLE: _("Waktu presensi luring tidak masuk akal: perangkat sedang daring saat itu"),
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


MAX_SAMPLES = 30


def parse_samples(text: str) -> list[tuple[float, float]]:
    """The raw GPS samples an app sends with a check-in, "lat,lon;lat,lon;…" (ValueError when malformed)."""
    out: list[tuple[float, float]] = []
    for part in (p for p in text.split(";") if p.strip()):
        lat_text, sep, lon_text = part.partition(",")
        lat, lon = float(lat_text), float(lon_text)
        if not sep or not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
            raise ValueError(part)
        out.append((lat, lon))
    if len(out) > MAX_SAMPLES:
        raise ValueError(f"more than {MAX_SAMPLES} samples")
    return out


def has_no_jitter(samples: list[tuple[float, float]], min_samples: int = JITTER_MIN_SAMPLES) -> bool:
    """Several GPS samples of one check-in, all at exactly the same point."""
    if len(samples) < min_samples:
        return False
    first = samples[0]
    return all(lat == first[0] and lon == first[1] for lat, lon in samples[1:])


def is_repeated_position(lat: float, lon: float, on_other_days: list[tuple[float, float]],
                         places: int = REPEAT_DECIMALS) -> bool:
    """The same coordinates, to `places` decimals, as a check-in on another day. Hand-typed round positions are
    ROUND_COORDINATES already; this catches a precise position replayed."""
    if decimals(lat) < places - 2 and decimals(lon) < places - 2:
        return False  # too coarse to call a replay (and flagged as round when ≤ 4 decimals)
    key = (round(lat, places), round(lon, places))
    return any((round(a, places), round(b, places)) == key for a, b in on_other_days)


def is_constant_accuracy(accuracy_m: float | None, earlier: list[tuple[dt.date, float | None]],
                         history: int = CONSTANT_ACCURACY_HISTORY, days: int = CONSTANT_ACCURACY_DAYS) -> bool:
    """The employee's last `history` check-ins (newest first), on at least `days` days, all report exactly this
    accuracy: a fake-GPS app's constant, where a real receiver's estimate changes with sky and walls."""
    if accuracy_m is None or len(earlier) < history:
        return False
    last = earlier[:history]
    return all(a == accuracy_m for _d, a in last) and len({d for d, _a in last}) >= days


@dataclass(frozen=True)
class Use:
    """One use of the account: a device, a position and an instant (a check-in or a ping)."""

    device: str
    latitude: float | None
    longitude: float | None
    at: dt.datetime


def is_two_devices(current: Use, others: list[Use], window: dt.timedelta = TWO_DEVICES_WINDOW,
                   min_distance_m: float = TWO_DEVICES_MIN_DISTANCE_M) -> bool:
    """Another device of the same account in use within `window`, at least `min_distance_m` away."""
    if not current.device or current.latitude is None or current.longitude is None:
        return False
    for u in others:
        if not u.device or u.device == current.device or u.latitude is None or u.longitude is None:
            continue
        if abs(u.at - current.at) <= window and haversine_m(
                current.latitude, current.longitude, u.latitude, u.longitude) >= min_distance_m:
            return True
    return False


def is_offline_implausible(captured_at: dt.datetime, received_at: dt.datetime, online_contacts: list[dt.datetime],
                           slack: dt.timedelta = OFFLINE_CONTACT_SLACK) -> bool:
    """An offline capture whose device talked to the server online (a check-in or ping it sent live) after the
    claimed capture and before the upload: the device was demonstrably online while it held the capture back (the
    app sends its queue at every contact), so the claimed time is made up. A contact just before the capture is
    not evidence (signal in a village comes and goes)."""
    return any(captured_at + slack < t < received_at - slack for t in online_contacts)


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
