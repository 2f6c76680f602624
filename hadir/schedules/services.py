"""The work day of an employee — is it a working day, the scheduled hours, the check-in windows — and what the
schedules API reads (a work day in one's view, the holiday calendar, one's roster).

All three entry points share one loader (`ScheduleBook`) that reads the small schedule tables once and
the per-employee rows (unit, first work location, roster line) in a handful of set-based queries, so a
whole regency-day (50,000 employees) costs the same few queries as one employee.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.db import chunks, fetch_rows
from hadir.errors import NotFound
from hadir.org.models import Employee, WorkLocation, employee_of
from hadir.org.scoping import admin_paths, path_q, scope_queryset, subordinates

from .lateness import DEFAULT as DEFAULT_RULES
from .lateness import LatenessRules
from .models import (
    Holiday,
    LatenessRuleSet,
    PatternAssignment,
    RamadanPeriod,
    ScheduleRevision,
    Shift,
    ShiftAssignment,
    WorkPattern,
    WorkPatternDay,
)

# CheckInKind values (kept as strings here so schedules does not import presence).
MASUK, PULANG, APEL_PAGI, APEL_SORE = "masuk", "pulang", "apel_pagi", "apel_sore"


@dataclass(frozen=True)
class WorkDay:
    date: dt.date  # the local work date this day/shift belongs to
    tz: str  # IANA zone of the location
    is_working_day: bool  # False on weekends, holidays, off-roster days
    holiday_name: str  # "" unless a holiday
    shift_name: str  # "" for office hours; "pagi"/"siang"/"malam" on rosters
    start: dt.datetime | None  # aware scheduled start
    end: dt.datetime | None  # aware scheduled end (may be the next calendar day)
    windows: dict[str, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)  # kind → (open, close)
    pattern_name: str = ""  # which pattern (or roster) produced this day, for display
    ramadan: bool = False

    def window_for(self, kind: str) -> tuple[dt.datetime, dt.datetime] | None:
        return self.windows.get(kind)

    def in_window(self, kind: str, at: dt.datetime) -> bool:
        w = self.windows.get(kind)
        return w is not None and w[0] <= at <= w[1]

    @property
    def last_close(self) -> dt.datetime | None:
        """When the last check-in window of this day closes (None on a day off)."""
        return max((w[1] for w in self.windows.values()), default=None)


# --- plain-value snapshots of the schedule tables -------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    start: dt.time
    end: dt.time
    masuk_open: dt.time = dt.time(5, 30)
    masuk_close: dt.time | None = None
    pulang_open: dt.time | None = None
    pulang_close: dt.time = dt.time(23, 59)
    apel_pagi: tuple[dt.time, dt.time] | None = None
    apel_sore: tuple[dt.time, dt.time] | None = None


@dataclass(frozen=True)
class PatternInfo:
    id: int
    name: str
    days: dict[tuple[int, bool], DayHours]  # (weekday, ramadan) → hours
    uses_roster: bool = False
    works_on_holidays: bool = False

    def hours(self, weekday: int, ramadan: bool) -> DayHours | None:
        if ramadan and any(r for (_, r) in self.days):
            return self.days.get((weekday, True))
        return self.days.get((weekday, False))


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    code: str
    name: str
    start: dt.time
    end: dt.time
    masuk_open_minutes: int = 120
    pulang_close_minutes: int = 240


def _hours(start: tuple[int, int], end: tuple[int, int]) -> DayHours:
    return DayHours(start=dt.time(*start), end=dt.time(*end))


# Perpres 21/2023 (37.5 hours a week over 5 days) and the usual Ramadan circular; used when the database
# holds no default pattern (the data migration creates the same one as a row admins can edit).
PERPRES_DEFAULT = PatternInfo(
    id=0,
    name="5 hari kerja (Perpres 21/2023)",
    days={
        **{(wd, False): _hours((7, 30), (16, 0)) for wd in range(4)},
        (4, False): _hours((7, 30), (16, 30)),
        **{(wd, True): _hours((8, 0), (15, 0)) for wd in range(4)},
        (4, True): _hours((8, 0), (15, 30)),
    },
)


def default_tz() -> str:
    return str(getattr(settings, "HADIR_DEFAULT_TIMEZONE", "Asia/Jakarta"))


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _at(day: dt.date, t: dt.time, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=tz)


def _close(day: dt.date, t: dt.time, tz: ZoneInfo) -> dt.datetime:
    # "until 23:59" includes the whole of minute 23:59.
    closing = _at(day, t, tz)
    if t.second == 0 and t.microsecond == 0:
        closing += dt.timedelta(seconds=59, microseconds=999999)
    return closing


@dataclass(frozen=True)
class EmployeeRow:
    """What the schedule of one employee depends on."""

    id: int
    unit_ids: tuple[int, ...]  # the employee's unit and its ancestors, root first
    location_id: int | None
    tz: str


@lru_cache(maxsize=65536)
def unit_ids_from_path(path: str) -> tuple[int, ...]:
    return tuple(int(p) for p in path.split(".") if p)


def employee_rows(employee_ids: list[int] | None, day: dt.date) -> dict[int, EmployeeRow]:
    """Unit ancestry and first active work location (its time zone) per employee; active employees on
    `day` when employee_ids is None. One query (per chunk of ids): employees LEFT JOIN their locations."""
    fields = ("id", "unit__path", "locations__id", "locations__timezone", "locations__is_active")
    units: dict[int, tuple[int, ...]] = {}
    best: dict[int, tuple[tuple[bool, int], str]] = {}  # employee → ((inactive?, location id), tz)

    def load(rows: Iterable[tuple[int, str, int | None, str | None, bool | None]]) -> None:
        for emp_id, path, loc_id, tz, active in rows:
            units[emp_id] = unit_ids_from_path(path)
            if loc_id is None:
                continue
            rank = (not active, loc_id)  # the first active location, else the first one at all
            current = best.get(emp_id)
            if current is None or rank < current[0]:
                best[emp_id] = (rank, tz or "")

    # (plain fetches, not .iterator(): a server-side cursor costs more than the rows' memory here;
    # .order_by() drops Employee's default ordering by name, a needless sort of every row)
    if employee_ids is None:
        load(fetch_rows(Employee.objects.active_on(day).order_by().values_list(*fields)))
    else:
        for part in chunks(list(employee_ids)):
            load(fetch_rows(Employee.objects.filter(id__in=part).order_by().values_list(*fields)))
    fallback = default_tz()
    out: dict[int, EmployeeRow] = {}
    for emp_id, unit_ids in units.items():
        loc = best.get(emp_id)
        out[emp_id] = EmployeeRow(emp_id, unit_ids, loc[0][1] if loc else None, (loc[1] if loc else "") or fallback)
    return out


@dataclass(frozen=True)
class StaticSchedule:
    """The small, rarely edited schedule tables as plain values (cached per process, see ScheduleRevision)."""

    patterns: dict[int, PatternInfo]
    default: PatternInfo
    by_unit: dict[int, tuple[tuple[int, dt.date | None, dt.date | None], ...]]  # unit → (pattern, from, until)
    by_location: dict[int, tuple[tuple[int, dt.date | None, dt.date | None], ...]]
    ramadan: tuple[tuple[dt.date, dt.date], ...]
    holidays: dict[dt.date, tuple[tuple[str, int | None], ...]]  # active holidays: date → (name, unit)
    rule_sets: tuple[tuple[dt.date, LatenessRules], ...]  # newest first
    shifts: dict[int, ShiftInfo] = field(default_factory=dict)


def _load_static() -> StaticSchedule:
    days: dict[int, dict[tuple[int, bool], DayHours]] = defaultdict(dict)
    for d in WorkPatternDay.objects.all():
        days[d.pattern_id][(d.weekday, d.ramadan)] = DayHours(
            start=d.start, end=d.end, masuk_open=d.masuk_open, masuk_close=d.masuk_close,
            pulang_open=d.pulang_open, pulang_close=d.pulang_close,
            apel_pagi=(d.apel_pagi_open, d.apel_pagi_close) if d.apel_pagi_open and d.apel_pagi_close else None,
            apel_sore=(d.apel_sore_open, d.apel_sore_close) if d.apel_sore_open and d.apel_sore_close else None,
        )
    patterns: dict[int, PatternInfo] = {}
    default = PERPRES_DEFAULT
    for p in WorkPattern.objects.all():
        info = PatternInfo(p.pk, p.name, days.get(p.pk, {}), p.uses_roster, p.works_on_holidays)
        patterns[p.pk] = info
        if p.is_default:
            default = info
    by_unit: dict[int, list[tuple[int, dt.date | None, dt.date | None]]] = defaultdict(list)
    by_location: dict[int, list[tuple[int, dt.date | None, dt.date | None]]] = defaultdict(list)
    for pattern_id, unit_id, location_id, since, until in PatternAssignment.objects.order_by(
            F("valid_from").desc(nulls_last=True), "id") \
            .values_list("pattern_id", "unit_id", "location_id", "valid_from", "valid_until"):
        target = by_location[location_id] if location_id else by_unit[unit_id]
        target.append((pattern_id, since, until))
    holidays: dict[dt.date, list[tuple[str, int | None]]] = defaultdict(list)
    for day, name, unit_id in Holiday.objects.filter(is_active=True).order_by("date", "name").values_list(
            "date", "name", "unit_id"):
        holidays[day].append((name, unit_id))
    rule_sets = tuple(
        (rs.effective_from, LatenessRules(
            tl_from=(1, rs.tl2_from, rs.tl3_from, rs.tl4_from),
            psw_from=(1, rs.psw2_from, rs.psw3_from, rs.psw4_from),
            grace_minutes=rs.grace_minutes,
            missing_out_is_psw4=rs.missing_out_is_psw4,
            missing_in_is_tl4=rs.missing_in_is_tl4,
        ))
        for rs in LatenessRuleSet.objects.order_by("-effective_from")
    )
    shifts = {
        sid: ShiftInfo(sid, code, name, start, end, mo, pc)
        for sid, code, name, start, end, mo, pc in Shift.objects.values_list(
            "id", "code", "name", "start", "end", "masuk_open_minutes", "pulang_close_minutes")
    }
    return StaticSchedule(
        patterns=patterns, default=default,
        by_unit={k: tuple(v) for k, v in by_unit.items()},
        by_location={k: tuple(v) for k, v in by_location.items()},
        ramadan=tuple(RamadanPeriod.objects.values_list("start", "end")),
        holidays={k: tuple(v) for k, v in holidays.items()},
        rule_sets=rule_sets,
        shifts=shifts,
    )


_static_cache: tuple[str, StaticSchedule] | None = None


REVISION_SQL = f"SELECT token FROM {ScheduleRevision._meta.db_table} WHERE id = 1"  # for callers' own queries


def static_schedule(token: str | None = None, *, known: bool = False) -> StaticSchedule:
    """The schedule tables, re-read only when ScheduleRevision's token changed (one small query).
    `known=True`: the caller already read the token (e.g. as a subquery of its own query, REVISION_SQL)."""
    global _static_cache
    if not known:
        token = ScheduleRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    cached = _static_cache
    if token and cached is not None and cached[0] == token:
        return cached[1]
    snapshot = _load_static()
    _static_cache = (token, snapshot) if token else None
    return snapshot


def bump_revision() -> None:
    """Mark the schedule tables as changed (call after bulk writes that send no signals)."""
    global _static_cache
    _static_cache = None
    ScheduleRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class ScheduleBook:
    """The schedule tables plus the roster lines of the dates [first, last] (for the given employees, or
    all when None): everything needed to answer "what is X's work day on D"."""

    def __init__(self, first: dt.date, last: dt.date, employee_ids: list[int] | None = None, *,
                 static: StaticSchedule | None = None,
                 roster: dict[tuple[int, dt.date], int | None] | None = None) -> None:
        """`static` and `roster` (employee, date) → shift id or None for a day off, only the lines that
        exist: given by a caller that read them already (the check-in pipeline's one query)."""
        self.first, self.last = first, last
        self.static = static or static_schedule()
        self.roster: dict[tuple[int, dt.date], ShiftInfo | None] = {}
        if roster is None:
            self._load_roster(employee_ids)
        else:
            shifts = self.static.shifts
            self.roster = {key: (shifts.get(sid) if sid is not None else None) for key, sid in roster.items()}
        self._cache: dict[tuple[object, ...], WorkDay] = {}

    def _load_roster(self, employee_ids: list[int] | None) -> None:
        qs = ShiftAssignment.objects.filter(date__gte=self.first, date__lte=self.last)
        fields = ("employee_id", "date", "shift_id", "shift__code", "shift__name", "shift__start", "shift__end",
                  "shift__masuk_open_minutes", "shift__pulang_close_minutes")
        shifts: dict[int, ShiftInfo] = {}

        def load(rows: Iterable[tuple[object, ...]]) -> None:
            for emp_id, day, sid, code, name, start, end, mo, pc in rows:
                if sid is None:
                    self.roster[(emp_id, day)] = None  # type: ignore[index]
                    continue
                info = shifts.get(sid)  # type: ignore[call-overload]
                if info is None:
                    info = shifts[sid] = ShiftInfo(sid, code, name, start, end, mo, pc)  # type: ignore[arg-type,index]
                self.roster[(emp_id, day)] = info  # type: ignore[index]

        if employee_ids is None:
            load(qs.values_list(*fields))
        else:
            for part in chunks(list(employee_ids)):
                load(qs.filter(employee_id__in=part).values_list(*fields))

    # -- resolution ---------------------------------------------------------------------------------------------

    def pattern_for(self, emp: EmployeeRow, day: dt.date, location_id: int | None = None) -> PatternInfo:
        st = self.static
        loc = location_id if location_id is not None else emp.location_id
        candidates = [st.by_location.get(loc, ())] if loc is not None else []
        candidates += [st.by_unit.get(unit_id, ()) for unit_id in reversed(emp.unit_ids)]  # deepest unit first
        for assignments in candidates:
            for pattern_id, since, until in assignments:
                if (since is None or since <= day) and (until is None or day <= until):
                    return st.patterns[pattern_id]
        return st.default

    def is_ramadan(self, day: dt.date) -> bool:
        return any(a <= day <= b for a, b in self.static.ramadan)

    def holiday_name(self, emp: EmployeeRow, day: dt.date) -> str:
        found = self.static.holidays.get(day, ())
        if not found:
            return ""
        names = [name for name, unit_id in found if unit_id is None or unit_id in emp.unit_ids]
        return "; ".join(dict.fromkeys(names))

    def workday(self, emp: EmployeeRow, day: dt.date, location: WorkLocation | None = None) -> WorkDay:
        tz_name = location.timezone if location is not None else emp.tz
        loc_id = location.pk if location is not None else emp.location_id
        roster_key = (emp.id, day)
        if roster_key in self.roster:
            holiday = self.holiday_name(emp, day)
            shift = self.roster[roster_key]
            key: tuple[object, ...] = ("shift", shift.id if shift else None, tz_name, day, holiday)
            if key not in self._cache:
                self._cache[key] = _shift_day(shift, day, tz_name, holiday)
            return self._cache[key]
        # everyone in the same unit at the same location shares one WorkDay: resolve it once
        key = ("emp", emp.unit_ids, loc_id, tz_name, day)
        found = self._cache.get(key)
        if found is None:
            holiday = self.holiday_name(emp, day)
            ramadan = self.is_ramadan(day)
            pattern = self.pattern_for(emp, day, loc_id)
            pkey = ("pattern", pattern.id, tz_name, day, holiday, ramadan)
            found = self._cache.get(pkey)
            if found is None:
                found = self._cache[pkey] = _pattern_day(pattern, day, tz_name, holiday, ramadan)
            self._cache[key] = found
        return found


def _off(day: dt.date, tz_name: str, holiday: str, pattern_name: str = "", ramadan: bool = False) -> WorkDay:
    return WorkDay(day, tz_name, False, holiday, "", None, None, {}, pattern_name, ramadan)


def _pattern_day(pattern: PatternInfo, day: dt.date, tz_name: str, holiday: str, ramadan: bool) -> WorkDay:
    if pattern.uses_roster:
        return _off(day, tz_name, holiday, pattern.name, ramadan)
    hours = pattern.hours(day.weekday(), ramadan)
    if hours is None or (holiday and not pattern.works_on_holidays):
        return _off(day, tz_name, holiday, pattern.name, ramadan)
    tz = zone(tz_name)
    start, end = _at(day, hours.start, tz), _at(day, hours.end, tz)
    windows = {
        MASUK: (_at(day, min(hours.masuk_open, hours.start), tz),
                _close(day, hours.masuk_close, tz) if hours.masuk_close else end),
        PULANG: (_at(day, hours.pulang_open, tz) if hours.pulang_open else start, _close(day, hours.pulang_close, tz)),
    }
    if hours.apel_pagi:
        windows[APEL_PAGI] = (_at(day, hours.apel_pagi[0], tz), _close(day, hours.apel_pagi[1], tz))
    if hours.apel_sore:
        windows[APEL_SORE] = (_at(day, hours.apel_sore[0], tz), _close(day, hours.apel_sore[1], tz))
    return WorkDay(day, tz_name, True, holiday, "", start, end, windows, pattern.name, ramadan)


def _shift_day(shift: ShiftInfo | None, day: dt.date, tz_name: str, holiday: str) -> WorkDay:
    if shift is None:
        return _off(day, tz_name, holiday, "Jadwal shift")
    tz = zone(tz_name)
    start = _at(day, shift.start, tz)
    end = _at(day + dt.timedelta(days=1) if shift.end <= shift.start else day, shift.end, tz)
    windows = {
        MASUK: (start - dt.timedelta(minutes=shift.masuk_open_minutes), end),
        PULANG: (start, end + dt.timedelta(minutes=shift.pulang_close_minutes)),
    }
    return WorkDay(day, tz_name, True, holiday, shift.code, start, end, windows, f"Shift {shift.name}")


# --- the contract -----------------------------------------------------------------------------------------------


def _row_for(employee: Employee, location: WorkLocation | None, day: dt.date) -> EmployeeRow:
    row = employee_rows([employee.pk], day).get(employee.pk)
    if row is None:  # unsaved employee: build from the instance
        path = employee.unit.path if employee.unit_id else ""
        row = EmployeeRow(employee.pk or 0, unit_ids_from_path(path), None, default_tz())
    if location is not None:
        row = EmployeeRow(row.id, row.unit_ids, location.pk, location.timezone)
    return row


def workday_for(employee: Employee, day: dt.date, location: WorkLocation | None = None) -> WorkDay:
    """The schedule of `employee` on local date `day` (at `location`, or their first work location)."""
    row = _row_for(employee, location, day)
    return ScheduleBook(day, day, [row.id]).workday(row, day, location)


def workday_at(employee: Employee, at: dt.datetime, location: WorkLocation | None = None) -> WorkDay:
    """The work day an event at instant `at` belongs to. Normally the local date of `at`; but a pulang at
    06:50 after a night shift belongs to yesterday's shift. When both days' windows contain `at`, the day
    still running wins, else the one whose scheduled boundary (yesterday's end, today's start) is nearer."""
    if at.tzinfo is None:
        raise ValueError("workday_at needs an aware datetime")
    probe = _row_for(employee, location, at.date())
    local_day = at.astimezone(zone(probe.tz)).date()
    return workday_in_book(ScheduleBook(local_day - dt.timedelta(days=1), local_day, [probe.id]), probe, at,
                           location)


def workday_in_book(book: ScheduleBook, row: EmployeeRow, at: dt.datetime,
                    location: WorkLocation | None = None) -> WorkDay:
    """workday_at for a row whose book holds the local date of `at` and the day before."""
    local_day = at.astimezone(zone(location.timezone if location is not None else row.tz)).date()
    today = book.workday(row, local_day, location)
    yesterday = book.workday(row, local_day - dt.timedelta(days=1), location)
    return pick_workday(yesterday, today, at)


def pick_workday(yesterday: WorkDay, today: WorkDay, at: dt.datetime) -> WorkDay:
    """Pure choice between two consecutive work days for an event at `at` (see workday_at)."""
    if not (yesterday.is_working_day and yesterday.end and yesterday.end.date() > yesterday.date):
        return today  # only a shift that runs past midnight can claim events of the next date
    in_yesterday = any(a <= at <= b for a, b in yesterday.windows.values())
    if not in_yesterday:
        return today
    in_today = any(a <= at <= b for a, b in today.windows.values())
    if not in_today:
        return yesterday
    assert yesterday.end is not None and today.start is not None
    if at <= yesterday.end:
        return yesterday  # yesterday's shift is still running
    if at >= today.start:
        return today  # today's schedule has begun and yesterday's has ended
    return yesterday if at - yesterday.end <= today.start - at else today


def workdays_for(employee_ids: list[int], day: dt.date) -> dict[int, WorkDay]:
    """Set-based: the WorkDay of each employee on `day` (unknown ids are left out)."""
    rows = employee_rows(list(employee_ids), day)
    book = ScheduleBook(day, day, list(rows))
    return {emp_id: book.workday(row, day) for emp_id, row in rows.items()}


def workdays_for_rows(rows: dict[int, EmployeeRow], day: dt.date, book: ScheduleBook | None = None) -> dict[
        int, WorkDay]:
    book = book or ScheduleBook(day, day, None if len(rows) > 5000 else list(rows))
    return {emp_id: book.workday(row, day) for emp_id, row in rows.items()}


def lateness_rules_on(day: dt.date, static: StaticSchedule | None = None) -> LatenessRules:
    """The TL/PSW rule set in force on `day` (the built-in Perbup defaults when none is configured)."""
    for since, rules in (static or static_schedule()).rule_sets:
        if since <= day:
            return rules
    return DEFAULT_RULES


def primary_location(employee: Employee) -> WorkLocation | None:
    locs = list(employee.locations.order_by("id"))
    return next((loc for loc in locs if loc.is_active), locs[0] if locs else None)


def local_today(tz_name: str, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(zone(tz_name)).date()


# --- what the schedules API reads ----------------------------------------------------------------


def _own_employee(user: Any) -> Employee:
    me = employee_of(user)
    if me is None:
        raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
    return me


def employee_in_view(user: Any, employee_id: int | None) -> Employee:
    """The user's own employee, or (for operators, BKPSDM and atasan) one in their units or below them."""
    me = employee_of(user)
    if employee_id is None or (me is not None and me.pk == employee_id):
        return _own_employee(user)
    visible = scope_queryset(user, Employee.objects.all())  # operators / BKPSDM: their units
    if me is not None:
        visible = visible | subordinates(me, direct_only=False)
    emp = visible.filter(pk=employee_id).first()
    if emp is None:
        raise NotFound(_("Pegawai tidak ditemukan."), field="employee_id", code="not_found")
    return emp


def workday_in_view(user: Any, employee_id: int | None, day: dt.date | None) -> tuple[Employee, WorkDay]:
    """The work day of an employee in the user's view on `day` (by default today where they work)."""
    emp = employee_in_view(user, employee_id)
    if day is None:
        row = employee_rows([emp.pk], dt.date.today()).get(emp.pk)
        day = local_today(row.tz if row else default_tz())
    return emp, workday_for(emp, day)


def holidays_in_view(user: Any, year: int) -> QuerySet[Holiday]:
    """National days and cuti bersama for everyone; local holidays of the user's own units, plus those of the
    units they administer (all of them for BKPSDM)."""
    paths = admin_paths(user)
    scope = Q(unit__isnull=True)
    me = employee_of(user)
    if me is not None:
        ancestors = [int(p) for p in me.unit.path.split(".") if p]
        scope |= Q(unit_id__in=ancestors)
    if paths is None:
        scope = Q()
    elif paths:
        scope |= path_q(paths, "unit__")
    return Holiday.objects.filter(scope, date__year=year, is_active=True).select_related("unit").order_by(
        "date", "name")


def own_roster(user: Any, year: int, month: int) -> QuerySet[ShiftAssignment]:
    """The user's shift assignments in one month, by date."""
    me = _own_employee(user)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return ShiftAssignment.objects.filter(employee=me, date__range=(first, last)).select_related("shift").order_by(
        "date")
