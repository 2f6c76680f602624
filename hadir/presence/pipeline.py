"""The check-in pipeline (contract C3): validate one attempt, store it as evidence, refresh the day.

    attempt → ONE context query (replay? previous fix? shared device? locations, unit, roster, schedule
              revision, validators' columns) → plausibility (offline capture time) → mock-location policy
            → registered validators → geofence (nearest active work location) → time window (from the work
              schedule, cached per process) → fraud signals → ONE INSERT (idempotent on client_uuid)
            → after commit: the follow-up (hadir.presence.followup: approvals, flags, daily status), inline
              or batched — the request itself writes nothing else.

Every attempt that reaches the pipeline is stored, accepted or rejected: a rejection is evidence
(who tried, where, when, why refused). Only input that cannot be a check-in at all (a broken photo,
a UUID that belongs to somebody else) raises DomainError and stores nothing.

Policies chosen here (see docs in the module constants):
- occurred_at, the time that counts, is the server's receipt time for online check-ins and the
  capture time for offline batches and terminal logs; the device's own clock is kept in client_time.
- Non-working days (weekends, holidays, off-roster days): masuk/pulang are ACCEPTED and marked with
  reason_code "non_working_day" ("dicatat sebagai lembur") — puskesmas, RSUD and event duty work on
  holidays, and refusing would lose the evidence of overtime. The day's status stays "libur".
  Apel has no session on such days (rejected); pings are only taken in working hours.
- The device's own mock-location flag rejects the attempt (HADIR_MOCK_LOCATION_POLICY = "reject"),
  or only flags it ("flag").
- Accepted check-ins that were sent offline or carry fraud flags wait for the atasan's approval
  (validity "pending"); the rest need none ("not_required").
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.db import db_datetime, hot_cursor
from hadir.errors import Conflict, Unprocessable
from hadir.org.models import Employee, WorkLocation

from . import followup, fraud, geo
from .models import CheckIn, CheckInKind, CheckInSource, Validity, Verdict
from .photos import validate_photo

if TYPE_CHECKING:
    from hadir.schedules.services import WorkDay

log = logging.getLogger(__name__)

TZ_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def server_now() -> dt.datetime:
    """The server clock (one place, so tests can freeze it)."""
    return timezone.now()


def offline_max_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "HADIR_OFFLINE_MAX_AGE_DAYS", 7)))


def clock_skew_allowance() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "HADIR_CLOCK_SKEW_SECONDS", 300)))


def mock_location_policy() -> str:
    return str(getattr(settings, "HADIR_MOCK_LOCATION_POLICY", "reject"))


@dataclass
class CheckInAttempt:
    employee: Employee
    kind: str
    source: str = CheckInSource.MOBILE
    client_uuid: uuid.UUID | None = None
    occurred_at: dt.datetime | None = None  # None → server now; offline/terminal → capture time
    client_time: dt.datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    mock_location: bool = False
    device_id: str = ""
    photo: UploadedFile | None = None
    terminal_sn: str = ""
    location: WorkLocation | None = None  # terminal logs: the terminal's location; geofence skipped
    # filled by the pipeline: validators' context columns (ContextColumn) and extra fraud flag codes they raise
    context: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


Validator = Callable[[CheckInAttempt, Employee], tuple[str, str] | None]
_validators: list[Validator] = []


def register_validator(fn: Validator, *, context: Sequence[ContextColumn] = ()) -> Validator:
    """Add a check run on every attempt (after the built-in plausibility checks, before the geofence).

    `fn(attempt, employee)` returns None to pass or (reason_code, reason) to reject; it may append fraud flag
    codes to `attempt.flags`. The values it needs from the database can come as `context` columns, read in
    the pipeline's one query (`attempt.context[name]`; absent when called outside the pipeline).
    """
    if fn not in _validators:
        _validators.append(fn)
    for column in context:
        _context_columns[column.name] = column
    _context_sql.cache_clear()
    return fn


def unregister_validator(fn: Validator) -> None:
    if fn in _validators:
        _validators.remove(fn)


@dataclass
class Decision:
    verdict: str = Verdict.ACCEPTED
    reason_code: str = ""
    reason: str = ""
    location: WorkLocation | None = None
    distance_m: float | None = None
    local_date: dt.date | None = None
    flags: list[str] = field(default_factory=list)

    def reject(self, code: str, reason: str) -> None:
        if self.verdict != Verdict.REJECTED:  # the first reason wins
            self.verdict, self.reason_code, self.reason = Verdict.REJECTED, code, reason

    @property
    def rejected(self) -> bool:
        return self.verdict == Verdict.REJECTED


def tz_label(tz: str) -> str:
    return TZ_ABBREVIATIONS.get(tz, tz)


def _hm(value: dt.datetime, tz: str) -> str:
    return value.astimezone(zoneinfo.ZoneInfo(tz)).strftime("%H.%M")


def kind_label(kind: str) -> str:
    try:
        return str(CheckInKind(kind).label).lower()
    except ValueError:
        return kind


def _workday(attempt: CheckInAttempt, ctx: Context, at: dt.datetime, location: WorkLocation | None) -> WorkDay:
    """The work day of the attempt, from the context's roster lines and the cached schedule tables."""
    from hadir.schedules.services import (  # lazy: schedules imports presence models
        EmployeeRow,
        ScheduleBook,
        default_tz,
        static_schedule,
        unit_ids_from_path,
        workday_in_book,
    )

    emp = attempt.employee
    path = ctx.unit_path or (emp.unit.path if emp.unit_id else "")
    home = location or _home_location(ctx)
    row = EmployeeRow(emp.pk or 0, unit_ids_from_path(path), home.pk if home else None,
                      home.timezone if home else default_tz())
    dates = roster_dates(at)
    book = ScheduleBook(dates[0], dates[-1], static=static_schedule(ctx.revision, known=True),
                        roster={(row.id, d): sid for d, sid in ctx.roster.items()})
    return workday_in_book(book, row, at, location)


def workday_now(employee: Employee, at: dt.datetime) -> tuple[WorkDay, list[WorkLocation]]:
    """The employee's work day at instant `at` (at their first active work location) and their active work
    locations — what the phone shows before a check-in (GET /today), from the same one prepared context query
    and cached schedule tables as the check-in itself."""
    attempt = CheckInAttempt(employee=employee, kind=CheckInKind.MASUK)
    ctx = load_context(attempt, at)
    active = ctx.active_locations
    return _workday(attempt, ctx, at, active[0] if active else None), active


def _home_location(ctx: Context) -> WorkLocation | None:
    """The first active work location, else the first at all (as hadir.schedules.services.employee_rows)."""
    active = ctx.active_locations
    return active[0] if active else (ctx.locations[0] if ctx.locations else None)


def _check_geofence(attempt: CheckInAttempt, decision: Decision, locations: list[WorkLocation],
                    day_hint: dt.date) -> None:
    if attempt.location is not None:  # terminal: the machine's place is the place
        decision.location = attempt.location
        return
    if not locations:
        decision.reject("no_location", _("Anda belum memiliki lokasi kerja aktif. Hubungi operator OPD."))
        return
    if not geo.valid_coordinates(attempt.latitude, attempt.longitude):
        decision.location = locations[0]
        decision.reject("no_coordinates", _("Koordinat lokasi tidak ada atau tidak valid."))
        return
    assert attempt.latitude is not None and attempt.longitude is not None
    places = {loc.pk: geo.Place(loc.pk, loc.latitude, loc.longitude, loc.radius_m) for loc in locations}
    place, result = geo.match_location(attempt.latitude, attempt.longitude, attempt.accuracy_m, places.values())
    assert place is not None and result is not None
    decision.location = next(loc for loc in locations if loc.pk == place.id)
    decision.distance_m = round(result.distance_m, 1)
    if result.inside or decision.rejected:
        return
    from hadir.leave.services import geofence_lifted  # lazy; queried only when the fence fails

    if geofence_lifted(attempt.employee.pk, day_hint):
        decision.reason_code = "geofence_lifted"
        decision.reason = _("Di luar radius, tetapi sedang dinas luar/tugas di luar kantor yang disetujui.")
        return
    if result.code == "poor_accuracy":
        decision.reject(
            "poor_accuracy",
            _("Akurasi GPS terlalu rendah (±%(acc)d m, batas %(limit)d m). Tunggu sinyal GPS lebih baik lalu coba lagi.")
            % {"acc": round(attempt.accuracy_m or 0), "limit": round(geo.ACCURACY_LIMIT_M)},
        )
    else:
        decision.reject(
            "outside_radius",
            _("Di luar radius lokasi kerja: %(distance)s m dari %(name)s (radius %(radius)d m).")
            % {"distance": f"{result.distance_m:,.0f}".replace(",", "."), "name": decision.location.name,
               "radius": decision.location.radius_m},
        )


def _check_window(attempt: CheckInAttempt, decision: Decision, workday: WorkDay, at: dt.datetime) -> None:
    if decision.rejected:  # the first reason wins; no window note on an already refused attempt
        return
    kind = attempt.kind
    label = tz_label(workday.tz)
    if kind == CheckInKind.PING:
        if not workday.is_working_day or workday.start is None or workday.end is None:
            decision.reject("outside_working_hours", _("Ping lokasi hanya diterima pada jam kerja."))
        elif not workday.start <= at <= workday.end:
            decision.reject(
                "outside_working_hours",
                _("Ping lokasi hanya diterima pada jam kerja (%(start)s–%(end)s %(tz)s).")
                % {"start": _hm(workday.start, workday.tz), "end": _hm(workday.end, workday.tz), "tz": label},
            )
        return
    if not workday.is_working_day:
        if kind in (CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE):
            decision.reject("no_apel", _("Tidak ada apel pada hari libur."))
            return
        decision.reason_code = "non_working_day"
        day_name = workday.holiday_name or _("hari libur")
        decision.reason = _("Presensi pada %(day)s: dicatat sebagai lembur.") % {"day": day_name}
        return
    window = workday.windows.get(kind)
    if window is None:
        if kind in (CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE):
            decision.reject("no_apel", _("Tidak ada jadwal %(kind)s hari ini.") % {"kind": kind_label(kind)})
        return  # masuk/pulang without a configured window: any time of the work day counts
    opens, closes = window
    if not opens <= at <= closes:
        decision.reject(
            "outside_window",
            _("Di luar jam presensi %(kind)s (%(open)s–%(close)s %(tz)s).")
            % {"kind": kind_label(kind), "open": _hm(opens, workday.tz), "close": _hm(closes, workday.tz),
               "tz": label},
        )


def _check_plausibility(attempt: CheckInAttempt, decision: Decision, at: dt.datetime, now: dt.datetime) -> None:
    if attempt.source not in (CheckInSource.OFFLINE, CheckInSource.TERMINAL) or attempt.occurred_at is None:
        return
    if at > now + clock_skew_allowance():
        decision.reject("capture_in_future", _("Waktu pengambilan presensi berada di masa depan; periksa jam perangkat."))
    elif attempt.source == CheckInSource.OFFLINE and at < now - offline_max_age():
        decision.reject(
            "capture_too_old",
            _("Presensi luring lebih dari %(days)d hari yang lalu tidak dapat diterima.")
            % {"days": offline_max_age().days},
        )


@dataclass(frozen=True)
class Probe:
    """What the pipeline needs to know from earlier check-ins (part of the one context query)."""

    existing_id: int | None = None  # a row with the same client_uuid
    previous: fraud.Fix | None = None  # the employee's previous fix within 12 hours before this one
    other_employees_on_device: int = 0  # distinct other employees on this device id on the local date


@dataclass(frozen=True)
class ContextColumn:
    """One scalar SQL expression a validator needs, evaluated inside the pipeline's context query so that
    it costs no round trip of its own. `sql` may refer to the employee row as `e` and use %s placeholders,
    filled by `params(attempt)`. The value reaches the validator as `attempt.context[name]`."""

    name: str
    sql: str
    params: Callable[[CheckInAttempt], Sequence[Any]] = lambda attempt: ()


_context_columns: dict[str, ContextColumn] = {}


@dataclass
class Context:
    """Everything the pipeline reads for one attempt, from ONE query (the hot path): the employee's unit
    path and work locations, the schedule revision and roster lines, the probe, validators' columns."""

    unit_path: str = ""
    locations: list[WorkLocation] = field(default_factory=list)  # all of the employee's, by id
    revision: str | None = None
    roster: dict[dt.date, int | None] = field(default_factory=dict)  # date → shift id (None: day off)
    history: Probe = field(default_factory=Probe)
    values: dict[str, Any] = field(default_factory=dict)
    others_by_date: dict[dt.date, int] = field(default_factory=dict)  # other employees on the device per date

    def probe_on(self, day: dt.date) -> Probe:
        return Probe(self.history.existing_id, self.history.previous, self.others_by_date.get(day, 0))

    @property
    def active_locations(self) -> list[WorkLocation]:
        return [loc for loc in self.locations if loc.is_active]


@lru_cache(maxsize=4)
def _context_sql(vendor: str, with_uuid: bool, with_device: bool, extras: tuple[str, ...]) -> str:
    from hadir.schedules.models import ShiftAssignment
    from hadir.schedules.services import REVISION_SQL

    q = connection.ops.quote_name
    checkin, roster = q(CheckIn._meta.db_table), q(ShiftAssignment._meta.db_table)
    through = Employee.locations.through._meta
    emp_table, unit_table, loc_table = (q(Employee._meta.db_table), q(Employee._meta.get_field("unit")
                                        .related_model._meta.db_table), q(WorkLocation._meta.db_table))
    existing = f"(SELECT id FROM {checkin} WHERE client_uuid = %s)" if with_uuid else "NULL"
    others = (f"(SELECT COUNT(DISTINCT employee_id) FROM {checkin} WHERE device_id = %s AND local_date = %s "
              f"AND employee_id <> e.id)") if with_device else "0"
    others = ", ".join([others] * 3)  # one per candidate local date (see device_dates)
    shift = f"(SELECT COALESCE(shift_id, 0) FROM {roster} WHERE employee_id = e.id AND date = %s)"
    extra_sql = "".join(f", {_context_columns[name].sql}" for name in extras)
    return f"""
SELECT l.id, l.name, l.latitude, l.longitude, l.radius_m, l.timezone, l.is_active, l.unit_id, l.code,
  u.path, ({REVISION_SQL}), {shift}, {shift}, {shift}, {shift},
  {existing}, prev.latitude, prev.longitude, prev.occurred_at, {others}{extra_sql}
FROM {emp_table} e
JOIN {unit_table} u ON u.id = e.unit_id
LEFT JOIN {q(through.db_table)} el ON el.employee_id = e.id
LEFT JOIN {loc_table} l ON l.id = el.worklocation_id
LEFT JOIN (
  SELECT latitude, longitude, occurred_at FROM {checkin}
  WHERE employee_id = %s AND latitude IS NOT NULL AND longitude IS NOT NULL
    AND occurred_at <= %s AND occurred_at >= %s
  ORDER BY occurred_at DESC LIMIT 1
) prev ON 1 = 1
WHERE e.id = %s
ORDER BY l.id"""


def device_dates(at: dt.datetime) -> list[dt.date]:
    """The local dates `at` can fall on in any zone (UTC−12 to UTC+14)."""
    utc = at.astimezone(dt.UTC).date()
    return [utc + dt.timedelta(days=d) for d in (-1, 0, 1)]


def roster_dates(at: dt.datetime) -> list[dt.date]:
    """The dates whose roster lines can matter for an event at `at`: its local date in any zone (UTC−12 to
    UTC+14 spans the UTC date ±1) and the day before each."""
    utc = at.astimezone(dt.UTC).date()
    return [utc + dt.timedelta(days=d) for d in (-2, -1, 0, 1)]


def load_context(attempt: CheckInAttempt, at: dt.datetime) -> Context:
    """One round trip: replay? previous fix? device shared? locations, unit, roster, validators' columns."""
    emp_id = attempt.employee.pk
    if emp_id is None:
        return Context()
    ops = connection.ops
    params: list[Any] = []
    dates = roster_dates(at)
    params += [ops.adapt_datefield_value(d) for d in dates]
    if attempt.client_uuid is not None:
        params.append(CheckIn._meta.get_field("client_uuid").get_db_prep_value(attempt.client_uuid, connection))
    if attempt.device_id:
        for d in device_dates(at):
            params += [attempt.device_id[:128], ops.adapt_datefield_value(d)]
    extras = tuple(sorted(_context_columns))
    for name in extras:
        params += list(_context_columns[name].params(attempt))
    has_position = attempt.latitude is not None and attempt.longitude is not None
    # without a position there is no speed to check: a window that cannot match
    since = at - dt.timedelta(hours=12) if has_position else at + dt.timedelta(days=1)
    params += [emp_id, ops.adapt_datetimefield_value(at), ops.adapt_datetimefield_value(since), emp_id]
    sql = _context_sql(connection.vendor, attempt.client_uuid is not None, bool(attempt.device_id), extras)
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return Context()
    first = rows[0]
    locations = [
        WorkLocation(id=r[0], name=r[1], latitude=r[2], longitude=r[3], radius_m=r[4], timezone=r[5],
                     is_active=bool(r[6]), unit_id=r[7], code=r[8])
        for r in rows if r[0] is not None
    ]
    roster = {d: (sid or None) for d, sid in zip(dates, first[11:15], strict=True) if sid is not None}
    existing_id, lat, lon, prev_at = first[15:19]
    prev_at = db_datetime(prev_at)
    previous = fraud.Fix(float(lat), float(lon), prev_at) if prev_at is not None and lat is not None \
        and lon is not None else None
    others = {d: int(n or 0) for d, n in zip(device_dates(at), first[19:22], strict=True)}
    return Context(
        unit_path=first[9] or "", locations=locations, revision=first[10], roster=roster,
        history=Probe(int(existing_id) if existing_id is not None else None, previous),
        values=dict(zip(extras, first[22:], strict=True)), others_by_date=others,
    )


def _fraud_signals(attempt: CheckInAttempt, at: dt.datetime, now: dt.datetime, history: Probe) -> list[str]:
    online = attempt.source == CheckInSource.MOBILE
    return fraud.fraud_flags(
        fraud.Signals(
            latitude=attempt.latitude, longitude=attempt.longitude, accuracy_m=attempt.accuracy_m, at=at,
            mock_location=attempt.mock_location, client_time=attempt.client_time if online else None,
            server_time=now, previous=history.previous,
            other_employees_on_device=history.other_employees_on_device,
        )
    )


def day_hint(attempt: CheckInAttempt, at: dt.datetime, ctx: Context | None = None) -> dt.date:
    """The calendar date at the attempt's place (before the work day is known: night shifts may differ)."""
    if attempt.location is not None:
        home: WorkLocation | None = attempt.location
    else:
        active = ctx.active_locations if ctx is not None else _active_locations(attempt.employee)
        home = active[0] if active else None
    tz_name = home.timezone if home else settings.TIME_ZONE
    return at.astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def _active_locations(employee: Employee) -> list[WorkLocation]:
    return list(employee.locations.filter(is_active=True).order_by("id"))


def evaluate(attempt: CheckInAttempt, now: dt.datetime | None = None,
             ctx: Context | None = None) -> tuple[Decision, dt.datetime]:
    """Decide the verdict for an attempt (reads the DB, writes nothing). Returns (decision, occurred_at)."""
    now = now or server_now()
    at = attempt.occurred_at or now
    if ctx is None:
        ctx = load_context(attempt, at)
    hint = day_hint(attempt, at, ctx)
    history = ctx.probe_on(hint)
    emp = attempt.employee
    decision = Decision()
    locations = ctx.active_locations if attempt.location is None else []
    attempt.context = ctx.values

    if attempt.kind not in CheckInKind.values:
        raise Unprocessable(_("Jenis presensi tidak dikenal: %(kind)s.") % {"kind": attempt.kind}, field="kind",
                       code="bad_kind")
    if not emp.is_active:
        decision.reject("employee_inactive", _("Pegawai tidak aktif."))

    _check_plausibility(attempt, decision, at, now)
    if attempt.mock_location and mock_location_policy() == "reject":
        decision.reject("mock_location", _("Perangkat melaporkan lokasi palsu (mock location). Matikan aplikasi "
                                           "pemalsu lokasi lalu coba lagi."))
    if not decision.rejected:
        for validator in list(_validators):
            outcome = validator(attempt, emp)
            if outcome:
                decision.reject(outcome[0][:40], outcome[1][:300])
                break

    # The date hint (location's calendar date) is only for the geofence lift; the work day decides local_date.
    _check_geofence(attempt, decision, locations, hint)

    workday = _workday(attempt, ctx, at, decision.location)
    decision.local_date = workday.date
    if (emp.active_until and workday.date > emp.active_until) or (emp.active_from and workday.date < emp.active_from):
        decision.reject("employee_inactive", _("Pegawai tidak aktif pada tanggal ini."))
    _check_window(attempt, decision, workday, at)
    decision.flags = _fraud_signals(attempt, at, now, history)
    decision.flags += [f for f in attempt.flags if f not in decision.flags]
    return decision, at


def _owned_or_conflict(row: CheckIn, employee: Employee) -> CheckIn:
    if row.employee_id != employee.pk:
        raise Conflict(_("UUID klien ini sudah dipakai untuk presensi lain."), field="client_uuid",
                       code="uuid_conflict")
    return row


@lru_cache(maxsize=2)
def _insert_sql(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """INSERT of one CheckIn, every concrete column but the id, RETURNING the id (PostgreSQL, SQLite ≥ 3.35)."""
    fields = tuple(f for f in CheckIn._meta.concrete_fields if not f.primary_key)
    q = connection.ops.quote_name
    columns = ", ".join(q(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {q(CheckIn._meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING id", fields


def _insert(row: CheckIn) -> None:
    """Store `row` with one statement and no model signals (the follow-up pass does what receivers did).
    Field preparation is Django's own (pre_save: received_at, the selfie file; get_db_prep_save)."""
    sql, fields = _insert_sql(connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    with hot_cursor() as cursor:
        cursor.execute(sql, values)
        row.pk = cursor.fetchone()[0]
    row._state.adding = False
    row._state.db = connection.alias


def record_checkin(attempt: CheckInAttempt) -> tuple[CheckIn, bool]:
    """Validate and store one attempt. Returns (row, created); a known client_uuid returns the original row.

    Round trips on the hot path: the context query, the INSERT — and, after commit, the follow-up trigger
    (hadir.presence.followup: inline, or a Redis flag for the batched flush)."""
    now = server_now()
    at = attempt.occurred_at or now
    ctx = load_context(attempt, at)  # one query: replay? previous fix? device shared? locations, roster
    if ctx.history.existing_id is not None:
        existing = CheckIn.objects.select_related("location").get(pk=ctx.history.existing_id)
        return _owned_or_conflict(existing, attempt.employee), False
    client_uuid = attempt.client_uuid or uuid.uuid4()
    photo_name = ""
    if attempt.photo is not None:
        photo_name = validate_photo(attempt.photo)  # raises TooLarge or Unprocessable: nothing stored

    decision, at = evaluate(attempt, now, ctx)
    assert decision.local_date is not None
    accepted = decision.verdict == Verdict.ACCEPTED
    needs_approval = accepted and (attempt.source == CheckInSource.OFFLINE or bool(decision.flags))
    row = CheckIn(
        client_uuid=client_uuid, employee=attempt.employee, kind=attempt.kind, source=attempt.source,
        occurred_at=at, client_time=attempt.client_time, local_date=decision.local_date,
        latitude=attempt.latitude, longitude=attempt.longitude, accuracy_m=attempt.accuracy_m,
        mock_location=attempt.mock_location, device_id=attempt.device_id[:128], location=decision.location,
        distance_m=decision.distance_m, terminal_sn=attempt.terminal_sn[:64], verdict=decision.verdict,
        reason_code=decision.reason_code, reason=decision.reason[:300], fraud_flags=decision.flags,
        validity=Validity.PENDING if needs_approval else Validity.NOT_REQUIRED, followup_pending=True,
    )
    if attempt.photo is not None:
        attempt.photo.name = photo_name
        row.photo = attempt.photo  # type: ignore[assignment]
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        if in_transaction:
            with transaction.atomic():  # a savepoint: a duplicate must not break the caller's transaction
                _insert(row)
        else:
            _insert(row)  # autocommit: one statement, no BEGIN/COMMIT round trips
    except IntegrityError:
        # A concurrent request with the same client_uuid won the race: theirs is the original.
        _discard_photo(row)
        winner = CheckIn.objects.filter(client_uuid=client_uuid).select_related("location").first()
        if winner is None:
            raise
        return _owned_or_conflict(winner, attempt.employee), False
    except Exception:
        _discard_photo(row)  # the INSERT failed: nothing refers to the file
        raise
    transaction.on_commit(lambda: followup.after_commit(row))
    return row, True


def _discard_photo(row: CheckIn) -> None:
    if row.photo and row.photo.name:
        row.photo.storage.delete(row.photo.name)


def record_many(attempts: list[CheckInAttempt]) -> list[tuple[CheckIn, bool]]:
    """Store a batch (offline queue, terminal log): each attempt gets its own verdict and transaction.

    UUIDs that belong to another employee fail the whole batch up front (409), before anything is
    stored; known UUIDs of the same employee come back as replays (created=False).
    """
    uuids = [a.client_uuid for a in attempts if a.client_uuid is not None]
    existing: dict[uuid.UUID, CheckIn] = {}
    if uuids:
        for row in CheckIn.objects.filter(client_uuid__in=uuids).select_related("location"):
            existing[row.client_uuid] = row
    by_employee = {a.client_uuid: a.employee.pk for a in attempts if a.client_uuid is not None}
    for key, row in existing.items():
        if row.employee_id != by_employee.get(key):
            raise Conflict(_("UUID klien %(uuid)s sudah dipakai untuk presensi lain.") % {"uuid": key},
                           field="client_uuid", code="uuid_conflict")
    results: list[tuple[CheckIn, bool]] = []
    for attempt in attempts:
        if attempt.client_uuid is not None and attempt.client_uuid in existing:
            results.append((existing[attempt.client_uuid], False))
            continue
        row, created = record_checkin(attempt)
        if attempt.client_uuid is not None:
            existing[attempt.client_uuid] = row
        results.append((row, created))
    return results


def describe_flags(flags: list[str]) -> list[str]:
    return [str(fraud.FLAG_LABELS.get(code, code)) for code in flags]
