"""Fraud signals: pure rules, tested by tables."""

from __future__ import annotations

import datetime as dt

import pytest

from hadir.presence import fraud
from hadir.presence.fraud import Fix, Signals

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
