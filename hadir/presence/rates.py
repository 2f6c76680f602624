"""The one attendance rate ("tingkat kehadiran"), used by the board, the charts and (to come) the recaps and TPP.

    rate = attended / (attended + not attended)            — None ("—") when nobody was expected

- attended: hadir, terlambat, pulang sebelum waktunya (they came), and dinas luar — official duty, outside
  meetings and events are work away from the desk; the regencies count them as present;
- not attended: tanpa keterangan (TK), and "belum" — a working day without a check-in yet: on the board today
  the not-yet-arrived count against the rate until they come;
- neither: izin, sakit and cuti (excused: not absent, but not at work either) and libur / not a working day.

Each of those is a set of DailyStatus values; the pure function takes the two sums.
"""

from __future__ import annotations

from .models import DayStatus

RATE_ATTENDED = (DayStatus.HADIR, DayStatus.TERLAMBAT, DayStatus.PSW, DayStatus.DINAS_LUAR)
RATE_NOT_ATTENDED = (DayStatus.TK, DayStatus.BELUM)
RATE_LEFT_OUT = (DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.LIBUR)


def attendance_rate(attended: int, not_attended: int) -> float | None:
    """0–100, or None when nobody was expected (no attended and no not-attended day)."""
    expected = attended + not_attended
    return None if expected <= 0 else 100.0 * attended / expected
