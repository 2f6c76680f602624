"""The verdict on one check-in attempt: plausibility, device policy, geofence, time window, fraud signals.

`evaluate(attempt, ctx, now)` reads nothing itself (the context comes from hadir/presence/hotpath.py) except
when the geofence fails, to ask whether approved official duty lifts it. The checks run in this order and the
first reason to reject wins:

    plausibility (offline capture time) → mock-location policy → device binding (the employee's bound phone)
    → geofence (nearest active work location) → work day and time window → fraud signals (never reject alone)

Policies:
- occurred_at, the time that counts, is the server's receipt time for online check-ins and the capture time for
  offline batches and terminal logs; the device's own clock is kept in client_time.
- Non-working days (weekends, holidays, off-roster days): masuk/pulang are ACCEPTED and marked with reason_code
  "non_working_day" ("dicatat sebagai lembur") — puskesmas, RSUD and event duty work on holidays, and refusing
  would lose the evidence of overtime. The day's status stays "libur". Apel has no session on such days
  (rejected); pings are only taken in working hours.
- The device's own mock-location flag rejects the attempt (HADIR_MOCK_LOCATION_POLICY = "reject"), or only
  flags it ("flag").
- Device binding (hadir.org.models.DeviceBinding, bound at the employee's first login in the app): a phone
  check-in from another key is refused until an operator resets the binding; an employee who has not bound a
  phone yet is let through unless HADIR_DEVICE_BINDING_REQUIRED. Terminal logs and manual corrections are not
  phones. A key another employee has (or had) bound is flagged `shared_device`.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from hadir.errors import Unprocessable
from hadir.leave import facts
from hadir.org.models import Employee, WorkLocation, hash_device_key, is_valid_device_key
from hadir.schedules.services import (
    EmployeeRow,
    ScheduleBook,
    WorkDay,
    default_tz,
    static_schedule,
    unit_ids_from_path,
    workday_in_book,
)

from . import fraud, geo
from .hotpath import Context, Probe, roster_dates
from .models import CheckInKind, CheckInSource, Verdict

TZ_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def offline_max_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "HADIR_OFFLINE_MAX_AGE_DAYS", 7)))


def clock_skew_allowance() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "HADIR_CLOCK_SKEW_SECONDS", 300)))


def mock_location_policy() -> str:
    return str(getattr(settings, "HADIR_MOCK_LOCATION_POLICY", "reject"))


def selfie_required_kinds() -> frozenset[str]:
    """Kinds of online check-in refused without a selfie (HADIR_SELFIE_REQUIRED_KINDS, e.g. "masuk,pulang")."""
    raw = getattr(settings, "HADIR_SELFIE_REQUIRED_KINDS", "")
    return frozenset(k.strip() for k in str(raw).split(",") if k.strip())


@dataclass
class CheckInAttempt:
    """One attempt to check in, as a phone, an offline batch or a terminal sent it."""

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
    flags: list[str] = field(default_factory=list)  # extra fraud flag codes raised by the checks

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


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


def workday(employee: Employee, ctx: Context, at: dt.datetime, location: WorkLocation | None) -> WorkDay:
    """The employee's work day at instant `at`, from the context's roster lines and the cached schedule tables."""
    path = ctx.unit_path or (employee.unit.path if employee.unit_id else "")
    home = location or ctx.home_location
    row = EmployeeRow(employee.pk or 0, unit_ids_from_path(path), home.pk if home else None,
                      home.timezone if home else default_tz())
    dates = roster_dates(at)
    book = ScheduleBook(dates[0], dates[-1], static=static_schedule(ctx.revision, known=True),
                        roster={(row.id, d): sid for d, sid in ctx.roster.items()})
    return workday_in_book(book, row, at, location)


def day_hint(attempt: CheckInAttempt, at: dt.datetime, ctx: Context) -> dt.date:
    """The calendar date at the attempt's place (before the work day is known: night shifts may differ)."""
    active = ctx.active_locations
    home = attempt.location if attempt.location is not None else (active[0] if active else None)
    tz_name = home.timezone if home else settings.TIME_ZONE
    return at.astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def check_geofence(attempt: CheckInAttempt, decision: Decision, locations: list[WorkLocation],
                   day: dt.date) -> None:
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
    if facts.geofence_lifted(attempt.employee.pk, day):  # queried only when the fence fails
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


def check_window(attempt: CheckInAttempt, decision: Decision, day: WorkDay, at: dt.datetime) -> None:
    if decision.rejected:  # the first reason wins; no window note on an already refused attempt
        return
    kind = attempt.kind
    label = tz_label(day.tz)
    if kind == CheckInKind.PING:
        if not day.is_working_day or day.start is None or day.end is None:
            decision.reject("outside_working_hours", _("Ping lokasi hanya diterima pada jam kerja."))
        elif not day.start <= at <= day.end:
            decision.reject(
                "outside_working_hours",
                _("Ping lokasi hanya diterima pada jam kerja (%(start)s–%(end)s %(tz)s).")
                % {"start": _hm(day.start, day.tz), "end": _hm(day.end, day.tz), "tz": label},
            )
        return
    if not day.is_working_day:
        if kind in (CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE):
            decision.reject("no_apel", _("Tidak ada apel pada hari libur."))
            return
        decision.reason_code = "non_working_day"
        day_name = day.holiday_name or _("hari libur")
        decision.reason = _("Presensi pada %(day)s: dicatat sebagai lembur.") % {"day": day_name}
        return
    window = day.windows.get(kind)
    if window is None:
        if kind in (CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE):
            decision.reject("no_apel", _("Tidak ada jadwal %(kind)s hari ini.") % {"kind": kind_label(kind)})
        return  # masuk/pulang without a configured window: any time of the work day counts
    opens, closes = window
    if not opens <= at <= closes:
        decision.reject(
            "outside_window",
            _("Di luar jam presensi %(kind)s (%(open)s–%(close)s %(tz)s).")
            % {"kind": kind_label(kind), "open": _hm(opens, day.tz), "close": _hm(closes, day.tz),
               "tz": label},
        )


def check_plausibility(attempt: CheckInAttempt, decision: Decision, at: dt.datetime, now: dt.datetime) -> None:
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


def device_refusal(source: str, device_id: str, bound_hash: str | None) -> tuple[str, str] | None:
    """The device rule: None to allow, (reason_code, reason) to refuse. `bound_hash` is the key hash of the
    employee's bound phone (None: none bound)."""
    if source in (CheckInSource.TERMINAL, CheckInSource.MANUAL):
        return None
    if bound_hash is None:
        if getattr(settings, "HADIR_DEVICE_BINDING_REQUIRED", False):
            return "device_unbound", _(
                "Perangkat belum terdaftar. Buka aplikasi Hadir di HP Anda dan masuk untuk mendaftarkannya."
            )
        return None
    if not device_id:
        return "device_missing", _("Presensi ditolak: kunci perangkat tidak dikirim oleh aplikasi.")
    if hash_device_key(device_id) != bound_hash:
        return "device_mismatch", _(
            "Presensi ditolak: dikirim dari perangkat yang tidak terdaftar untuk akun Anda. Minta operator "
            "OPD atau admin BKPSDM untuk mereset ikatan perangkat jika Anda berganti HP."
        )
    return None


def check_device(attempt: CheckInAttempt, ctx: Context) -> tuple[str, str] | None:
    """The device rule for an attempt, from the binding the context query read; flags a shared key."""
    source = CheckInSource.TERMINAL if attempt.terminal_sn else attempt.source
    refused = device_refusal(source, attempt.device_id, ctx.bound_key_hash)
    if (refused is None and ctx.key_shared and source not in (CheckInSource.TERMINAL, CheckInSource.MANUAL)
            and is_valid_device_key(attempt.device_id) and fraud.SHARED_DEVICE not in attempt.flags):
        attempt.flags.append(fraud.SHARED_DEVICE)
    return refused


def fraud_signals(attempt: CheckInAttempt, at: dt.datetime, now: dt.datetime, history: Probe) -> list[str]:
    online = attempt.source == CheckInSource.MOBILE
    return fraud.fraud_flags(
        fraud.Signals(
            latitude=attempt.latitude, longitude=attempt.longitude, accuracy_m=attempt.accuracy_m, at=at,
            mock_location=attempt.mock_location, client_time=attempt.client_time if online else None,
            server_time=now, previous=history.previous,
            other_employees_on_device=history.other_employees_on_device,
        )
    )


def evaluate(attempt: CheckInAttempt, ctx: Context, now: dt.datetime) -> Decision:
    """Decide the verdict for an attempt (writes nothing). `decision.local_date` is the work date."""
    at = attempt.occurred_at or now
    hint = day_hint(attempt, at, ctx)
    emp = attempt.employee
    decision = Decision()
    locations = ctx.active_locations if attempt.location is None else []

    if attempt.kind not in CheckInKind.values:
        raise Unprocessable(_("Jenis presensi tidak dikenal: %(kind)s.") % {"kind": attempt.kind}, field="kind",
                            code="bad_kind")
    if not emp.is_active:
        decision.reject("employee_inactive", _("Pegawai tidak aktif."))

    check_plausibility(attempt, decision, at, now)
    if attempt.mock_location and mock_location_policy() == "reject":
        decision.reject("mock_location", _("Perangkat melaporkan lokasi palsu (mock location). Matikan aplikasi "
                                           "pemalsu lokasi lalu coba lagi."))
    refused = check_device(attempt, ctx)
    if refused is not None:
        decision.reject(*refused)
    if attempt.source == CheckInSource.MOBILE and attempt.photo is None and attempt.kind in selfie_required_kinds():
        decision.reject("photo_required", _("Swafoto wajib untuk presensi ini. Ambil swafoto lalu kirim lagi."))

    # The date hint (location's calendar date) is only for the geofence lift; the work day decides local_date.
    check_geofence(attempt, decision, locations, hint)

    day = workday(emp, ctx, at, decision.location)
    decision.local_date = day.date
    if (emp.active_until and day.date > emp.active_until) or (emp.active_from and day.date < emp.active_from):
        decision.reject("employee_inactive", _("Pegawai tidak aktif pada tanggal ini."))
    check_window(attempt, decision, day, at)
    decision.flags = fraud_signals(attempt, at, now, ctx.probe_on(hint))
    decision.flags += [f for f in attempt.flags if f not in decision.flags]
    return decision
