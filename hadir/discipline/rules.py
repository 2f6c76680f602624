"""PP 94/2021 absence thresholds and streaks: pure rules over plain values (no database, no request).

PP 94/2021 Pasal 11 ayat (2): a PNS who is absent from work without a valid reason (tanpa
keterangan) for a number of WORKING days, counted cumulatively within one year, receives:

    3 days        teguran lisan                                   (ringan)
    4–6 days      teguran tertulis                                (ringan)
    7–10 days     pernyataan tidak puas secara tertulis           (ringan)
    11–13 days    pemotongan tunjangan kinerja 25 % selama 6 bulan (sedang)
    14–16 days    pemotongan tunjangan kinerja 25 % selama 9 bulan (sedang)
    17–20 days    pemotongan tunjangan kinerja 25 % selama 12 bulan (sedang)
    21–24 days    penurunan jabatan setingkat lebih rendah selama 12 bulan (berat)
    25–27 days    pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan (berat)
    ≥ 28 days     pemberhentian dengan hormat tidak atas permintaan sendiri (berat)
and 10 consecutive working days without a valid reason ⇒ pemberhentian as well (berat).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from hadir.presence.models import DayStatus

DISMISSAL_CONSECUTIVE_DAYS = 10


@dataclass(frozen=True)
class Sanction:
    min_days: int
    max_days: int | None  # None: and above
    level: str  # "ringan" | "sedang" | "berat"
    name: str

    @property
    def range_label(self) -> str:
        if self.max_days is None:
            return f"≥ {self.min_days}"
        if self.max_days == self.min_days:
            return str(self.min_days)
        return f"{self.min_days}–{self.max_days}"

    @property
    def code(self) -> str:
        return f"{self.min_days}-{self.max_days or ''}"


SANCTIONS: tuple[Sanction, ...] = (
    Sanction(3, 3, "ringan", "Teguran lisan"),
    Sanction(4, 6, "ringan", "Teguran tertulis"),
    Sanction(7, 10, "ringan", "Pernyataan tidak puas secara tertulis"),
    Sanction(11, 13, "sedang", "Pemotongan tunjangan kinerja 25% selama 6 bulan"),
    Sanction(14, 16, "sedang", "Pemotongan tunjangan kinerja 25% selama 9 bulan"),
    Sanction(17, 20, "sedang", "Pemotongan tunjangan kinerja 25% selama 12 bulan"),
    Sanction(21, 24, "berat", "Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    Sanction(25, 27, "berat", "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
    Sanction(28, None, "berat", "Pemberhentian dengan hormat tidak atas permintaan sendiri"),
)
DISMISSAL = SANCTIONS[-1]


def sanction_for_days(cumulative_tk_days: int) -> Sanction | None:
    """The PP 94/2021 Pasal 11 sanction for a year's cumulative TK working days (None below 3)."""
    for s in SANCTIONS:
        if cumulative_tk_days >= s.min_days and (s.max_days is None or cumulative_tk_days <= s.max_days):
            return s
    return None


def sanction_for(cumulative_tk_days: int, longest_consecutive: int) -> Sanction | None:
    """The heavier of the cumulative rule and the 10-consecutive-working-days dismissal rule."""
    if longest_consecutive >= DISMISSAL_CONSECUTIVE_DAYS:
        return DISMISSAL
    return sanction_for_days(cumulative_tk_days)


# Statuses that break a streak: the employee was at work or had a valid reason.
_BREAKS = {DayStatus.HADIR, DayStatus.TERLAMBAT, DayStatus.PSW, DayStatus.IZIN, DayStatus.SAKIT,
           DayStatus.CUTI, DayStatus.DINAS_LUAR}


@dataclass
class AbsenceSummary:
    total_tk: int = 0
    current_streak: int = 0
    current_start: dt.date | None = None
    longest_streak: int = 0
    longest_start: dt.date | None = None
    longest_end: dt.date | None = None
    tk_days: list[dt.date] = field(default_factory=list)
    covered: bool = True  # does PP 94/2021 apply to this employee's kind (`pp94_applies`)?

    @property
    def dismissal_risk(self) -> bool:
        return self.covered and self.longest_streak >= DISMISSAL_CONSECUTIVE_DAYS

    @property
    def sanction(self) -> Sanction | None:
        return sanction_for(self.total_tk, self.longest_streak) if self.covered else None


def discipline_kinds() -> frozenset[str]:
    """Employee kinds PP 94/2021 covers here (HADIR_DISCIPLINE_KINDS, default "pns,cpns"). The regulation is the
    discipline of PNS (CPNS included); PPPK follow it only where the regency says so; TKK/honorer never by
    default — their contracts govern them."""
    raw = str(getattr(settings, "HADIR_DISCIPLINE_KINDS", "pns,cpns"))
    return frozenset(k.strip().lower() for k in raw.split(",") if k.strip())


def pp94_applies(kind: str) -> bool:
    return kind in discipline_kinds()


def summarize(days: Iterable[tuple[dt.date, str, bool]], *, covered: bool = True) -> AbsenceSummary:
    """Streaks over (date, status, is_working_day) facts, in any order.

    Only working days count: a libur or non-working day neither extends nor breaks a streak, nor
    does "belum" (a day not yet closed). Any day at work or excused breaks it. Working days with no
    fact at all are unknown and do not break a streak either (the daily closing writes TK rows).
    """
    out = AbsenceSummary(covered=covered)
    run = 0
    run_start: dt.date | None = None
    for day, status, working in sorted(days):
        if not working or status in (DayStatus.LIBUR, DayStatus.BELUM):
            continue
        if status == DayStatus.TK:
            out.total_tk += 1
            out.tk_days.append(day)
            if run == 0:
                run_start = day
            run += 1
            if run > out.longest_streak:
                out.longest_streak, out.longest_start, out.longest_end = run, run_start, day
        elif status in _BREAKS:
            run, run_start = 0, None
    out.current_streak = run
    out.current_start = run_start if run else None
    return out


def severity(summary: AbsenceSummary) -> int:
    """0 below the first threshold, then 1..9 along SANCTIONS (dismissal risk ranks highest)."""
    s = summary.sanction
    return 0 if s is None else SANCTIONS.index(s) + 1


def bracket_counts(summaries: Iterable[AbsenceSummary]) -> list[tuple[Sanction, int]]:
    """How many of the summaries fall in each cumulative bracket (the consecutive rule aside), in SANCTIONS order."""
    counts = {s: 0 for s in SANCTIONS}
    for summary in summaries:
        s = sanction_for_days(summary.total_tk)
        if s is not None:
            counts[s] += 1
    return list(counts.items())
