"""TL/PSW categories — tables from the common Perbup text:
TL1/PSW1 1–30 menit, TL2/PSW2 31–60, TL3/PSW3 61–90, TL4/PSW4 ≥ 91."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hadir.schedules.lateness import (
    LatenessRules,
    early_leave_category,
    late_category,
    minutes_early,
    minutes_late,
)


@pytest.mark.parametrize(
    ("minutes", "tl", "psw"),
    [
        (-15, "", ""),  # early arrival / staying late
        (0, "", ""),
        (1, "TL1", "PSW1"),
        (15, "TL1", "PSW1"),
        (30, "TL1", "PSW1"),
        (31, "TL2", "PSW2"),
        (45, "TL2", "PSW2"),
        (60, "TL2", "PSW2"),
        (61, "TL3", "PSW3"),
        (90, "TL3", "PSW3"),
        (91, "TL4", "PSW4"),
        (240, "TL4", "PSW4"),
        (510, "TL4", "PSW4"),  # a whole working day
    ],
)
def test_default_categories(minutes: int, tl: str, psw: str) -> None:
    assert late_category(minutes) == tl
    assert early_leave_category(minutes) == psw


# A Perbup with tighter bands (1–15, 16–45, 46–75, ≥ 76) and five minutes of tolerance.
STRICT = LatenessRules(tl_from=(1, 16, 46, 76), psw_from=(1, 11, 31, 61), grace_minutes=5)


@pytest.mark.parametrize(
    ("minutes", "tl", "psw"),
    [
        (5, "", ""),  # within the tolerance
        (6, "TL1", "PSW1"),
        (10, "TL1", "PSW1"),
        (11, "TL1", "PSW2"),
        (15, "TL1", "PSW2"),
        (16, "TL2", "PSW2"),
        (31, "TL2", "PSW3"),
        (45, "TL2", "PSW3"),
        (46, "TL3", "PSW3"),
        (61, "TL3", "PSW4"),
        (75, "TL3", "PSW4"),
        (76, "TL4", "PSW4"),
    ],
)
def test_configured_rule_set(minutes: int, tl: str, psw: str) -> None:
    assert late_category(minutes, STRICT) == tl
    assert early_leave_category(minutes, STRICT) == psw


WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 11, 23, 7, 30, tzinfo=WIB)
END = dt.datetime(2026, 11, 23, 16, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("first_in", "expected"),
    [
        (dt.datetime(2026, 11, 23, 7, 10, tzinfo=WIB), 0),
        (dt.datetime(2026, 11, 23, 7, 30, 59, tzinfo=WIB), 0),  # within the scheduled minute
        (dt.datetime(2026, 11, 23, 7, 31, tzinfo=WIB), 1),
        (dt.datetime(2026, 11, 23, 8, 0, 30, tzinfo=WIB), 30),
        (dt.datetime(2026, 11, 23, 8, 1, tzinfo=WIB), 31),
        (dt.datetime(2026, 11, 23, 1, 31, tzinfo=dt.UTC), 61),  # 08:31 WIB given in UTC
    ],
)
def test_minutes_late(first_in: dt.datetime, expected: int) -> None:
    assert minutes_late(START, first_in) == expected


@pytest.mark.parametrize(
    ("last_out", "expected"),
    [
        (dt.datetime(2026, 11, 23, 17, 0, tzinfo=WIB), 0),
        (dt.datetime(2026, 11, 23, 15, 59, 1, tzinfo=WIB), 0),
        (dt.datetime(2026, 11, 23, 15, 59, tzinfo=WIB), 1),
        (dt.datetime(2026, 11, 23, 15, 0, tzinfo=WIB), 60),
        (dt.datetime(2026, 11, 23, 14, 29, tzinfo=WIB), 91),
    ],
)
def test_minutes_early(last_out: dt.datetime, expected: int) -> None:
    assert minutes_early(END, last_out) == expected
