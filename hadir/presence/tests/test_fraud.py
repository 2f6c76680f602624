"""Fraud signals: pure rules, tested by tables."""

from __future__ import annotations

import datetime as dt

import pytest

from hadir.presence import fraud
from hadir.presence.fraud import (
    Fix,
    Signals,
    Use,
    has_no_jitter,
    is_constant_accuracy,
    is_offline_implausible,
    is_repeated_position,
    is_two_devices,
)

T0 = dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC)  # 07.30 WIB
DINKES = (-3.7956123, 102.2592456)
PUSKESMAS = (-3.7301345, 102.3672789)  # ≈ 14 km away
JAKARTA = (-6.1754321, 106.8272123)  # ≈ 570 km away


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


# previous fix, current fix → impossible?
SPEED_TABLE = [
    (None, Fix(*DINKES, at(0)), False),  # nothing to compare
    (Fix(*DINKES, at(0)), Fix(*DINKES, at(1)), False),  # same place
    (Fix(*DINKES, at(0)), Fix(*PUSKESMAS, at(20)), False),  # 14 km in 20 min ≈ 42 km/h: a motorbike
    (Fix(*DINKES, at(0)), Fix(*PUSKESMAS, at(4)), True),  # 14 km in 4 min ≈ 210 km/h
    (Fix(*DINKES, at(0)), Fix(*JAKARTA, at(60)), True),  # 570 km in an hour
    (Fix(*DINKES, at(0)), Fix(*JAKARTA, at(60 * 5)), False),  # five hours: a flight is possible
    (Fix(*DINKES, at(0)), Fix(DINKES[0] + 0.005, DINKES[1], at(0)), False),  # 556 m jitter at the same instant
    (Fix(*DINKES, at(0)), Fix(*PUSKESMAS, at(0)), True),  # 14 km at the same instant
    (Fix(*PUSKESMAS, at(4)), Fix(*DINKES, at(0)), True),  # order of the fixes does not matter
]


@pytest.mark.parametrize(("previous", "current", "impossible"), SPEED_TABLE)
def test_impossible_speed(previous: Fix | None, current: Fix, impossible: bool) -> None:
    assert fraud.is_impossible_speed(previous, current) is impossible


def test_speed_kmh() -> None:
    assert fraud.speed_kmh(Fix(0, 0, at(0)), Fix(0, 1, at(60))) == pytest.approx(111.195, rel=1e-4)
    assert fraud.speed_kmh(Fix(0, 0, at(0)), Fix(0, 0, at(0))) == 0.0
    assert fraud.speed_kmh(Fix(0, 0, at(0)), Fix(0, 1, at(0))) == float("inf")


@pytest.mark.parametrize(
    ("value", "places"),
    [(-3.7956, 4), (102.0, 0), (102.25924567, 8), (-3.1, 1), (1e-05, 5), (0.0, 0), (-3.79561, 5), (1.5e-7, 8)],
)
def test_decimals(value: float, places: int) -> None:
    assert fraud.decimals(value) == places


@pytest.mark.parametrize(
    ("lat", "lon", "round_"),
    [
        (-3.7956, 102.2592, True),  # exactly the office coordinates as typed in the admin
        (-3.8, 102.26, True),
        (-3.795612, 102.259245, False),  # a real fix
        (-3.7956, 102.259245, False),  # only one coordinate short: a real fix can end in zeros
        (-3.79561, 102.25923, False),  # 5 decimals (≈ 1 m) is what some phones send
    ],
)
def test_round_coordinates(lat: float, lon: float, round_: bool) -> None:
    assert fraud.is_round_coordinates(lat, lon) is round_


@pytest.mark.parametrize(("accuracy", "flag"), [(0.0, True), (0.1, False), (12.0, False), (None, False)])
def test_zero_accuracy(accuracy: float | None, flag: bool) -> None:
    assert fraud.is_zero_accuracy(accuracy) is flag


@pytest.mark.parametrize(("others", "shared"), [(0, False), (1, False), (2, True), (7, True)])
def test_shared_device(others: int, shared: bool) -> None:
    assert fraud.is_shared_device(others) is shared


@pytest.mark.parametrize(
    ("client_offset_s", "skewed"),
    [(None, False), (0, False), (299, False), (-300, False), (301, True), (-3600, True)],
)
def test_clock_skew(client_offset_s: int | None, skewed: bool) -> None:
    client = None if client_offset_s is None else T0 + dt.timedelta(seconds=client_offset_s)
    assert fraud.is_clock_skewed(client, T0) is skewed


FLAGS_TABLE = [
    (Signals(*DINKES, 8.0, T0), []),
    (Signals(*DINKES, 8.0, T0, mock_location=True), ["mock_location"]),
    (Signals(-3.7956, 102.2592, 0.0, T0), ["round_coordinates", "zero_accuracy"]),
    (Signals(*PUSKESMAS, 8.0, at(3), previous=Fix(*DINKES, T0)), ["impossible_speed"]),
    (Signals(*DINKES, 8.0, T0, other_employees_on_device=4), ["shared_device"]),
    (Signals(*DINKES, 8.0, T0, client_time=at(-90), server_time=T0), ["clock_skew"]),
    (Signals(None, None, None, T0, mock_location=True), ["mock_location"]),  # terminal log without position
]


@pytest.mark.parametrize(("signals", "flags"), FLAGS_TABLE)
def test_fraud_flags(signals: Signals, flags: list[str]) -> None:
    assert fraud.fraud_flags(signals) == flags
    assert all(code in fraud.FLAG_LABELS for code in flags)


# --- signals over history (hadir.integrity computes them after the check-in) ---------------------------------------

KANTOR = (-7.3163512, 110.1748201)  # a phone's fix at an office in Temanggung (7 decimals as Chrome gives them)


@pytest.mark.parametrize(("samples", "frozen"), [
    ([], False),
    ([KANTOR], False),                                    # one fix says nothing
    ([KANTOR, KANTOR], False),                            # two: below the minimum
    ([KANTOR] * 3, True),                                 # a fake-GPS app's one point, three times
    ([KANTOR] * 12, True),
    ([KANTOR, (-7.3163519, 110.1748190), KANTOR], False),  # a real receiver: ~0.1 m of jitter is enough
    ([(-7.31635, 110.17482), (-7.31641, 110.17475), (-7.31629, 110.17490)], False),  # indoors, metres apart
])
def test_no_gps_jitter(samples: list[tuple[float, float]], frozen: bool) -> None:
    assert has_no_jitter(samples) is frozen


@pytest.mark.parametrize(("current", "other_days", "repeated"), [
    (KANTOR, [], False),
    (KANTOR, [KANTOR], True),                                      # the same fix replayed on another day
    (KANTOR, [(-7.3163513, 110.1748201)], False),                 # 1e-7 ° (≈ 1 cm) off: a new fix
    ((-7.31635123, 110.17482011), [(-7.31635123, 110.17482011)], True),
    ((-7.3164, 110.1748), [(-7.3164, 110.1748)], False),          # coarse: that is ROUND_COORDINATES' case
    (KANTOR, [(-7.2, 110.1), (-7.3163512, 110.1748201)], True),
])
def test_repeated_position(current: tuple[float, float], other_days: list[tuple[float, float]],
                           repeated: bool) -> None:
    assert is_repeated_position(*current, other_days) is repeated


D = dt.date(2026, 11, 2)


def days(n: int) -> list[dt.date]:
    return [D - dt.timedelta(days=k) for k in range(n)]


@pytest.mark.parametrize(("accuracy", "earlier", "constant"), [
    (None, [(d, 10.0) for d in days(6)], False),
    (10.0, [(d, 10.0) for d in days(4)], False),                           # too little history
    (10.0, [(d, 10.0) for d in days(5)], True),                            # a fake app's fixed 10 m, five days
    (10.0, [(D, 10.0)] * 5, False),                                        # one day only (same sky, same wall)
    (10.0, [(D, 10.0), (D, 10.0), (days(2)[1], 10.0), (days(3)[2], 10.0), (days(3)[2], 10.0)], True),
    (12.873, [(d, a) for d, a in zip(days(5), [12.873, 14.2, 12.873, 9.6, 12.873], strict=True)], False),
    (3.9, [(d, 3.9) for d in days(4)] + [(days(5)[4], None)], False),     # a check-in without GPS breaks the run
])
def test_constant_accuracy(accuracy: float | None, earlier: list[tuple[dt.date, float | None]],
                           constant: bool) -> None:
    assert is_constant_accuracy(accuracy, earlier) is constant


T = dt.datetime(2026, 11, 2, 0, 30, tzinfo=dt.UTC)  # 07:30 WIB


@pytest.mark.parametrize(("others", "two"), [
    ([], False),
    ([Use("B", -7.3163, 110.1748, T - dt.timedelta(minutes=5))], False),           # another phone, same office
    ([Use("B", -7.4500, 110.2200, T - dt.timedelta(minutes=5))], True),            # 15 km away, 5 min before
    ([Use("B", -7.4500, 110.2200, T - dt.timedelta(minutes=40))], False),          # long enough to travel
    ([Use("A", -7.4500, 110.2200, T - dt.timedelta(minutes=5))], False),           # the same phone: speed's case
    ([Use("", -7.4500, 110.2200, T - dt.timedelta(minutes=5))], False),            # a terminal/manual entry
    ([Use("B", None, None, T - dt.timedelta(minutes=1))], False),                  # no position to compare
    ([Use("B", -7.4500, 110.2200, T + dt.timedelta(minutes=10))], True),           # the other phone just after
])
def test_two_devices(others: list[Use], two: bool) -> None:
    assert is_two_devices(Use("A", *KANTOR, T), others) is two


CAPTURED = T
RECEIVED = T + dt.timedelta(hours=3)


@pytest.mark.parametrize(("contacts", "implausible"), [
    ([], False),                                                      # a genuine offline morning in a village
    ([CAPTURED - dt.timedelta(minutes=1)], False),                    # online just before signal was lost
    ([RECEIVED - dt.timedelta(seconds=30)], False),                   # the flush's own request
    ([CAPTURED + dt.timedelta(minutes=1)], False),                    # within the slack
    ([CAPTURED + dt.timedelta(minutes=30)], True),                    # online half an hour later, capture held back
    ([CAPTURED - dt.timedelta(days=1), CAPTURED + dt.timedelta(hours=2)], True),
])
def test_offline_implausible(contacts: list[dt.datetime], implausible: bool) -> None:
    assert is_offline_implausible(CAPTURED, RECEIVED, contacts) is implausible
