"""Attendance rate per OPD per day and per week, and server-side SVG geometry for the charts.

Rate = (present + excused) / expected, where expected excludes libur and "belum" (a day not closed
yet: today's not-yet-arrived are unknown, not absent); a working-day employee without a DailyStatus
row counts as absent only on the board (today), not here: history uses the rows the daily closing
wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek

from hadir.org.scoping import BoardScope
from hadir.presence.models import DailyStatus, DayStatus

ATTENDED = [DayStatus.HADIR, DayStatus.TERLAMBAT, DayStatus.PSW, DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI,
            DayStatus.DINAS_LUAR]


@dataclass
class Series:
    opd_id: int
    name: str
    points: dict[dt.date, float | None]  # period start → rate 0–100 (None: no working day)


def _rates(scope: BoardScope, start: dt.date, end: dt.date, weekly: bool,
           opd: int | None) -> tuple[list[dt.date], list[Series]]:
    qs = DailyStatus.objects.filter(date__gte=start, date__lte=end, is_working_day=True).exclude(
        # libur is not expected at work; belum is a day not closed yet (today): unknown, not absent
        status__in=[DayStatus.LIBUR, DayStatus.BELUM]
    ).filter(scope.q("employee__unit__"))
    if opd:
        qs = qs.filter(employee__unit__opd_id=opd)
    qs = qs.annotate(period=TruncWeek("date") if weekly else F("date"))
    rows = qs.order_by().values("employee__unit__opd_id", "employee__unit__opd__name", "period").annotate(
        expected=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED))
    )
    series: dict[int, Series] = {}
    periods: set[dt.date] = set()
    for r in rows:
        key = r["employee__unit__opd_id"] or 0
        p = r["period"]
        if isinstance(p, dt.datetime):
            p = p.date()
        periods.add(p)
        s = series.setdefault(key, Series(key, r["employee__unit__opd__name"] or "—", {}))
        s.points[p] = 100.0 * r["attended"] / r["expected"] if r["expected"] else None
    ordered = sorted(periods)
    return ordered, sorted(series.values(), key=lambda s: s.name)


def daily_rates(scope: BoardScope, end: dt.date, days: int = 14,
                opd: int | None = None) -> tuple[list[dt.date], list[Series]]:
    return _rates(scope, end - dt.timedelta(days=days - 1), end, False, opd)


def weekly_rates(scope: BoardScope, end: dt.date, weeks: int = 8,
                 opd: int | None = None) -> tuple[list[dt.date], list[Series]]:
    start = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=weeks - 1)
    return _rates(scope, start, end, True, opd)


def overall(series: list[Series]) -> dict[dt.date, float]:
    """Unweighted mean across OPDs per period (each OPD counts once)."""
    acc: dict[dt.date, list[float]] = defaultdict(list)
    for s in series:
        for p, v in s.points.items():
            if v is not None:
                acc[p].append(v)
    return {p: sum(vs) / len(vs) for p, vs in acc.items() if vs}


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str


def bar_chart(values: list[tuple[str, float | None]], width: int = 640, height: int = 180,
              pad: int = 24) -> list[Bar]:
    """Bars for 0–100 % values laid out in a width×height box (value None → no bar)."""
    if not values:
        return []
    slot = (width - pad) / len(values)
    inner = height - pad
    bars = []
    for i, (label, v) in enumerate(values):
        if v is None:
            continue
        h = inner * max(0.0, min(100.0, v)) / 100.0
        bars.append(Bar(pad + i * slot + slot * 0.15, inner - h, slot * 0.7, h, v, label))
    return bars
