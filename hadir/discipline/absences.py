"""Who was absent without a valid reason (TK) this year: the queries that feed the PP 94/2021 rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from hadir.org.models import Employee
from hadir.org.scoping import BoardScope
from hadir.presence.models import DailyStatus, DayStatus

from .rules import AbsenceSummary, pp94_applies, severity, summarize


@dataclass
class AbsentEmployee:
    id: int
    name: str
    nip: str
    kind: str
    unit: str
    opd: str
    summary: AbsenceSummary


def absence_report(scope: BoardScope, year: int, until: dt.date, *, opd: int | None = None,
                   min_total: int = 1) -> list[AbsentEmployee]:
    """Employees in scope with at least `min_total` TK days in `year` up to `until`, heaviest first."""
    start = dt.date(year, 1, 1)
    end = min(until, dt.date(year, 12, 31))
    base = DailyStatus.objects.filter(date__gte=start, date__lte=end).filter(scope.q("employee__unit__"))
    if opd:
        base = base.filter(employee__unit__opd_id=opd)
    ids = [
        r["employee_id"]
        for r in base.filter(status=DayStatus.TK).values("employee_id").annotate(n=Count("id")).filter(
            n__gte=max(1, min_total)
        )
    ]
    if not ids:
        return []
    facts: dict[int, list[tuple[dt.date, str, bool]]] = defaultdict(list)
    for emp_id, day, status, working in base.filter(employee_id__in=ids).values_list(
        "employee_id", "date", "status", "is_working_day"
    ):
        facts[emp_id].append((day, status, working))
    people = Employee.objects.filter(pk__in=ids).values(
        "id", "name", "nip", "kind", "unit__name", "unit__opd__name"
    )
    out = [
        AbsentEmployee(p["id"], p["name"], p["nip"] or "", p["kind"], p["unit__name"], p["unit__opd__name"] or "",
                       summarize(facts[p["id"]], covered=pp94_applies(p["kind"])))
        for p in people
    ]
    out.sort(key=lambda a: (-severity(a.summary), -a.summary.total_tk, -a.summary.current_streak, a.name))
    return out


def employees_with_tk(scope: BoardScope, year: int, until: dt.date, *, opd: int | None = None) -> int:
    """How many employees in scope have at least one TK day in `year` up to `until`."""
    qs = DailyStatus.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=min(until, dt.date(year, 12, 31)),
                                    status=DayStatus.TK).filter(scope.q("employee__unit__"))
    if opd:
        qs = qs.filter(employee__unit__opd_id=opd)
    return qs.values("employee_id").distinct().count()


def year_summaries(employee_ids: list[int], day: dt.date, *, through: bool = False) -> dict[int, AbsenceSummary]:
    """Each employee's TK summary over `day`'s year before `day` (the closed days; `day` itself excluded, unless
    `through`)."""
    if not employee_ids:
        return {}
    facts: dict[int, list[tuple[dt.date, str, bool]]] = defaultdict(list)
    until = {"date__lte": day} if through else {"date__lt": day}
    rows = DailyStatus.objects.filter(
        employee_id__in=employee_ids, date__gte=dt.date(day.year, 1, 1), **until
    ).values_list("employee_id", "date", "status", "is_working_day")
    for emp_id, date, status, working in rows:
        facts[emp_id].append((date, status, working))
    kinds = dict(Employee.objects.filter(pk__in=employee_ids).values_list("pk", "kind"))
    return {emp_id: summarize(facts.get(emp_id, []), covered=pp94_applies(kinds.get(emp_id, "")))
            for emp_id in employee_ids}
