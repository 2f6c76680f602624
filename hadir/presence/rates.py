"""The one attendance rate ("tingkat kehadiran"), used by the board, the charts and (to come) the recaps and TPP.

    rate = attended / (attended + not attended)            — None ("—") when nobody was expected

- attended: hadir, terlambat, pulang sebelum waktunya (they came), and dinas luar — official duty, outside
  meetings and events are work away from the desk; the regencies count them as present;
- not attended: tanpa keterangan (TK), and "belum" — a working day without a check-in yet, once the work day or
  shift has started (DailyStatus.starts_at): on the board today the not-yet-arrived count against the rate until
  they come;
- neither: izin, sakit and cuti (excused: not absent, but not at work either), libur / not a working day, and a
  "belum" before its start ("belum mulai": the night nurse at 13:00 is not late for her 21:00 shift).

Each of those is a set of DailyStatus values (plus the start for "belum"); the pure function takes the two sums.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from .models import DayStatus

RATE_ATTENDED = (DayStatus.HADIR, DayStatus.TERLAMBAT, DayStatus.PSW, DayStatus.DINAS_LUAR)
RATE_NOT_ATTENDED = (DayStatus.TK, DayStatus.BELUM)
RATE_LEFT_OUT = (DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.LIBUR)


def not_started_q(now: dt.datetime, prefix: str = "") -> Q:
    """DailyStatus rows (through `prefix`, e.g. "ds__") still "belum" whose work day or shift starts after `now`."""
    return Q(**{f"{prefix}status": DayStatus.BELUM, f"{prefix}starts_at__gt": now})


def not_attended_q(now: dt.datetime, prefix: str = "") -> Q:
    """TK, and "belum" once its work day or shift has started (or with no recorded start)."""
    return Q(**{f"{prefix}status__in": RATE_NOT_ATTENDED}) & ~not_started_q(now, prefix)


def attendance_rate(attended: int, not_attended: int) -> float | None:
    """0–100, or None when nobody was expected (no attended and no not-attended day)."""
    expected = attended + not_attended
    return None if expected <= 0 else 100.0 * attended / expected
