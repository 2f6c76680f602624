"""The daily status of each employee, derived from check-ins, schedules and leave.

The rule itself (`derive_status`) is a pure function over plain values; `compute_day` feeds it for a whole
regency-day in a fixed number of queries (employees, locations, the schedule tables, that day's check-ins,
excuses, already-closed rows) and writes every row with one upsert per batch. It is idempotent: running it
again over the same events yields the same rows, so it can be re-run at any time (after an approval, a
correction, a late offline batch, a holiday added afterwards).

Which check-ins count: verdict "accepted" and validity not "invalid" (a "pending" one counts until an
approver marks it invalid), of kind masuk/pulang, with `local_date` = the work date (the pipeline stores the
date of `workday_at`, so a pulang after a night shift carries the shift's date).

Apel (morning/afternoon assembly) is recorded beside the status, never in it (`derive_apel`): apel_pagi and
apel_sore are "hadir" / "tidak" / "" (no such apel that day, excused, or not decided yet) from the same
kind of check-ins of kind apel_pagi/apel_sore inside the work day's apel window.

Who calls it: the outbox drain (hadir/presence/outbox.py) — the one refresh path — and the demo seed. Callers that
change an input of a day's status mark it in the outbox instead of calling this directly.

When a day is closed: explicitly (`close=True`, the `hadir close_day` command), or once the employee's
last check-in window of that day plus HADIR_DAY_CLOSE_GRACE_MINUTES has passed (local midnight for office
hours, late morning for a night shift). A closed working day without any check-in is "tk"; before that
it is "belum". A closed row stays closed when recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.functions import NullIf
from django.utils import timezone

from hadir.db import chunks, fetch_rows
from hadir.leave import facts
from hadir.org.models import Employee
from hadir.presence.models import (
    ApelStatus,
    CheckIn,
    CheckInKind,
    CheckInSource,
    DailyStatus,
    DayStatus,
    Validity,
    Verdict,
)
from hadir.schedules.lateness import (
    LatenessRules,
    early_leave_category,
    late_category,
    minutes_early,
    minutes_late,
)
from hadir.schedules.services import (
    EmployeeRow,
    ScheduleBook,
    WorkDay,
    employee_rows,
    lateness_rules_on,
    zone,
)

UPSERT_BATCH = 2000
STATUS_FIELDS = [
    "status", "is_working_day", "first_in", "last_out", "late_minutes", "late_category", "early_minutes",
    "early_category", "missing_in", "missing_out", "excuse_ref", "closed", "starts_at", "corrected", "apel_pagi",
    "apel_sore", "computed_at",
]
APEL_KINDS = (CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE)


class DayResult(NamedTuple):
    """The derived fields of one DailyStatus row (a tuple: cheap to build 50,000 times, COPY-able)."""

    status: str
    is_working_day: bool
    first_in: dt.datetime | None = None
    last_out: dt.datetime | None = None
    late_minutes: int = 0
    late_category: str = ""
    early_minutes: int = 0
    early_category: str = ""
    missing_in: bool = False
    missing_out: bool = False
    excuse_ref: str = ""
    closed: bool = False
    starts_at: dt.datetime | None = None  # the work day's / shift's start: a "belum" before it is not yet due
    corrected: bool = False  # a counted masuk/pulang came from an approved correction (source "manual")
    apel_pagi: str = ""  # ApelStatus; derive_apel, not derive_status, decides these two (kept last: _with_apel)
    apel_sore: str = ""


def derive_status(
    workday: WorkDay,
    masuk: Iterable[dt.datetime],
    pulang: Iterable[dt.datetime],
    excuse: tuple[str, str] | None,
    rules: LatenessRules,
    closed: bool,
) -> DayResult:
    """Pure rule: the status of one employee-day from the accepted masuk/pulang instants.

    - not a working day (weekend, holiday, off-roster) → libur;
    - an approved excuse (cuti/izin/sakit/dl) → that status (check-ins are still shown);
    - no check-in at all → belum until the day closes, then tk;
    - late minutes from the scheduled start to the first masuk, early minutes from the last pulang to
      the scheduled end; categories by the rule set; pulang without masuk → missing_in (TL4 when the rule
      set says so); no pulang once closed → missing_out (PSW4 when the rule set says so);
    - status terlambat when a TL category applies, else psw when a PSW category applies, else hadir.
    """
    first_in = min(masuk, default=None)
    last_out = max(pulang, default=None)
    if not workday.is_working_day:
        return DayResult(DayStatus.LIBUR, False, first_in, last_out, closed=closed)
    if excuse is not None:
        return DayResult(excuse[0], True, first_in, last_out, excuse_ref=excuse[1][:60], closed=closed,
                         starts_at=workday.start)
    if first_in is None and last_out is None:
        return DayResult(DayStatus.TK if closed else DayStatus.BELUM, True, closed=closed, starts_at=workday.start)
    assert workday.start is not None and workday.end is not None
    late = minutes_late(workday.start, first_in) if first_in else 0
    late_cat = late_category(late, rules)
    missing_in = first_in is None
    if missing_in and rules.missing_in_is_tl4:
        late_cat = "TL4"
    early = minutes_early(workday.end, last_out) if last_out else 0
    early_cat = early_leave_category(early, rules)
    missing_out = last_out is None and closed
    if missing_out and rules.missing_out_is_psw4:
        early_cat = "PSW4"
    status = DayStatus.TERLAMBAT if late_cat else DayStatus.PSW if early_cat else DayStatus.HADIR
    return DayResult(status, True, first_in, last_out, late, late_cat, early, early_cat, missing_in, missing_out,
                     closed=closed, starts_at=workday.start)


def derive_apel(
    workday: WorkDay,
    kind: str,
    attended: Iterable[dt.datetime],
    excused: bool,
    closed: bool,
    now: dt.datetime,
) -> str:
    """Pure rule: the apel of `kind` (apel_pagi/apel_sore) of one employee-day, from the instants of the
    accepted (not invalid) check-ins of that kind.

    - "" (not applicable) when the work day has no such apel window, is not a working day, or the employee
      is excused (cuti/izin/sakit/dl);
    - "hadir" when one of the instants lies inside the window (bounds included);
    - "tidak" once the window has closed (`now` past its close) or the day is closed, without such a check-in;
    - "" while the window is still open or has not begun: not missed yet.
    It never touches the daily status: a missed apel is counted on its own (TPP rules deduct for it)."""
    window = workday.windows.get(kind)
    if window is None or not workday.is_working_day or excused:
        return ApelStatus.NONE
    opens, closes = window
    for t in attended:  # (a loop, not any(<genexpr>): this runs twice per employee of a regency-day)
        if opens <= t <= closes:
            return ApelStatus.HADIR
    if closed or now > closes:
        return ApelStatus.TIDAK
    return ApelStatus.NONE


def close_time(workday: WorkDay) -> dt.datetime:
    """When `workday` closes: its last check-in window (at least local midnight after the date) plus grace."""
    midnight = dt.datetime.combine(workday.date + dt.timedelta(days=1), dt.time(0), tzinfo=zone(workday.tz))
    last = workday.last_close
    end = max(midnight, last) if last is not None else midnight
    return end + dt.timedelta(minutes=int(getattr(settings, "HADIR_DAY_CLOSE_GRACE_MINUTES", 60)))


Instants = tuple[dt.datetime, ...]
# masuk, pulang, apel_pagi, apel_sore instants of one employee-day (plain tuples: built 50,000 times)
Events = tuple[Instants, Instants, Instants, Instants]
NO_EVENTS: Events = ((), (), (), ())


def _counted_checkins(day: dt.date, kinds: Iterable[str]) -> QuerySet[CheckIn]:
    """The check-ins of `day` that count: accepted, not invalidated (pending ones count until judged)."""
    return (CheckIn.objects.filter(local_date=day, verdict=Verdict.ACCEPTED, kind__in=list(kinds))
            .exclude(validity=Validity.INVALID).order_by())


def _span(first: dt.datetime | None, last: dt.datetime | None) -> Instants:
    if first is None:
        return ()
    return (first,) if last is None else (first, last)


def _first_last(kind: str) -> tuple[Min, NullIf]:
    """MIN and MAX of one kind's instants; MAX is NULL when it equals MIN (the usual single check-in), which
    spares converting the same timestamp twice for every employee."""
    only = Q(kind=kind)
    return Min("occurred_at", filter=only), NullIf(Max("occurred_at", filter=only), Min("occurred_at", filter=only))


def _events(day: dt.date, employee_ids: list[int] | None, with_apel: bool = True) -> dict[int, Events]:
    """employee → ((first masuk,), (last pulang,), (first, last apel pagi), (first, last apel sore)) of
    `day`, from the check-ins that count. The database does the MIN/MAX per employee (one row per employee
    instead of one per check-in). For an apel, first and last decide it exactly unless they straddle the
    window with more check-ins between them; build_rows re-reads those few (`_apel_instants`).
    `with_apel=False` (no work pattern has an apel window): masuk/pulang only, the apel tuples stay empty."""
    kinds = [CheckInKind.MASUK, CheckInKind.PULANG, *(APEL_KINDS if with_apel else ())]
    aggregates: dict[str, Any] = {"first_in": Min("occurred_at", filter=Q(kind=CheckInKind.MASUK)),
                                  "last_out": Max("occurred_at", filter=Q(kind=CheckInKind.PULANG))}
    if with_apel:
        aggregates["pagi_first"], aggregates["pagi_last"] = _first_last(CheckInKind.APEL_PAGI)
        aggregates["sore_first"], aggregates["sore_last"] = _first_last(CheckInKind.APEL_SORE)
    qs = _counted_checkins(day, kinds).values("employee_id").annotate(**aggregates).values_list(
        "employee_id", *aggregates)
    out: dict[int, Events] = {}

    def load(rows: Iterable[tuple[Any, ...]]) -> None:
        if not with_apel:
            for emp_id, first_in, last_out in rows:
                out[emp_id] = ((first_in,) if first_in else (), (last_out,) if last_out else (), (), ())
            return
        for emp_id, first_in, last_out, pagi_first, pagi_last, sore_first, sore_last in rows:
            out[emp_id] = ((first_in,) if first_in else (), (last_out,) if last_out else (),
                           _span(pagi_first, pagi_last), _span(sore_first, sore_last))

    if employee_ids is None:
        load(fetch_rows(qs))
    else:
        for part in chunks(employee_ids):
            load(fetch_rows(qs.filter(employee_id__in=part)))
    return out


def _apel_instants(day: dt.date, employee_ids: list[int]) -> dict[int, dict[str, list[dt.datetime]]]:
    """employee → apel kind → every counted instant of `day` (for the rare straddling cases only)."""
    out: dict[int, dict[str, list[dt.datetime]]] = {}
    qs = _counted_checkins(day, APEL_KINDS).values_list("employee_id", "kind", "occurred_at")
    for part in chunks(employee_ids):
        for emp_id, kind, when in qs.filter(employee_id__in=part):
            out.setdefault(emp_id, {}).setdefault(kind, []).append(when)
    return out


def _corrected_ids(day: dt.date, employee_ids: list[int] | None) -> set[int]:
    """Employees whose counted masuk/pulang of `day` include one from an approved correction (few rows: one query,
    filtered in Python for an IN-list)."""
    qs = _counted_checkins(day, (CheckInKind.MASUK, CheckInKind.PULANG)).filter(source=CheckInSource.MANUAL)
    found = set(qs.values_list("employee_id", flat=True))
    return found if employee_ids is None else found & set(employee_ids)


def _straddles(workday: WorkDay, kind: str, instants: Instants) -> bool:
    """First and last check-in on both sides of the apel window: one between them might be inside."""
    window = workday.windows.get(kind)
    return window is not None and len(instants) == 2 and instants[0] < window[0] and instants[1] > window[1]


def _closed_ids(day: dt.date, employee_ids: list[int] | None) -> set[int]:
    qs = DailyStatus.objects.filter(date=day, closed=True)
    if employee_ids is None:
        return {r[0] for r in fetch_rows(qs.values_list("employee_id"))}
    found: set[int] = set()
    for part in chunks(employee_ids):
        found.update(qs.filter(employee_id__in=part).values_list("employee_id", flat=True))
    return found


def build_rows(day: dt.date, rows: dict[int, EmployeeRow], *, close: bool = False,
               now: dt.datetime | None = None, everyone: bool = False) -> list[tuple[int, DayResult]]:
    """Derive (employee_id, DayResult) for the given employees on `day` (`everyone`: rows holds every
    active employee, so the day's tables are read whole instead of through IN-lists)."""
    ids = list(rows)
    whole = everyone or len(ids) > 5000  # big sets: read whole tables once instead of long IN-lists
    book = ScheduleBook(day, day, None if whole else ids)
    any_apel = any(h.apel_pagi or h.apel_sore for p in book.static.patterns.values() for h in p.days.values())
    events = _events(day, None if whole else ids, with_apel=any_apel)
    already_closed = set() if close else _closed_ids(day, None if whole else ids)
    excuses = facts.excuses_for(ids, day)
    corrected = _corrected_ids(day, None if whole else ids)
    rules = lateness_rules_on(day, book.static)
    now = now or timezone.now()
    closes: dict[int, bool] = {}  # id(WorkDay) → past its close time (WorkDays are shared between employees)
    has_apel: dict[int, bool] = {}  # id(WorkDay) → it has an apel window
    shared: dict[tuple[int, bool], DayResult] = {}  # results without events (libur, belum, tk) are shared too
    straddling: list[tuple[int, WorkDay, bool]] = []  # (index in out, work day, closed): apel re-read below
    out: list[tuple[int, DayResult]] = []
    for emp_id, row in rows.items():
        wd = book.workday(row, day)
        key = id(wd)
        if key not in closes:
            closes[key] = now >= close_time(wd)
            has_apel[key] = any(k in wd.windows for k in APEL_KINDS)
        closed = close or closes[key] or emp_id in already_closed
        ev = events.get(emp_id)
        excuse = excuses.get(emp_id)
        if ev is None and excuse is None:
            result = shared.get((key, closed))
            if result is None:
                result = derive_status(wd, (), (), None, rules, closed)
                if has_apel[key]:
                    result = _with_apel(result, wd, NO_EVENTS, closed, now)
                shared[(key, closed)] = result
        else:
            if ev is None:
                ev = NO_EVENTS
            result = derive_status(wd, ev[0], ev[1], excuse, rules, closed)
            if has_apel[key] and excuse is None:
                result = _with_apel(result, wd, ev, closed, now)
                if _straddles(wd, CheckInKind.APEL_PAGI, ev[2]) or _straddles(wd, CheckInKind.APEL_SORE, ev[3]):
                    straddling.append((len(out), wd, closed))
            if emp_id in corrected:
                result = result._replace(corrected=True)
        out.append((emp_id, result))
    if straddling:  # rare (the pipeline refuses apel outside its window): one more query for all of them
        found = _apel_instants(day, [out[i][0] for i, _wd, _closed in straddling])
        for i, wd, closed in straddling:
            emp_id, result = out[i]
            by_kind = found.get(emp_id, {})
            ev = ((), (), tuple(by_kind.get(CheckInKind.APEL_PAGI, ())), tuple(by_kind.get(CheckInKind.APEL_SORE, ())))
            out[i] = (emp_id, _with_apel(result, wd, ev, closed, now))
    return out


def _with_apel(result: DayResult, wd: WorkDay, ev: Events, closed: bool, now: dt.datetime) -> DayResult:
    """`result` with the apel of a day that is not excused (excused days keep the default "")."""
    pagi = derive_apel(wd, CheckInKind.APEL_PAGI, ev[2], False, closed, now)
    sore = derive_apel(wd, CheckInKind.APEL_SORE, ev[3], False, closed, now)
    if pagi == result.apel_pagi and sore == result.apel_sore:
        return result
    return DayResult._make(result[:-2] + (pagi, sore))  # (the two last fields; cheaper than _replace)


def upsert(day: dt.date, results: list[tuple[int, DayResult]]) -> None:
    """Write the rows: INSERT … ON CONFLICT (employee, date) DO UPDATE, all in one transaction.

    Small sets (one employee after a check-in, a unit) use the ORM's bulk_create(update_conflicts=True) on
    every backend. Big sets skip the per-value work of the ORM's SQL compiler, which dominated the run time
    (50,000 rows: ~20 s on PostgreSQL on the benchmark machine; 2,000 rows: ~2 s on SQLite): on PostgreSQL
    COPY into a temporary table and one INSERT … SELECT … ON CONFLICT that skips unchanged rows; on SQLite
    one executemany() of the same INSERT … ON CONFLICT DO UPDATE."""
    if len(results) > COPY_THRESHOLD:
        if connection.vendor == "postgresql":
            _upsert_copy(day, results)
            return
        if connection.vendor == "sqlite":
            _upsert_executemany(day, results)
            return
    stamp = timezone.now()
    objs = [DailyStatus(employee_id=emp_id, date=day, computed_at=stamp, **r._asdict()) for emp_id, r in results]
    with transaction.atomic():
        for i in range(0, len(objs), UPSERT_BATCH):
            DailyStatus.objects.bulk_create(
                objs[i : i + UPSERT_BATCH], update_conflicts=True, unique_fields=["employee", "date"],
                update_fields=STATUS_FIELDS,
            )


COPY_THRESHOLD = 500
_RESULT_COLUMNS = list(DayResult._fields)
_STAGE_TYPES = {
    "status": "varchar(10)", "is_working_day": "boolean", "first_in": "timestamptz", "last_out": "timestamptz",
    "late_minutes": "integer", "late_category": "varchar(4)", "early_minutes": "integer",
    "early_category": "varchar(4)", "missing_in": "boolean", "missing_out": "boolean",
    "excuse_ref": "varchar(60)", "closed": "boolean", "starts_at": "timestamptz", "corrected": "boolean", "apel_pagi": "varchar(6)", "apel_sore": "varchar(6)",
}


def _upsert_executemany(day: dt.date, results: list[tuple[int, DayResult]]) -> None:
    table = DailyStatus._meta.db_table
    cols = ", ".join(_RESULT_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _RESULT_COLUMNS)
    placeholders = ", ".join(["%s"] * (len(_RESULT_COLUMNS) + 3))
    ops = connection.ops
    day_value = ops.adapt_datefield_value(day)
    stamp = ops.adapt_datetimefield_value(timezone.now())
    first_in, last_out = _RESULT_COLUMNS.index("first_in"), _RESULT_COLUMNS.index("last_out")
    starts_at = _RESULT_COLUMNS.index("starts_at")
    rows = []
    for emp_id, r in results:
        values = list(r)
        values[first_in] = ops.adapt_datetimefield_value(r.first_in)
        values[last_out] = ops.adapt_datetimefield_value(r.last_out)
        values[starts_at] = ops.adapt_datetimefield_value(r.starts_at)
        rows.append((emp_id, day_value, *values, stamp))
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {table} (employee_id, date, {cols}, computed_at) VALUES ({placeholders}) "
            f"ON CONFLICT (employee_id, date) DO UPDATE SET {updates}, computed_at = excluded.computed_at",
            rows,
        )


def _upsert_copy(day: dt.date, results: list[tuple[int, DayResult]]) -> None:
    table = DailyStatus._meta.db_table
    cols = ", ".join(_RESULT_COLUMNS)
    stage_cols = ", ".join(f"{c} {_STAGE_TYPES[c]}" for c in _RESULT_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _RESULT_COLUMNS)
    changed = " OR ".join(f"t.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in _RESULT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cur:
        # (dropped explicitly too: inside an outer transaction ON COMMIT comes later than the next call)
        cur.execute("DROP TABLE IF EXISTS hadir_daily_stage")
        cur.execute(f"CREATE TEMPORARY TABLE hadir_daily_stage (employee_id bigint, {stage_cols}) ON COMMIT DROP")
        with cur.copy(f"COPY hadir_daily_stage (employee_id, {cols}) FROM STDIN") as copy:
            for emp_id, r in results:
                copy.write_row((emp_id, *r))
        cur.execute(
            f"INSERT INTO {table} AS t (employee_id, date, {cols}, computed_at) "
            f"SELECT employee_id, %s, {cols}, now() FROM hadir_daily_stage "
            f"ON CONFLICT (employee_id, date) DO UPDATE SET {updates}, computed_at = EXCLUDED.computed_at "
            f"WHERE {changed}",
            [day],
        )
        cur.execute("DROP TABLE hadir_daily_stage")


def compute_day(day: dt.date, *, employee_ids: list[int] | None = None, close: bool = False) -> int:
    """(Re)compute the status of `day` for the given employees, or every employee active that day.
    `close=True` closes the day for them now (belum → tk). Returns the number of employees computed."""
    rows = employee_rows(employee_ids, day)
    results = build_rows(day, rows, close=close, everyone=employee_ids is None)
    upsert(day, results)
    return len(results)


def recompute_employee_day(employee_id: int, day: dt.date) -> DailyStatus:
    """Recompute one employee-day (after a check-in, an approval, a correction) and return the row."""
    rows = employee_rows([employee_id], day)
    if employee_id not in rows:
        raise Employee.DoesNotExist(f"employee {employee_id} not found")
    upsert(day, build_rows(day, rows))
    return DailyStatus.objects.get(employee_id=employee_id, date=day)
