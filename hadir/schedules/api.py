"""Schedules API: the caller's work day, the holiday calendar and the caller's shift roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from ninja import Field, Query, Router, Schema

from . import services
from .services import WorkDay

router = Router(tags=["jadwal"])

TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
KIND_LABELS = {"masuk": pgettext_lazy("jenis presensi", "Masuk"), "pulang": pgettext_lazy("jenis presensi", "Pulang"),
               "apel_pagi": gettext_lazy("Apel pagi"), "apel_sore": gettext_lazy("Apel sore")}


class ScheduleWindowOut(Schema):
    open: dt.datetime
    close: dt.datetime
    label: str


class ScheduleWorkDayOut(Schema):
    employee_id: int
    date: dt.date
    tz: str
    tz_label: str
    is_working_day: bool
    holiday_name: str
    shift_name: str
    pattern_name: str
    ramadan: bool
    start: dt.datetime | None
    end: dt.datetime | None
    windows: dict[str, ScheduleWindowOut]


class TodayQuery(Schema):
    date: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31),
                                 description="Tanggal setempat (YYYY-MM-DD, 2000–2100); kosong = hari ini")
    employee_id: int | None = Field(None, description="Untuk operator/atasan: jadwal pegawai lain dalam cakupannya")


def workday_out(employee_id: int, wd: WorkDay) -> dict[str, Any]:
    return {
        "employee_id": employee_id, "date": wd.date, "tz": wd.tz, "tz_label": TZ_LABELS.get(wd.tz, wd.tz),
        "is_working_day": wd.is_working_day, "holiday_name": wd.holiday_name, "shift_name": wd.shift_name,
        "pattern_name": wd.pattern_name, "ramadan": wd.ramadan, "start": wd.start, "end": wd.end,
        "windows": {kind: {"open": a, "close": b, "label": str(KIND_LABELS.get(kind, kind))}
                    for kind, (a, b) in wd.windows.items()},
    }


@router.get("/today", response=ScheduleWorkDayOut, summary="Jadwal kerja hari ini (atau tanggal tertentu)")
def today(request: HttpRequest, q: Query[TodayQuery]) -> dict[str, Any]:
    emp, workday = services.workday_in_view(request.user, q.employee_id, q.date)
    return workday_out(emp.pk, workday)


class HolidayOut(Schema):
    date: dt.date
    name: str
    kind: str
    kind_label: str
    unit_id: int | None
    unit_name: str


class HolidaysOut(Schema):
    year: int
    holidays: list[HolidayOut]


class YearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100, description="Tahun, mis. 2026")


@router.get("/holidays", response=HolidaysOut, summary="Hari libur nasional, cuti bersama dan libur daerah")
def holidays(request: HttpRequest, q: Query[YearQuery]) -> dict[str, Any]:
    rows = services.holidays_in_view(request.user, q.year)
    return {"year": q.year, "holidays": [
        {"date": h.date, "name": h.name, "kind": h.kind, "kind_label": h.get_kind_display(), "unit_id": h.unit_id,
         "unit_name": h.unit.name if h.unit else ""} for h in rows]}


class RosterQuery(Schema):
    month: str = Field(..., pattern=r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$", description="Bulan, YYYY-MM (2000–2100)")


class RosterDayOut(Schema):
    date: dt.date
    shift: str
    shift_name: str
    start: dt.time | None
    end: dt.time | None


@router.get("/roster", response=list[RosterDayOut], summary="Jadwal shift saya dalam satu bulan")
def roster(request: HttpRequest, q: Query[RosterQuery]) -> list[dict[str, Any]]:
    year, month = (int(x) for x in q.month.split("-"))
    return [{"date": r.date, "shift": r.shift.code if r.shift else "", "shift_name": r.shift.name if r.shift
             else _("Libur"), "start": r.shift.start if r.shift else None, "end": r.shift.end if r.shift else None}
            for r in services.own_roster(request.user, year, month)]
