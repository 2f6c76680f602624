"""PP 94/2021 Pasal 11 thresholds and absence streaks: pure rules, tables of cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hadir.discipline.rules import DISMISSAL, pp94_applies, sanction_for, sanction_for_days, summarize

# (cumulative TK working days in a year, expected sanction name or None, level)
THRESHOLDS = [
    (0, None, None),
    (1, None, None),
    (2, None, None),
    (3, "Teguran lisan", "ringan"),
    (4, "Teguran tertulis", "ringan"),
    (6, "Teguran tertulis", "ringan"),
    (7, "Pernyataan tidak puas secara tertulis", "ringan"),
    (10, "Pernyataan tidak puas secara tertulis", "ringan"),
    (11, "Pemotongan tunjangan kinerja 25% selama 6 bulan", "sedang"),
    (13, "Pemotongan tunjangan kinerja 25% selama 6 bulan", "sedang"),
    (14, "Pemotongan tunjangan kinerja 25% selama 9 bulan", "sedang"),
    (16, "Pemotongan tunjangan kinerja 25% selama 9 bulan", "sedang"),
    (17, "Pemotongan tunjangan kinerja 25% selama 12 bulan", "sedang"),
    (20, "Pemotongan tunjangan kinerja 25% selama 12 bulan", "sedang"),
    (21, "Penurunan jabatan setingkat lebih rendah selama 12 bulan", "berat"),
    (24, "Penurunan jabatan setingkat lebih rendah selama 12 bulan", "berat"),
    (25, "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan", "berat"),
    (27, "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan", "berat"),
    (28, "Pemberhentian dengan hormat tidak atas permintaan sendiri", "berat"),
    (60, "Pemberhentian dengan hormat tidak atas permintaan sendiri", "berat"),
]


@pytest.mark.parametrize(("days", "name", "level"), THRESHOLDS)
def test_cumulative_thresholds(days: int, name: str | None, level: str | None) -> None:
    s = sanction_for_days(days)
    assert (s.name if s else None) == name
    assert (s.level if s else None) == level


@pytest.mark.parametrize(
    ("cumulative", "consecutive", "expected"),
    [
        (9, 9, "Pernyataan tidak puas secara tertulis"),
        (10, 10, DISMISSAL.name),  # 10 consecutive working days ⇒ pemberhentian
        (12, 10, DISMISSAL.name),
        (12, 3, "Pemotongan tunjangan kinerja 25% selama 6 bulan"),
        (2, 0, None),
    ],
)
def test_consecutive_rule(cumulative: int, consecutive: int, expected: str | None) -> None:
    s = sanction_for(cumulative, consecutive)
    assert (s.name if s else None) == expected


MON = dt.date(2026, 11, 2)


def _days(codes: str, start: dt.date = MON) -> list[tuple[dt.date, str, bool]]:
    """One letter per calendar day: T=tk, H=hadir, L=libur (weekend/holiday), C=cuti, B=belum,
    R=terlambat, _=no row."""
    status = {"T": "tk", "H": "hadir", "L": "libur", "C": "cuti", "B": "belum", "R": "terlambat"}
    out = []
    for i, c in enumerate(codes):
        if c == "_":
            continue
        out.append((start + dt.timedelta(days=i), status[c], c != "L"))
    return out


@pytest.mark.parametrize(
    ("codes", "total", "current", "longest"),
    [
        ("", 0, 0, 0),
        ("HHHHH", 0, 0, 0),
        ("TTT", 3, 3, 3),
        ("TTTH", 3, 0, 3),
        ("TTTTTLLTTTTT", 10, 10, 10),  # a weekend does not break a streak: 10 consecutive working days
        ("TTTTTLLTTTTH", 9, 0, 9),
        ("TTCTT", 4, 2, 2),  # approved leave breaks the streak
        ("TTRTT", 4, 2, 2),  # late but present breaks it
        ("TT_TT", 4, 4, 4),  # a missing row is unknown, not a break
        ("TTTTB", 4, 4, 4),  # today not closed yet ("belum") neither counts nor breaks
        ("HTTHTTTTHT", 7, 1, 4),
    ],
)
def test_streaks(codes: str, total: int, current: int, longest: int) -> None:
    s = summarize(_days(codes))
    assert (s.total_tk, s.current_streak, s.longest_streak) == (total, current, longest)
    assert s.dismissal_risk is (longest >= 10)


def test_streak_dates_and_order_independence() -> None:
    facts = _days("HTTTLLTH")
    s = summarize(list(reversed(facts)))
    assert s.longest_start == MON + dt.timedelta(days=1)
    assert s.longest_end == MON + dt.timedelta(days=6)
    assert s.tk_days == [MON + dt.timedelta(days=d) for d in (1, 2, 3, 6)]


# PP 94/2021 is the discipline regulation of PNS (CPNS included); PPPK only where the regency applies it; TKK never
# by default. (kind, HADIR_DISCIPLINE_KINDS, covered)
KIND_CASES = [
    ("pns", "pns,cpns", True), ("cpns", "pns,cpns", True), ("pppk", "pns,cpns", False),
    ("pppk_pw", "pns,cpns", False), ("tkk", "pns,cpns", False), ("pppk", "pns,cpns,pppk", True),
    ("tkk", "pns,cpns,pppk", False), ("pns", " PNS , CPNS ", True),
]


@pytest.mark.parametrize(("kind", "setting", "covered"), KIND_CASES)
def test_pp94_covers_only_the_configured_kinds(settings: Any, kind: str, setting: str, covered: bool) -> None:
    settings.HADIR_DISCIPLINE_KINDS = setting
    assert pp94_applies(kind) is covered
    # 12 consecutive working days of TK: a PNS is at dismissal risk; a TKK keeps the count but gets no level
    days = [(dt.date(2026, 3, 2) + dt.timedelta(days=i), "tk", True) for i in range(12)]
    summary = summarize(days, covered=pp94_applies(kind))
    assert summary.total_tk == 12 and summary.longest_streak == 12
    assert summary.dismissal_risk is covered
    assert (summary.sanction is not None) is covered
