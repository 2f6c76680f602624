"""Attendance rate per OPD per day and per week, and server-side SVG geometry for the charts.

The rate is the one of hadir.presence.rates (the board's too), over the DailyStatus rows of working days. A day
or week is a column only when someone in scope worked it; the regency's figure pools everyone's days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from hadir.org.scoping import BoardScope
from hadir.presence.models import DailyStatus
from hadir.presence.rates import RATE_ATTENDED, RATE_LEFT_OUT, attendance_rate, not_attended_q


@dataclass
class Series:
    opd_id: int
    name: str
    points: dict[dt.date, float | None]  # period start → rate 0–100 (None: nobody expected)
    sums: dict[dt.date, tuple[int, int]] = field(default_factory=dict)  # period → (attended, not attended)


def _rates(scope: BoardScope, start: dt.date, end: dt.date, weekly: bool,
           opd: int | None) -> tuple[list[dt.date], list[Series]]:
    qs = DailyStatus.objects.filter(date__gte=start, date__lte=end, is_working_day=True).exclude(
        status__in=RATE_LEFT_OUT  # excused or not at work that day: neither attended nor absent
    ).filter(scope.q("employee__unit__"))
    if opd:
        qs = qs.filter(employee__unit__opd_id=opd)
    qs = qs.annotate(period=TruncWeek("date") if weekly else F("date"))
    rows = qs.order_by().values("employee__unit__opd_id", "employee__unit__opd__name", "period").annotate(
        attended=Count("id", filter=Q(status__in=RATE_ATTENDED)),
        not_attended=Count("id", filter=not_attended_q(timezone.now())),
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
        s.sums[p] = (r["attended"], r["not_attended"])
        s.points[p] = attendance_rate(r["attended"], r["not_attended"])
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
    """The regency's rate per period: everyone's days pooled (as the board's total), not a mean of OPD rates."""
    acc: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for s in series:
        for p, (attended, not_attended) in s.sums.items():
            acc[p][0] += attended
            acc[p][1] += not_attended
    out: dict[dt.date, float] = {}
    for p, (attended, not_attended) in acc.items():
        rate = attendance_rate(attended, not_attended)
        if rate is not None:
            out[p] = rate
    return out


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
