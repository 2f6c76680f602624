"""The check-in pipeline (contract C3): validate one attempt, store it as evidence, refresh the day.

    attempt → plausibility (offline capture time) → mock-location policy → registered validators
            → geofence (nearest active work location) → time window (from the work schedule)
            → fraud signals → one INSERT (idempotent on client_uuid) → after commit: signal + daily status

Every attempt that reaches the pipeline is stored, accepted or rejected: a rejection is evidence
(who tried, where, when, why refused). Only input that cannot be a check-in at all (a broken photo,
a UUID that belongs to somebody else) raises ApiError and stores nothing.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import ApiError
from hadir.org.models import Employee, WorkLocation

from . import fraud, geo
from .models import CheckIn, CheckInKind, CheckInSource, Validity, Verdict
from .photos import validate_photo
from .refresh import refresh_status
from .signals import checkin_recorded

if TYPE_CHECKING:
    from hadir.schedules.services import WorkDay

log = logging.getLogger(__name__)

TZ_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

# Kinds that change the day's status; apel and pings don't, so they skip the recompute.
STATUS_KINDS = {CheckInKind.MASUK, CheckInKind.PULANG}


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


Validator = Callable[[CheckInAttempt, Employee], tuple[str, str] | None]
_validators: list[Validator] = []


def register_validator(fn: Validator) -> Validator:
    """Add a check run on every attempt (after the built-in plausibility checks, before the geofence).

    `fn(attempt, employee)` returns None to pass or (reason_code, reason) to reject. Usable as a decorator.
    """
    if fn not in _validators:
        _validators.append(fn)
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


def _workday(employee: Employee, at: dt.datetime, location: WorkLocation | None) -> WorkDay:
    from hadir.schedules.services import workday_at  # lazy: schedules imports presence models

    return workday_at(employee, at, location)


def _active_locations(employee: Employee) -> list[WorkLocation]:
    # Read once per attempt (the employee object is per request); ordered so "the first" is stable.
    cached = getattr(employee, "_hadir_active_locations", None)
    if cached is None:
        cached = list(employee.locations.filter(is_active=True).order_by("id"))
        employee._hadir_active_locations = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[no-any-return]


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
    """What the pipeline needs to know from earlier check-ins, read in ONE query (the hot path)."""

    existing_id: int | None = None  # a row with the same client_uuid
    previous: fraud.Fix | None = None  # the employee's previous fix within 12 hours before this one
    other_employees_on_device: int = 0  # distinct other employees on this device id on the local date


_PROBE_SQL = """
SELECT
  {existing},
  prev.latitude, prev.longitude, prev.occurred_at,
  {others}
FROM (SELECT 1 AS one) AS base
LEFT JOIN (
  SELECT latitude, longitude, occurred_at FROM {table}
  WHERE employee_id = %s AND latitude IS NOT NULL AND longitude IS NOT NULL
    AND occurred_at <= %s AND occurred_at >= %s
  ORDER BY occurred_at DESC LIMIT 1
) AS prev ON 1 = 1
"""


def probe(attempt: CheckInAttempt, at: dt.datetime, day: dt.date) -> Probe:
    """One round trip, hand-written SQL (the ORM spent more CPU compiling this than the database running it)."""
    emp_id = attempt.employee.pk
    if emp_id is None:
        return Probe()
    ops = connection.ops
    table = ops.quote_name(CheckIn._meta.db_table)
    params: list[Any] = []
    existing = "NULL"
    if attempt.client_uuid is not None:
        existing = f"(SELECT id FROM {table} WHERE client_uuid = %s)"
        params.append(CheckIn._meta.get_field("client_uuid").get_db_prep_value(attempt.client_uuid, connection))
    others = "0"
    if attempt.device_id:
        others = (f"(SELECT COUNT(DISTINCT employee_id) FROM {table} "
                  f"WHERE device_id = %s AND local_date = %s AND employee_id <> %s)")
        params += [attempt.device_id, ops.adapt_datefield_value(day), emp_id]
    has_position = attempt.latitude is not None and attempt.longitude is not None
    # without a position there is no speed to check: a window that cannot match
    since = at - dt.timedelta(hours=12) if has_position else at + dt.timedelta(days=1)
    params += [emp_id, ops.adapt_datetimefield_value(at), ops.adapt_datetimefield_value(since)]
    with connection.cursor() as cursor:
        cursor.execute(_PROBE_SQL.format(existing=existing, others=others, table=table), params)
        existing_id, lat, lon, prev_at, n_others = cursor.fetchone()
    previous = None
    if prev_at is not None and lat is not None and lon is not None:
        if isinstance(prev_at, str):  # SQLite hands timestamps back as text (UTC)
            prev_at = dt.datetime.fromisoformat(prev_at)
        if prev_at.tzinfo is None:
            prev_at = prev_at.replace(tzinfo=dt.UTC)
        previous = fraud.Fix(float(lat), float(lon), prev_at)
    return Probe(int(existing_id) if existing_id is not None else None, previous, int(n_others or 0))


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


def day_hint(attempt: CheckInAttempt, at: dt.datetime) -> dt.date:
    """The calendar date at the attempt's place (before the work day is known: night shifts may differ)."""
    locations = _active_locations(attempt.employee) if attempt.location is None else []
    home = attempt.location or (locations[0] if locations else None)
    tz_name = home.timezone if home else settings.TIME_ZONE
    return at.astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def evaluate(attempt: CheckInAttempt, now: dt.datetime | None = None,
             history: Probe | None = None) -> tuple[Decision, dt.datetime]:
    """Decide the verdict for an attempt (reads the DB, writes nothing). Returns (decision, occurred_at)."""
    now = now or server_now()
    at = attempt.occurred_at or now
    hint = day_hint(attempt, at)
    if history is None:
        history = probe(attempt, at, hint)
    emp = attempt.employee
    decision = Decision()
    locations = _active_locations(emp) if attempt.location is None else []

    if attempt.kind not in CheckInKind.values:
        raise ApiError(422, _("Jenis presensi tidak dikenal: %(kind)s.") % {"kind": attempt.kind}, field="kind",
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

    workday = _workday(emp, at, decision.location)
    decision.local_date = workday.date
    if (emp.active_until and workday.date > emp.active_until) or (emp.active_from and workday.date < emp.active_from):
        decision.reject("employee_inactive", _("Pegawai tidak aktif pada tanggal ini."))
    _check_window(attempt, decision, workday, at)
    decision.flags = _fraud_signals(attempt, at, now, history)
    return decision, at


def _owned_or_conflict(row: CheckIn, employee: Employee) -> CheckIn:
    if row.employee_id != employee.pk:
        raise ApiError(409, _("UUID klien ini sudah dipakai untuk presensi lain."), field="client_uuid",
                       code="uuid_conflict")
    return row


def _after_commit(row: CheckIn) -> None:
    try:
        checkin_recorded.send(sender=CheckIn, checkin=row, created=True)
    except Exception:  # receivers must not undo an acknowledged check-in
        log.exception("checkin_recorded receiver failed for CheckIn %s", row.pk)
    if row.verdict == Verdict.ACCEPTED and row.kind in STATUS_KINDS:
        try:
            refresh_status(row.employee_id, row.local_date)
        except Exception:  # the status is derived data: the end-of-day pass recomputes it anyway
            log.exception("daily status refresh failed for employee %s on %s", row.employee_id, row.local_date)


def record_checkin(attempt: CheckInAttempt) -> tuple[CheckIn, bool]:
    """Validate and store one attempt. Returns (row, created); a known client_uuid returns the original row."""
    now = server_now()
    at = attempt.occurred_at or now
    history = probe(attempt, at, day_hint(attempt, at))  # one query: replay? previous fix? device shared?
    if history.existing_id is not None:
        existing = CheckIn.objects.select_related("location").get(pk=history.existing_id)
        return _owned_or_conflict(existing, attempt.employee), False
    client_uuid = attempt.client_uuid or uuid.uuid4()
    photo_name = ""
    if attempt.photo is not None:
        photo_name = validate_photo(attempt.photo)  # raises ApiError(413/422): nothing stored

    decision, at = evaluate(attempt, now, history)
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
        validity=Validity.PENDING if needs_approval else Validity.NOT_REQUIRED,
    )
    if attempt.photo is not None:
        attempt.photo.name = photo_name
        row.photo = attempt.photo  # type: ignore[assignment]
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        if in_transaction:
            with transaction.atomic():  # a savepoint: a duplicate must not break the caller's transaction
                row.save(force_insert=True)
        else:
            row.save(force_insert=True)  # autocommit: one statement, no BEGIN/COMMIT round trips
        transaction.on_commit(lambda: _after_commit(row))
    except IntegrityError:
        # A concurrent request with the same client_uuid won the race: theirs is the original.
        _discard_photo(row)
        winner = CheckIn.objects.filter(client_uuid=client_uuid).select_related("location").first()
        if winner is None:
            raise
        return _owned_or_conflict(winner, attempt.employee), False
    except Exception:
        # Keep the file when the row itself was committed (autocommit) and only a post_save receiver failed.
        if in_transaction or row._state.adding:
            _discard_photo(row)
        raise
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
            raise ApiError(409, _("UUID klien %(uuid)s sudah dipakai untuk presensi lain.") % {"uuid": key},
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
