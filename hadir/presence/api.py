"""REST API of the check-in pipeline (contract C4), mounted at /api/presence.

POST /checkins          one online check-in (JSON, or multipart/form-data with an optional `photo`)
POST /checkins/batch    check-ins captured offline, each with its client_uuid and captured_at
GET  /today             today's work day, status, check-ins and work locations of the signed-in employee
GET  /history?month=    the employee's daily statuses for one month

A check-in refused by a rule (outside the radius, outside the window, mock location…) is a stored
verdict "rejected" answered with 201 — it is evidence. Input that is not a check-in at all is a 4xx
and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zoneinfo
from collections import Counter
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError
from pydantic import field_validator

from hadir.errors import InvalidRequest, NotAllowed, TooLarge, Unprocessable
from hadir.org.models import Employee, employee_of
from hadir.schedules.services import workday_at

from . import pipeline
from .checks import CheckInAttempt, clock_skew_allowance, tz_label
from .models import ApelStatus, CheckIn, CheckInSource, DailyStatus, DayStatus
from .pipeline import record_checkin, record_many

router = Router(tags=["presence"])

KindLiteral = Literal["masuk", "pulang", "apel_pagi", "apel_sore", "ping"]
MAX_BATCH_ITEMS = 500


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(_("harus menyertakan zona waktu, mis. 2026-11-23T07:15:00+07:00"))
    return value


class CheckInIn(Schema):
    kind: KindLiteral = Field(description="masuk, pulang, apel_pagi, apel_sore atau ping")
    client_uuid: uuid.UUID = Field(description="UUID yang dibuat aplikasi untuk presensi ini (kunci idempotensi)")
    client_time: dt.datetime | None = Field(None, description="Jam perangkat saat menekan tombol (ISO 8601 + zona)")
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False)
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float | None = Field(None, ge=0, le=100_000, allow_inf_nan=False, description="Akurasi GPS (m)")
    mock_location: bool = Field(False, description="Perangkat mendeteksi lokasi palsu")
    device_id: str = Field("", max_length=128)
    employee_id: int | None = Field(None, description="Opsional; harus pegawai yang sedang masuk")

    @field_validator("client_time")
    @classmethod
    def _client_time_aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _aware(value)


class BatchItemIn(CheckInIn):
    captured_at: dt.datetime = Field(description="Jam perangkat saat presensi diambil secara luring")

    @field_validator("captured_at")
    @classmethod
    def _captured_at_aware(cls, value: dt.datetime) -> dt.datetime | None:
        return _aware(value)


class BatchIn(Schema):
    items: list[BatchItemIn] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)
    sent_at: dt.datetime | None = Field(
        None, description="Jam perangkat saat batch dikirim; dipakai untuk mengoreksi jam perangkat yang salah"
    )

    @field_validator("sent_at")
    @classmethod
    def _sent_at_aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _aware(value)


class CheckInOut(Schema):
    id: int
    client_uuid: uuid.UUID
    kind: str
    verdict: str
    reason_code: str
    reason: str
    occurred_at: dt.datetime
    local_date: dt.date
    distance_m: float | None
    location_name: str | None
    source: str
    validity: str


class BatchResultOut(Schema):
    client_uuid: uuid.UUID
    id: int
    verdict: str
    reason_code: str
    reason: str
    created: bool


class BatchOut(Schema):
    results: list[BatchResultOut]


def local_time(value: dt.datetime, tz: str) -> dt.datetime:
    return value.astimezone(zoneinfo.ZoneInfo(tz))


CHECKIN_OUT_FIELDS = ("client_uuid", "kind", "verdict", "reason_code", "reason", "occurred_at", "local_date",
                      "distance_m", "source", "validity", "location__name", "location__timezone")


def checkin_out(row: CheckIn) -> dict[str, Any]:
    """One check-in as the phone shows it; times in the work location's zone (WIB/WITA/WIT)."""
    tz = row.location.timezone if row.location_id and row.location else settings.TIME_ZONE
    return {
        "id": row.pk,
        "client_uuid": row.client_uuid,
        "kind": row.kind,
        "verdict": row.verdict,
        "reason_code": row.reason_code,
        "reason": row.reason,
        "occurred_at": local_time(row.occurred_at, tz),
        "local_date": row.local_date,
        "distance_m": row.distance_m,
        "location_name": row.location.name if row.location_id and row.location else None,
        "source": row.source,
        "validity": row.validity,
    }


def current_employee(request: HttpRequest, claimed_id: int | None = None) -> Employee:
    """The employee behind the signed-in account; refuses to act for anyone else."""
    emp = employee_of(request.user) if request.user.pk is not None else None  # token auth loaded it already
    if emp is None:
        raise NotAllowed(_("Akun Anda tidak terhubung dengan data pegawai."), code="no_employee")
    if claimed_id is not None and claimed_id != emp.pk:
        raise NotAllowed(_("Anda hanya dapat melakukan presensi untuk diri sendiri."), field="employee_id",
                       code="not_self")
    if not emp.is_active:
        raise NotAllowed(_("Data pegawai Anda tidak aktif."), code="employee_inactive")
    return emp


def _parse_body(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data") or content_type == "application/x-www-form-urlencoded":
        data: dict[str, Any] = {k: v for k, v in request.POST.items() if v != "" or k == "device_id"}
        photos = request.FILES.getlist("photo")
        if len(photos) > 1:
            raise Unprocessable(_("Kirim paling banyak satu foto."), field="photo", code="photo_count")
        return data, (photos[0] if photos else None)
    if request.FILES:
        raise Unprocessable(_("Foto hanya dapat dikirim dengan multipart/form-data."), field="photo")
    try:
        body = json.loads(request.body or b"null")
    except RequestDataTooBig:
        raise TooLarge(_("Isi permintaan terlalu besar."), code="too_large") from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest(_("Isi permintaan bukan JSON yang valid."), code="bad_json") from None
    if not isinstance(body, dict):
        raise Unprocessable(_("Isi permintaan harus berupa objek JSON."), code="bad_json")
    return body, None


def _validate[S: Schema](schema: type[S], data: dict[str, Any]) -> S:
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        errors = [dict(e, loc=("body", *e["loc"])) for e in exc.errors(include_url=False)]
        raise NinjaValidationError(errors) from None  # type: ignore[arg-type]


def _json_schema(schema: type[Schema]) -> dict[str, Any]:
    """The pydantic JSON schema with its $defs inlined (self-contained inside the OpenAPI document)."""
    raw = schema.model_json_schema()
    defs = raw.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref.rsplit("/", 1)[1]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(raw)  # type: ignore[no-any-return]


# The handlers parse their bodies themselves (JSON or multipart; a clean 413 for oversized bodies), so the
# request schemas are given to OpenAPI here.
_REQUEST_SCHEMA = {
    "content": {
        "application/json": {"schema": _json_schema(CheckInIn)},
        "multipart/form-data": {
            "schema": {
                "allOf": [
                    _json_schema(CheckInIn),
                    {"type": "object", "properties": {"photo": {"type": "string", "format": "binary",
                                                                "description": "Swafoto JPEG/PNG/WebP, maks. 5 MB"}}},
                ]
            }
        },
    },
    "required": True,
}
_BATCH_SCHEMA = {"content": {"application/json": {"schema": _json_schema(BatchIn)}}, "required": True}


@router.post(
    "/checkins",
    response={200: CheckInOut, 201: CheckInOut},
    summary="Kirim presensi (masuk, pulang, apel, ping)",
    description="201: presensi baru (diterima atau ditolak — keputusan ada di `verdict`). "
    "200: UUID klien sudah pernah dikirim; jawaban adalah presensi aslinya, tidak ada yang disimpan ulang.",
    openapi_extra={"requestBody": _REQUEST_SCHEMA},
)
def post_checkin(request: HttpRequest) -> Status[dict[str, Any]]:
    data, photo = _parse_body(request)
    payload = _validate(CheckInIn, data)
    emp = current_employee(request, payload.employee_id)
    row, created = record_checkin(
        CheckInAttempt(
            employee=emp, kind=payload.kind, source=CheckInSource.MOBILE, client_uuid=payload.client_uuid,
            client_time=payload.client_time, latitude=payload.latitude, longitude=payload.longitude,
            accuracy_m=payload.accuracy_m, mock_location=payload.mock_location, device_id=payload.device_id,
            photo=photo,
        )
    )
    return Status(201 if created else 200, checkin_out(row))


@router.post("/checkins/batch", response={200: BatchOut}, summary="Kirim presensi yang diambil saat luring",
             openapi_extra={"requestBody": _BATCH_SCHEMA})
def post_batch(request: HttpRequest) -> dict[str, Any]:
    data, photo = _parse_body(request)
    if photo is not None:
        raise Unprocessable(_("Batch luring tidak dapat membawa foto."), field="photo", code="photo_in_batch")
    payload = _validate(BatchIn, data)
    claimed = {item.employee_id for item in payload.items if item.employee_id is not None}
    emp = current_employee(request, claimed.pop() if len(claimed) == 1 else None)
    if claimed:  # more than one distinct employee_id in one batch
        raise NotAllowed(_("Anda hanya dapat melakukan presensi untuk diri sendiri."), field="employee_id",
                       code="not_self")
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(payload.items):
        if item.client_uuid in seen:
            raise Unprocessable(_("client_uuid ganda di dalam batch (item %(n)d).") % {"n": index + 1},
                           field=f"items.{index}.client_uuid", code="duplicate_uuid")
        seen.add(item.client_uuid)
    # A device whose clock is off by more than the allowance tells us so via sent_at; shift its capture times.
    offset = dt.timedelta(0)
    if payload.sent_at is not None:
        measured = payload.sent_at - timezone.now()
        if abs(measured) > clock_skew_allowance():
            offset = measured
    attempts = [
        CheckInAttempt(
            employee=emp, kind=item.kind, source=CheckInSource.OFFLINE, client_uuid=item.client_uuid,
            occurred_at=item.captured_at - offset, client_time=item.captured_at, latitude=item.latitude,
            longitude=item.longitude, accuracy_m=item.accuracy_m, mock_location=item.mock_location,
            device_id=item.device_id,
        )
        for item in payload.items
    ]
    results = record_many(attempts)
    return {
        "results": [
            {"client_uuid": row.client_uuid, "id": row.pk, "verdict": row.verdict, "reason_code": row.reason_code,
             "reason": row.reason, "created": created}
            for row, created in results
        ]
    }


class WindowOut(Schema):
    open: dt.datetime
    close: dt.datetime


class WorkDayOut(Schema):
    is_working_day: bool
    holiday_name: str
    shift_name: str
    start: dt.datetime | None
    end: dt.datetime | None
    windows: dict[str, WindowOut]


class StatusOut(Schema):
    status: str
    status_label: str
    late_minutes: int
    late_category: str
    early_minutes: int
    early_category: str
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    apel_pagi: str = Field(description='"hadir" (ikut apel), "tidak" (tidak ikut), "" (tidak ada apel / belum)')
    apel_sore: str = Field(description='"hadir" (ikut apel), "tidak" (tidak ikut), "" (tidak ada apel / belum)')


class LocationOut(Schema):
    id: int
    name: str
    latitude: float
    longitude: float
    radius_m: int
    timezone: str


class TodayOut(Schema):
    date: dt.date
    tz: str
    tz_label: str
    workday: WorkDayOut
    status: StatusOut
    checkins: list[CheckInOut]
    locations: list[LocationOut]


STATUS_OUT_FIELDS = ("status", "late_minutes", "late_category", "early_minutes", "early_category", "first_in",
                     "last_out", "apel_pagi", "apel_sore")


def _status_out(row: DailyStatus | None, working: bool) -> dict[str, Any]:
    if row is None:
        status = DayStatus.BELUM if working else DayStatus.LIBUR
        return {"status": status.value, "status_label": str(status.label), "late_minutes": 0, "late_category": "",
                "early_minutes": 0, "early_category": "", "first_in": None, "last_out": None,
                "apel_pagi": "", "apel_sore": ""}
    return {"status": row.status, "status_label": str(row.get_status_display()), "late_minutes": row.late_minutes,
            "late_category": row.late_category, "early_minutes": row.early_minutes,
            "early_category": row.early_category, "first_in": row.first_in, "last_out": row.last_out,
            "apel_pagi": row.apel_pagi, "apel_sore": row.apel_sore}


@router.get("/today", response=TodayOut, summary="Presensi saya hari ini")
def today(request: HttpRequest) -> dict[str, Any]:
    emp = current_employee(request)
    workday, locations = pipeline.workday_now(emp, timezone.now())
    # only the columns shown (the phone polls this; the ORM's SQL compiler is most of its cost)
    status = next(iter(DailyStatus.objects.filter(employee=emp, date=workday.date).only(*STATUS_OUT_FIELDS)), None)
    checkins = (CheckIn.objects.filter(employee=emp, local_date=workday.date).select_related("location")
                .only(*CHECKIN_OUT_FIELDS))
    return {
        "date": workday.date,
        "tz": workday.tz,
        "tz_label": tz_label(workday.tz),
        "workday": {
            "is_working_day": workday.is_working_day,
            "holiday_name": workday.holiday_name,
            "shift_name": workday.shift_name,
            "start": workday.start,
            "end": workday.end,
            "windows": {kind: {"open": w[0], "close": w[1]} for kind, w in workday.windows.items()},
        },
        "status": _status_out(status, workday.is_working_day),
        "checkins": [checkin_out(c) for c in checkins.order_by("occurred_at")],
        "locations": locations,
    }


class CheckInsFilter(Schema):
    date: dt.date | None = Field(None, description="Tanggal kerja (YYYY-MM-DD); bawaan: hari kerja saat ini")


@router.get("/checkins", response=list[CheckInOut], summary="Presensi saya pada satu tanggal (termasuk yang ditolak)")
def list_checkins(request: HttpRequest, filters: Query[CheckInsFilter]) -> list[dict[str, Any]]:
    emp = current_employee(request)
    day = filters.date
    if day is None:
        day = workday_at(emp, timezone.now()).date
    rows = CheckIn.objects.filter(employee=emp, local_date=day).select_related("location").order_by("occurred_at")
    return [checkin_out(r) for r in rows[:500]]


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class HistoryFilter(Schema):
    month: str | None = Field(None, description="Bulan, format YYYY-MM (bawaan: bulan ini)", max_length=7)


class HistoryDayOut(Schema):
    date: dt.date
    status: str
    status_label: str
    is_working_day: bool
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    late_minutes: int
    late_category: str
    early_minutes: int
    early_category: str
    missing_in: bool
    missing_out: bool
    excuse_ref: str
    apel_pagi: str = Field(description='"hadir", "tidak" atau "" (tidak ada apel / belum ditentukan)')
    apel_sore: str = Field(description='"hadir", "tidak" atau "" (tidak ada apel / belum ditentukan)')


class HistoryOut(Schema):
    month: str
    days: list[HistoryDayOut]
    summary: dict[str, int]
    total_late_minutes: int
    total_early_minutes: int
    missed_apel: int = Field(description="Jumlah apel (pagi dan sore) yang tidak diikuti dalam bulan ini")


def parse_month(value: str | None, today_: dt.date) -> tuple[dt.date, dt.date]:
    """'YYYY-MM' → (first day, first day of the next month). Raises Unprocessable (422) for anything else."""
    if value is None or value == "":
        first = today_.replace(day=1)
    else:
        m = MONTH_RE.match(value)
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
            raise Unprocessable(_("Bulan harus berformat YYYY-MM, mis. 2026-11."), field="month", code="bad_month")
        first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following


@router.get("/history", response=HistoryOut, summary="Riwayat status harian saya per bulan")
def history(request: HttpRequest, filters: Query[HistoryFilter]) -> dict[str, Any]:
    emp = current_employee(request)
    today_ = timezone.localdate(timezone.now())
    first, following = parse_month(filters.month, today_)
    if first > today_:
        raise Unprocessable(_("Bulan tidak boleh di masa depan."), field="month", code="future_month")
    rows = list(DailyStatus.objects.filter(employee=emp, date__gte=first, date__lt=following).order_by("date"))
    days = [
        {"date": r.date, "status": r.status, "status_label": str(r.get_status_display()),
         "is_working_day": r.is_working_day, "first_in": r.first_in, "last_out": r.last_out,
         "late_minutes": r.late_minutes, "late_category": r.late_category, "early_minutes": r.early_minutes,
         "early_category": r.early_category, "missing_in": r.missing_in, "missing_out": r.missing_out,
         "excuse_ref": r.excuse_ref, "apel_pagi": r.apel_pagi, "apel_sore": r.apel_sore}
        for r in rows
    ]
    return {
        "month": f"{first:%Y-%m}",
        "days": days,
        "summary": dict(Counter(r.status for r in rows)),
        "total_late_minutes": sum(r.late_minutes for r in rows),
        "total_early_minutes": sum(r.early_minutes for r in rows),
        "missed_apel": sum((r.apel_pagi == ApelStatus.TIDAK) + (r.apel_sore == ApelStatus.TIDAK) for r in rows),
    }
