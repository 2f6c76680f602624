"""REST API of the check-in pipeline, mounted at /api/presence.

POST /checkins          one online check-in (JSON, or multipart/form-data with an optional `photo`)
POST /checkins/batch    check-ins captured offline, each with its client_uuid and captured_at
GET  /today             today's work day, status, check-ins and work locations of the signed-in employee
GET  /checkins?date=    the employee's check-ins of one work day
GET  /history?month=    the employee's daily statuses for one month

A check-in refused by a rule (outside the radius, outside the window, mock location…) is a stored
verdict "rejected" answered with 201 — it is evidence. Input that is not a check-in at all is a 4xx
and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import Counter
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import field_validator

from hadir.parsing import json_alternative

from . import fraud, services
from .checks import tz_label
from .models import ApelStatus, CheckIn, DailyStatus, DayStatus

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
    gps_samples: str = Field("", max_length=2000, description=(
        "Opsional: sampel GPS mentah yang dikumpulkan aplikasi untuk presensi ini, \"lat,lon;lat,lon;…\" "
        "(maks. 30). Penerima GPS asli selalu bergeser sedikit; sampel yang semuanya persis sama ditandai "
        "no_gps_jitter."))

    @field_validator("gps_samples")
    @classmethod
    def _samples_well_formed(cls, value: str) -> str:
        try:
            fraud.parse_samples(value)
        except ValueError:
            raise ValueError(_("format sampel GPS: \"lat,lon;lat,lon;…\", paling banyak 30 sampel")) from None
        return value

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


# The check-in and today endpoints are the hot path: no per-account rate limit (ninja throttling) on them —
# measured with bench/checkin.py it cost ~0.7 ms of server CPU per check-in (two cache round trips), 15 % of the
# throughput (hadir/org/throttle.py). The API's other operations keep it.
@router.post(
    "/checkins",
    throttle=[],
    response={200: CheckInOut, 201: CheckInOut},
    summary="Kirim presensi (masuk, pulang, apel, ping)",
    description="Isian sebagai objek JSON (application/json), atau sebagai multipart/form-data dengan swafoto "
    "opsional `photo` (JPEG/PNG/WebP, maks. 5 MB). "
    "201: presensi baru (diterima atau ditolak — keputusan ada di `verdict`). "
    "200: UUID klien sudah pernah dikirim; jawaban adalah presensi aslinya, tidak ada yang disimpan ulang.",
    openapi_extra=json_alternative(CheckInIn),
)
def post_checkin(request: HttpRequest, payload: Form[CheckInIn],
                 photo: UploadedFile | None = File(None, description="Swafoto JPEG/PNG/WebP, maks. 5 MB"),  # noqa: B008
                 ) -> Status[dict[str, Any]]:
    row, created = services.check_in(request.user, payload, photo)
    return Status(201 if created else 200, checkin_out(row))


@router.post("/checkins/{client_uuid}/photo", response={200: CheckInOut},
             summary="Kirim swafoto presensi luring setelah presensinya terkirim",
             description="Batch luring berupa JSON; swafoto yang diambil saat luring dikirim sesudahnya, satu per "
             "presensi, sebagai multipart `photo` (JPEG/PNG/WebP, maks. 5 MB). Hanya untuk presensi luring milik "
             "sendiri (404 bila bukan), sekali saja (409 bila sudah ada).")
def post_offline_photo(request: HttpRequest, client_uuid: uuid.UUID,
                       photo: File[UploadedFile]) -> dict[str, Any]:
    return checkin_out(services.attach_offline_photo(request.user, client_uuid, photo))


@router.post("/checkins/batch", response={200: BatchOut}, summary="Kirim presensi yang diambil saat luring")
def post_batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    results = services.check_in_offline(request.user, payload.items, payload.sent_at)
    return {
        "results": [
            {"client_uuid": row.client_uuid, "id": row.pk, "verdict": row.verdict, "reason_code": row.reason_code,
             "reason": row.reason, "created": created}
            for row, created in results
        ]
    }


class PresenceWindowOut(Schema):
    open: dt.datetime
    close: dt.datetime


class PresenceWorkDayOut(Schema):
    is_working_day: bool
    holiday_name: str
    shift_name: str
    start: dt.datetime | None
    end: dt.datetime | None
    windows: dict[str, PresenceWindowOut]


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


class PresenceLocationOut(Schema):
    id: int
    name: str
    latitude: float
    longitude: float
    radius_m: int
    timezone: str


class PresenceTodayOut(Schema):
    date: dt.date
    tz: str
    tz_label: str
    workday: PresenceWorkDayOut
    status: StatusOut
    checkins: list[CheckInOut]
    locations: list[PresenceLocationOut]


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


@router.get("/today", response=PresenceTodayOut, summary="Presensi saya hari ini", throttle=[])
def today(request: HttpRequest) -> dict[str, Any]:
    day = services.today(request.user)
    workday = day.workday
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
        "status": _status_out(day.status, workday.is_working_day),
        "checkins": [checkin_out(c) for c in day.checkins],
        "locations": day.locations,
    }


class CheckInsFilter(Schema):
    date: dt.date | None = Field(None, description="Tanggal kerja (YYYY-MM-DD); bawaan: hari kerja saat ini")


@router.get("/checkins", response=list[CheckInOut], summary="Presensi saya pada satu tanggal (termasuk yang ditolak)")
def list_checkins(request: HttpRequest, filters: Query[CheckInsFilter]) -> list[dict[str, Any]]:
    return [checkin_out(r) for r in services.checkins_on(request.user, filters.date)]


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
    corrected: bool = Field(description="Hari ini memuat presensi dari koreksi yang disetujui")
    apel_pagi: str = Field(description='"hadir", "tidak" atau "" (tidak ada apel / belum ditentukan)')
    apel_sore: str = Field(description='"hadir", "tidak" atau "" (tidak ada apel / belum ditentukan)')


class HistoryOut(Schema):
    month: str
    days: list[HistoryDayOut]
    summary: dict[str, int]
    total_late_minutes: int
    total_early_minutes: int
    missed_apel: int = Field(description="Jumlah apel (pagi dan sore) yang tidak diikuti dalam bulan ini")


@router.get("/history", response=HistoryOut, summary="Riwayat status harian saya per bulan")
def history(request: HttpRequest, filters: Query[HistoryFilter]) -> dict[str, Any]:
    first, rows = services.month_history(request.user, filters.month)
    days = [
        {"date": r.date, "status": r.status, "status_label": str(r.get_status_display()),
         "is_working_day": r.is_working_day, "first_in": r.first_in, "last_out": r.last_out,
         "late_minutes": r.late_minutes, "late_category": r.late_category, "early_minutes": r.early_minutes,
         "early_category": r.early_category, "missing_in": r.missing_in, "missing_out": r.missing_out,
         "excuse_ref": r.excuse_ref, "corrected": r.corrected, "apel_pagi": r.apel_pagi, "apel_sore": r.apel_sore}
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
