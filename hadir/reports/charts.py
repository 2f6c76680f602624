"""The numbers behind the dashboard's charts, set-based, and the arithmetic of an axis people can read.

- attendance rate per OPD per day or per week (the one rate of hadir.presence.rates), pooled over a period for the
  worst-first ranking;
- TK days and lateness (late days, late minutes, TL1–TL4) per week;
- accepted check-ins per work location.

Each is one GROUP BY over DailyStatus or CheckIn, filtered by the board scope (BKPSDM the regency, an OPD's roles
their OPD). The SVG geometry and the page live in hadir.web; the Excel writer for a chart's table is here.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from hadir.files import sheet_name, spreadsheet_text
from hadir.org.models import WorkLocation
from hadir.org.scoping import BoardScope
from hadir.presence.models import CheckIn, DailyStatus, DayStatus, Verdict
from hadir.presence.rates import RATE_ATTENDED, RATE_LEFT_OUT, attendance_rate, not_attended_q

TL_CATEGORIES = ("TL1", "TL2", "TL3", "TL4")


# ---- attendance rate per OPD per day / week ---------------------------------------------------------------------

@dataclass
class Series:
    opd_id: int
    name: str
    points: dict[dt.date, float | None]  # period start → rate 0–100 (None: nobody expected)
    sums: dict[dt.date, tuple[int, int]] = field(default_factory=dict)  # period → (attended, not attended)

    @property
    def total(self) -> float | None:
        """The rate over all the series' days pooled (not a mean of the weekly rates)."""
        return attendance_rate(sum(a for a, _n in self.sums.values()), sum(n for _a, n in self.sums.values()))


def rates(scope: BoardScope, start: dt.date, end: dt.date, weekly: bool,
          opd: int | None = None) -> tuple[list[dt.date], list[Series]]:
    """Rate per OPD per day (or per week, keyed by its Monday) over [start, end]; a day or week is a period only
    when someone in scope worked it. Series sorted by OPD name."""
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
        p = _as_date(r["period"])
        periods.add(p)
        s = series.setdefault(key, Series(key, r["employee__unit__opd__name"] or "—", {}))
        s.sums[p] = (r["attended"], r["not_attended"])
        s.points[p] = attendance_rate(r["attended"], r["not_attended"])
    return sorted(periods), sorted(series.values(), key=lambda s: s.name)


def worst_first(series: list[Series]) -> list[Series]:
    """OPDs by their rate over the whole period, lowest first; OPDs nobody was expected at last; ties by name."""
    return sorted(series, key=lambda s: (s.total is None, s.total if s.total is not None else 0.0, s.name))


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


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# ---- TK and lateness per week ------------------------------------------------------------------------------------

@dataclass
class WeekTrend:
    week: dt.date  # the Monday
    tk: int = 0  # TK days
    late: int = 0  # days arrived late
    late_minutes: int = 0
    tl: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TL_CATEGORIES, 0))


LATE_Q = Q(status=DayStatus.TERLAMBAT) | Q(status__in=[DayStatus.HADIR, DayStatus.PSW], late_minutes__gt=0)


def weekly_trends(scope: BoardScope, start: dt.date, end: dt.date, opd: int | None = None) -> list[WeekTrend]:
    """TK days, late days, late minutes and late days per TL category, per week of [start, end] (weeks in which
    nobody in scope had a working day are left out). One GROUP BY."""
    qs = DailyStatus.objects.filter(date__gte=start, date__lte=end, is_working_day=True).filter(
        scope.q("employee__unit__"))
    if opd:
        qs = qs.filter(employee__unit__opd_id=opd)
    rows = qs.annotate(week=TruncWeek("date")).order_by().values("week").annotate(
        tk=Count("id", filter=Q(status=DayStatus.TK)),
        late=Count("id", filter=LATE_Q),
        minutes=Sum("late_minutes", filter=LATE_Q),
        tl1=Count("id", filter=LATE_Q & Q(late_category="TL1")),
        tl2=Count("id", filter=LATE_Q & Q(late_category="TL2")),
        tl3=Count("id", filter=LATE_Q & Q(late_category="TL3")),
        tl4=Count("id", filter=LATE_Q & Q(late_category="TL4")),
    )
    out = [WeekTrend(_as_date(r["week"]), r["tk"], r["late"], r["minutes"] or 0,
                     {"TL1": r["tl1"], "TL2": r["tl2"], "TL3": r["tl3"], "TL4": r["tl4"]}) for r in rows]
    return sorted(out, key=lambda t: t.week)


# ---- check-ins per work location ---------------------------------------------------------------------------------

@dataclass
class LocationCount:
    location_id: int
    name: str
    opd: str
    lat: float
    lon: float
    checkins: int
    employees: int


def checkins_per_location(scope: BoardScope, start: dt.date, end: dt.date,
                          opd: int | None = None) -> list[LocationCount]:
    """Accepted check-ins (all kinds) per work location over [start, end], most first. One GROUP BY."""
    qs = CheckIn.objects.filter(local_date__gte=start, local_date__lte=end, verdict=Verdict.ACCEPTED,
                                location__isnull=False).filter(scope.q("employee__unit__"))
    if opd:
        qs = qs.filter(employee__unit__opd_id=opd)
    rows = qs.order_by().values("location_id").annotate(n=Count("id"), people=Count("employee_id", distinct=True))
    counts = {r["location_id"]: (r["n"], r["people"]) for r in rows}
    locs = WorkLocation.objects.filter(pk__in=counts).values("pk", "name", "latitude", "longitude", "unit__opd__name")
    out = [LocationCount(loc["pk"], loc["name"], loc["unit__opd__name"] or "—", loc["latitude"], loc["longitude"],
                         *counts[loc["pk"]]) for loc in locs]
    return sorted(out, key=lambda c: (-c.checkins, c.name))


# ---- axes --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Axis:
    lo: float
    hi: float
    ticks: tuple[float, ...]


NICE_STEPS = (1, 2, 5, 10, 20, 25, 50)


def _step(span: float, most_ticks: int) -> float:
    for base in (1, 10, 100, 1000, 10_000, 100_000):
        for s in NICE_STEPS:
            if span / (s * base) <= most_ticks:
                return float(s * base)
    return float(10 ** math.ceil(math.log10(span)))


def rate_axis(values: list[float | None], margin: float = 2.0, most_ticks: int = 5) -> Axis:
    """A y-axis for rates fitted to the data: from a round number at or below (lowest − margin) to 100 %, at most
    `most_ticks` steps of 1, 2, 5, 10, 20 or 25 points. 0–100 when there is no value."""
    present = [v for v in values if v is not None]
    if not present:
        return Axis(0.0, 100.0, (0.0, 25.0, 50.0, 75.0, 100.0))
    low = max(0.0, min(present) - margin)
    step = _step(100.0 - low, most_ticks)
    lo = max(0.0, math.floor(low / step) * step)
    return Axis(lo, 100.0, tuple(lo + i * step for i in range(int(round((100.0 - lo) / step)) + 1)))


def count_axis(values: list[float], most_ticks: int = 5) -> Axis:
    """A y-axis for counts from 0 to a round number at or above the largest."""
    top = max([0.0, *values])
    if top <= 0:
        return Axis(0.0, 1.0, (0.0, 1.0))
    step = _step(top, most_ticks)
    hi = math.ceil(top / step) * step
    return Axis(0.0, hi, tuple(i * step for i in range(int(round(hi / step)) + 1)))


# ---- Excel -------------------------------------------------------------------------------------------------------

def table_workbook(title: str, subtitle: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet: title, the regency, a subtitle (scope and period), then the table with a bold frozen header."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name(title, [])
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([str(settings.HADIR_INSTANSI)])
    ws.append([subtitle])
    ws.append([])
    ws.append(header)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for row in rows:
        ws.append([spreadsheet_text(v) for v in row])
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    ws.column_dimensions["A"].width = 36
    for col in "BCDEFGHIJKLMNOPQRSTUVWXYZ":
        ws.column_dimensions[col].width = 14
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
