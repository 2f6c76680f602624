"""Attendance recaps, set-based: per employee over any date range (one GROUP BY over the daily statuses), and the
month's day-by-day grid ("rekap absensi": one code per day). The page, the Excel and the PDF of the recaps issue
are to read these same functions, so every format carries the same figures.

Grid codes: H hadir · T1–T4 terlambat (TL category) · P1–P4 pulang sebelum waktunya (PSW category, when not late)
· TK tanpa keterangan · I izin · S sakit · C cuti · DL dinas luar · L libur / not a working day · B belum (not closed)
· "" no status row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from hadir.files import month_bounds
from hadir.leave.models import LeaveKind, LeaveRequest
from hadir.org.models import Employee
from hadir.presence.models import ApelStatus, CheckIn, DailyStatus, DayStatus, Verdict
from hadir.presence.rates import RATE_ATTENDED, attendance_rate, not_attended_q
from hadir.terminals.models import TerminalDownDay

from .texts import rate_text

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
    invalid_checkins: int = 0
    terminal_down_days: int = 0
    roll_calls_asked: int = 0  # presence during the day (hadir.integrity roll calls)
    roll_calls_ok: int = 0  # … answered in time, in place
    leave_kinds: dict[str, int] = field(default_factory=dict)  # LeaveKind value → days (izin, sakit, cuti by kind)

    @property
    def rate(self) -> float | None:
        return attendance_rate(self.attended, self.not_attended)

    @property
    def rate_text(self) -> str:
        return rate_text(self.rate)

    @property
    def psw(self) -> int:
        return sum(self.counts[k] for k in ("psw1", "psw2", "psw3", "psw4"))


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
    aggregates["n_roll_calls_asked"] = Sum("roll_calls_asked")
    aggregates["n_roll_calls_ok"] = Sum("roll_calls_ok")
    aggregates["n_attended"] = Count("id", filter=Q(status__in=RATE_ATTENDED))
    aggregates["n_not_attended"] = Count("id", filter=not_attended_q(now))
    by_employee: dict[int, dict[str, Any]] = {r["employee_id"]: dict(r) for r in statuses(employees, start, end).order_by().values("employee_id")
                   .annotate(**aggregates)}
    invalid = _invalid_checkins(employees, start, end)
    down = _terminal_down_days(employees, start, end)
    kinds = _leave_kinds(employees, start, end)
    rows = []
    for e in employees.select_related("unit__opd").order_by("unit__path", "name", "pk").values(
            "pk", "nip", "name", "unit__name", "unit__opd__name"):
        agg: dict[str, Any] = by_employee.get(e["pk"], {})
        rows.append(RecapRow(
            employee_id=e["pk"], nip=e["nip"] or "", name=e["name"], unit=e["unit__name"],
            opd=e["unit__opd__name"] or "", counts={name: int(agg.get(f"n_{name}") or 0) for name in COUNTS},
            late_minutes=int(agg.get("n_late_minutes") or 0), early_minutes=int(agg.get("n_early_minutes") or 0),
            attended=int(agg.get("n_attended") or 0), not_attended=int(agg.get("n_not_attended") or 0),
            invalid_checkins=invalid.get(e["pk"], 0), terminal_down_days=down.get(e["pk"], 0),
            roll_calls_asked=int(agg.get("n_roll_calls_asked") or 0), roll_calls_ok=int(agg.get("n_roll_calls_ok") or 0),
            leave_kinds=kinds.get(e["pk"], {})))
    return rows


def _invalid_checkins(employees: QuerySet[Employee], start: dt.date, end: dt.date) -> dict[int, int]:
    """Accepted check-ins an approver marked invalid, per employee."""
    qs = CheckIn.objects.filter(local_date__gte=start, local_date__lte=end, verdict=Verdict.ACCEPTED,
                                validity="invalid", employee__in=employees)
    return dict(qs.order_by().values("employee_id").annotate(n=Count("id")).values_list("employee_id", "n"))


def _terminal_down_days(employees: QuerySet[Employee], start: dt.date, end: dt.date) -> dict[int, int]:
    """Working days on which the employee's OPD had a terminal down (the OPD answers for them)."""
    if not TerminalDownDay.objects.filter(date__gte=start, date__lte=end).exists():
        return {}
    down = TerminalDownDay.objects.filter(opd_id=OuterRef("employee__unit__opd_id"), date=OuterRef("date"))
    qs = statuses(employees, start, end).filter(Exists(down), is_working_day=True)
    return dict(qs.order_by().values("employee_id").annotate(n=Count("id")).values_list("employee_id", "n"))


_REF_PK = re.compile(r"^[A-Z]+-(\d+)")


def _leave_kinds(employees: QuerySet[Employee], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Excused working days per employee by the kind of the leave request behind them (the daily status names it in
    `excuse_ref`, "CUTI-12 …"): two queries whatever the scope."""
    excused = statuses(employees, start, end).filter(
        is_working_day=True, status__in=[DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.DINAS_LUAR])
    refs = list(excused.exclude(excuse_ref="").values_list("employee_id", "excuse_ref"))
    pks = {int(m.group(1)) for _e, ref in refs if (m := _REF_PK.match(ref))}
    kind_of = dict(LeaveRequest.objects.filter(pk__in=pks).values_list("pk", "kind"))
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for emp, ref in refs:
        m = _REF_PK.match(ref)
        kind = kind_of.get(int(m.group(1))) if m else None
        if kind:
            out[emp][kind] = out[emp].get(kind, 0) + 1
    return dict(out)


LEAVE_KIND_LABELS = dict(LeaveKind.choices)


@dataclass
class Total:
    """Totals of a group of recap rows (a unit, an OPD, the regency), with the group's rate."""
    key: str
    name: str
    employees: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    late_minutes: int = 0
    early_minutes: int = 0
    attended: int = 0
    not_attended: int = 0
    invalid_checkins: int = 0
    terminal_down_days: int = 0
    roll_calls_asked: int = 0
    roll_calls_ok: int = 0

    def add(self, r: RecapRow) -> None:
        self.employees += 1
        for k, v in r.counts.items():
            self.counts[k] += v
        self.late_minutes += r.late_minutes
        self.early_minutes += r.early_minutes
        self.attended += r.attended
        self.not_attended += r.not_attended
        self.invalid_checkins += r.invalid_checkins
        self.terminal_down_days += r.terminal_down_days
        self.roll_calls_asked += r.roll_calls_asked
        self.roll_calls_ok += r.roll_calls_ok

    @property
    def rate(self) -> float | None:
        return attendance_rate(self.attended, self.not_attended)

    @property
    def rate_text(self) -> str:
        return rate_text(self.rate)

    @property
    def psw(self) -> int:
        return sum(self.counts[k] for k in ("psw1", "psw2", "psw3", "psw4"))


def totals(rows: list[RecapRow], by: str) -> list[Total]:
    """Totals per "opd" or "unit" (in the rows' order), the rate pooled over everyone's days (as on the board)."""
    groups: dict[str, Total] = {}
    for r in rows:
        name = getattr(r, by) or "—"
        groups.setdefault(name, Total(key=name, name=name)).add(r)
    return list(groups.values())


def grand_total(rows: list[RecapRow], name: str) -> Total:
    t = Total(key="*", name=name)
    for r in rows:
        t.add(r)
    return t


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
    first, last = month_bounds(month)
    dates = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    index = {d: i for i, d in enumerate(dates)}
    grid: dict[int, list[str]] = defaultdict(lambda: [""] * len(dates))
    for emp_id, date, status, working, late, early in statuses(employees, first, last).values_list(
            "employee_id", "date", "status", "is_working_day", "late_category", "early_category"):
        grid[emp_id][index[date]] = day_code(status, working, late, early)
    return dates, dict(grid)
