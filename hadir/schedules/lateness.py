"""TL (terlambat) and PSW (pulang sebelum waktunya) categories: pure functions over plain values.

The common Perbup text (following the BKN pattern):
  TL1 / PSW1: 1 s.d. < 31 menit; TL2 / PSW2: 31 s.d. < 61 menit; TL3 / PSW3: 61 s.d. < 91 menit;
  TL4 / PSW4: ≥ 91 menit (and, in most Perbup, not recording pulang at all counts as PSW4).
Each region may move the thresholds: a LatenessRuleSet row (versioned by date) becomes a LatenessRules.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LatenessRules:
    tl_from: tuple[int, int, int, int] = (1, 31, 61, 91)  # first minute of TL1..TL4
    psw_from: tuple[int, int, int, int] = (1, 31, 61, 91)  # first minute of PSW1..PSW4
    grace_minutes: int = 0  # lateness up to this many minutes is forgiven entirely
    missing_out_is_psw4: bool = True
    missing_in_is_tl4: bool = True


DEFAULT = LatenessRules()


def _category(minutes: int, bounds: tuple[int, int, int, int], prefix: str, grace: int) -> str:
    if minutes <= 0 or minutes <= grace:
        return ""
    level = 0
    for i, first in enumerate(bounds):
        if minutes >= first:
            level = i + 1
    return f"{prefix}{level}" if level else ""


def late_category(minutes: int, rules: LatenessRules = DEFAULT) -> str:
    """"" when on time, else "TL1".."TL4"."""
    return _category(minutes, rules.tl_from, "TL", rules.grace_minutes)


def early_leave_category(minutes: int, rules: LatenessRules = DEFAULT) -> str:
    """"" when not early, else "PSW1".."PSW4"."""
    return _category(minutes, rules.psw_from, "PSW", rules.grace_minutes)


def minutes_late(scheduled_start: dt.datetime, first_in: dt.datetime) -> int:
    """Whole minutes after the scheduled start (07:30:59 → 0, 07:31:00 → 1); never negative."""
    return max(0, math.floor((first_in - scheduled_start).total_seconds() / 60))


def minutes_early(scheduled_end: dt.datetime, last_out: dt.datetime) -> int:
    """Whole minutes before the scheduled end (15:59:01 → 0, 15:59:00 → 1); never negative."""
    return max(0, math.floor((scheduled_end - last_out).total_seconds() / 60))
