"""Attendance recaps, set-based: per employee over any date range (one GROUP BY over the daily statuses), and the
month's day-by-day grid ("rekap absensi": one code per day). The page, the Excel and the PDF of the recaps issue
are to read these same functions, so every format carries the same figures.

Grid codes: H hadir · T1–T4 terlambat (TL category) · P1–P4 pulang sebelum waktunya (PSW category, when not late)
· TK tanpa keterangan · I izin · S sakit · C cuti · DL dinas luar · L libur / not a working day · B belum (not closed)
· "" no status row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from hadir.org.models import Employee
from hadir.presence.models import ApelStatus, DailyStatus, DayStatus
from hadir.presence.rates import RATE_ATTENDED, attendance_rate, not_attended_q

MAX_DAYS = 366

COUNTS: dict[str, Q] = {
    "working_days": Q(is_working_day=True),
    "hadir": Q(status__in=[DayStatus.HADIR, DayStatus.PSW], late_minutes=0),
    "terlambat": Q(status=DayStatus.TERLAMBAT) | Q(status__in=[DayStatus.HADIR, DayStatus.PSW], late_minutes__gt=0),
    "tl1": Q(late_category="TL1"), "tl2": Q(late_category="TL2"), "tl3": Q(late_category="TL3"),
    "tl4": Q(late_category="TL4"),
    "psw1": Q(early_category="PSW1"), "psw2": Q(early_category="PSW2"), "psw3": Q(early_category="PSW3"),
    "psw4": Q(early_category="PSW4"),
    "tk": Q(status=DayStatus.TK), "izin": Q(status=DayStatus.IZIN), "sakit": Q(status=DayStatus.SAKIT),
    "cuti": Q(status=DayStatus.CUTI), "dl": Q(status=DayStatus.DINAS_LUAR),
    "apel_pagi": Q(apel_pagi=ApelStatus.HADIR), "apel_sore": Q(apel_sore=ApelStatus.HADIR),
    "apel_pagi_missed": Q(apel_pagi=ApelStatus.TIDAK), "apel_sore_missed": Q(apel_sore=ApelStatus.TIDAK),
    "corrected": Q(corrected=True),
}


@dataclass
class RecapRow:
    employee_id: int
    nip: str
    name: str
    unit: str
    opd: str
    counts: dict[str, int] = field(default_factory=dict)
    late_minutes: int = 0
    early_minutes: int = 0
    attended: int = 0
    not_attended: int = 0

    @property
    def rate(self) -> float | None:
        return attendance_rate(self.attended, self.not_attended)


def statuses(employees: QuerySet[Employee], start: dt.date, end: dt.date) -> QuerySet[DailyStatus]:
    return DailyStatus.objects.filter(date__gte=start, date__lte=end, employee__in=employees)


def recap(employees: QuerySet[Employee], start: dt.date, end: dt.date,
          now: dt.datetime | None = None) -> list[RecapRow]:
    """Each employee's counts over [start, end], by unit path and name; employees without a status row in the range
    are listed with zeros."""
    now = now or timezone.now()
    # (annotation names get an "n_" prefix: "apel_pagi" and "late_minutes" are also fields of the model)
    aggregates: dict[str, Any] = {f"n_{name}": Count("id", filter=q) for name, q in COUNTS.items()}
    aggregates["n_late_minutes"] = Sum("late_minutes")
    aggregates["n_early_minutes"] = Sum("early_minutes")
    aggregates["n_attended"] = Count("id", filter=Q(status__in=RATE_ATTENDED))
    aggregates["n_not_attended"] = Count("id", filter=not_attended_q(now))
    by_employee: dict[int, dict[str, Any]] = {r["employee_id"]: dict(r) for r in statuses(employees, start, end).order_by().values("employee_id")
                   .annotate(**aggregates)}
    rows = []
    for e in employees.select_related("unit__opd").order_by("unit__path", "name", "pk").values(
            "pk", "nip", "name", "unit__name", "unit__opd__name"):
        agg: dict[str, Any] = by_employee.get(e["pk"], {})
        rows.append(RecapRow(
            employee_id=e["pk"], nip=e["nip"] or "", name=e["name"], unit=e["unit__name"],
            opd=e["unit__opd__name"] or "", counts={name: int(agg.get(f"n_{name}") or 0) for name in COUNTS},
            late_minutes=int(agg.get("n_late_minutes") or 0), early_minutes=int(agg.get("n_early_minutes") or 0),
            attended=int(agg.get("n_attended") or 0), not_attended=int(agg.get("n_not_attended") or 0)))
    return rows


def day_code(status: str, is_working_day: bool, late_category: str, early_category: str) -> str:
    if not is_working_day or status == DayStatus.LIBUR:
        return "L"
    if late_category.startswith("TL"):
        return "T" + late_category[2:]
    if status == DayStatus.TERLAMBAT:
        return "T1"
    if early_category.startswith("PSW"):
        return "P" + early_category[3:]
    codes: dict[str, str] = {DayStatus.HADIR: "H", DayStatus.PSW: "P1", DayStatus.TK: "TK", DayStatus.IZIN: "I",
                             DayStatus.SAKIT: "S", DayStatus.CUTI: "C", DayStatus.DINAS_LUAR: "DL", DayStatus.BELUM: "B"}
    return codes.get(status, "")


def month_grid(employees: QuerySet[Employee], month: dt.date) -> tuple[list[dt.date], dict[int, list[str]]]:
    """(the month's dates, employee → one code per date) — the classic rekap absensi."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    dates = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    index = {d: i for i, d in enumerate(dates)}
    grid: dict[int, list[str]] = defaultdict(lambda: [""] * len(dates))
    for emp_id, date, status, working, late, early in statuses(employees, first, last).values_list(
            "employee_id", "date", "status", "is_working_day", "late_category", "early_category"):
        grid[emp_id][index[date]] = day_code(status, working, late, early)
    return dates, dict(grid)
