"""The PP 94/2021 ledger, set-based: per employee and year, the working days absent without valid reason (TK, and
days with a check-in the atasan marked invalid), the current and longest run of consecutive TK working days, and —
when HADIR_DISCIPLINE_LATENESS_DAYS is on — lateness and early leave accumulated into days
(HADIR_DISCIPLINE_MINUTES_PER_DAY, default 450 = one 7.5-hour working day).

A run follows `rules.summarize`: only the "decisive" working days count — TK extends a run, a day at work or
excused breaks it, libur / non-working days / "belum" do neither. The database finds, for each TK day, the status
of the employee's previous decisive day (a LAG window over the year's decisive rows); only the TK rows come back,
and Python walks them per employee. Four queries for the whole regency, then one upsert.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import Lag, Lead
from django.utils import timezone

from hadir.org.models import Employee
from hadir.presence.models import CheckIn, DailyStatus, DayStatus

from .models import Ledger
from .rules import _BREAKS, discipline_kinds

BATCH = 5000


def minutes_per_day() -> int:
    return int(getattr(settings, "HADIR_DISCIPLINE_MINUTES_PER_DAY", 450))


def lateness_counts() -> bool:
    return bool(getattr(settings, "HADIR_DISCIPLINE_LATENESS_DAYS", False))


def rebuild(year: int, employee_ids: Iterable[int] | None = None, *, until: dt.date | None = None) -> int:
    """Recompute the ledger rows of `year` (up to `until`, default the year's end) for the covered employees (all,
    or those given). Returns the number of rows written."""
    first, last = dt.date(year, 1, 1), min(until or dt.date(year, 12, 31), dt.date(year, 12, 31))
    staff = Employee.objects.filter(kind__in=sorted(discipline_kinds()))
    ids = None if employee_ids is None else list(employee_ids)
    if ids is not None:
        staff = staff.filter(pk__in=ids)
    rows = DailyStatus.objects.filter(date__gte=first, date__lte=last, is_working_day=True)
    if ids is not None:
        rows = rows.filter(employee_id__in=ids)
    decisive = rows.filter(status__in=[DayStatus.TK, *_BREAKS])
    # For each TK day: the status of the employee's previous and next decisive day (LAG and LEAD over one window:
    # one pass in date order). The status condition is written so that it applies after the window — a plain
    # `.filter(status=TK)` would run first and leave LAG only TK rows to see: Django applies a condition that
    # references a window annotation (here, inside an OR) to the window's result.
    window = {"partition_by": [F("employee_id")], "order_by": F("date").asc()}
    tk_rows = (decisive.annotate(prev=Window(Lag("status"), **window), next=Window(Lead("status"), **window))  # type: ignore[arg-type]
               .filter(Q(status=DayStatus.TK, prev__isnull=True) | Q(status=DayStatus.TK, prev__isnull=False))
               .order_by("employee_id", "date").values_list("employee_id", "date", "prev", "next"))
    tk: dict[int, list[tuple[dt.date, str | None]]] = defaultdict(list)
    ends_in_tk: set[int] = set()  # the employee's last decisive day is a TK day: the current run is the last run
    for emp_id, day, prev, nxt in tk_rows:
        tk[emp_id].append((day, prev))
        if nxt is None:
            ends_in_tk.add(emp_id)
    late = dict(rows.filter(Q(late_minutes__gt=0) | Q(early_minutes__gt=0)).order_by().values("employee_id")
                .annotate(s=Sum(F("late_minutes") + F("early_minutes"))).values_list("employee_id", "s"))
    invalid: dict[int, set[dt.date]] = defaultdict(set)
    for emp_id, day in (CheckIn.objects.filter(local_date__gte=first, local_date__lte=last, validity="invalid",
                                               verdict="accepted", employee_id__in=staff.values("pk"))
                        .values_list("employee_id", "local_date").distinct()):
        invalid[emp_id].add(day)
    per_day = max(1, minutes_per_day())
    with_lateness = lateness_counts()
    stamp = timezone.now()
    out: list[Ledger] = []
    for emp_id in staff.values_list("pk", flat=True).iterator(chunk_size=BATCH):
        days = tk.get(emp_id, [])
        run = longest = 0
        longest_end: dt.date | None = None
        for day, prev in days:
            run = run + 1 if prev == DayStatus.TK else 1
            if run > longest:
                longest, longest_end = run, day
        current = run if emp_id in ends_in_tk else 0
        minutes = int(late.get(emp_id) or 0)
        late_days = minutes // per_day
        tk_count = len(days)
        invalid_days = len(invalid[emp_id] - {d for d, _prev in days}) if emp_id in invalid else 0
        out.append(Ledger(employee_id=emp_id, year=year, tk_days=tk_count, invalid_days=invalid_days,
                          late_minutes=minutes, late_days=late_days,
                          counted_days=tk_count + invalid_days + (late_days if with_lateness else 0),
                          current_run=current, longest_run=longest, longest_end=longest_end, computed_at=stamp))
    Ledger.objects.bulk_create(out, batch_size=BATCH, update_conflicts=True, unique_fields=["employee", "year"],
                               update_fields=["tk_days", "invalid_days", "late_minutes", "late_days", "counted_days",
                                              "current_run", "longest_run", "longest_end", "computed_at"])
    return len(out)

