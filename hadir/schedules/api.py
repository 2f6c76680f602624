"""Schedules API: the caller's work day, the holiday calendar and the caller's shift roster."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from ninja import Field, Query, Router, Schema

from hadir.errors import NotFound
from hadir.org.models import Employee, employee_of
from hadir.org.scoping import admin_paths, path_q, scope_queryset, subordinates

from .models import Holiday, ShiftAssignment
from .services import WorkDay, employee_rows, local_today, workday_for

router = Router(tags=["jadwal"])

TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
KIND_LABELS = {"masuk": pgettext_lazy("jenis presensi", "Masuk"), "pulang": pgettext_lazy("jenis presensi", "Pulang"),
               "apel_pagi": gettext_lazy("Apel pagi"), "apel_sore": gettext_lazy("Apel sore")}


class WindowOut(Schema):
    open: dt.datetime
    close: dt.datetime
    label: str


class WorkDayOut(Schema):
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
    windows: dict[str, WindowOut]


class TodayQuery(Schema):
    date: dt.date | None = Field(None, description="Tanggal setempat (YYYY-MM-DD); kosong = hari ini")
    employee_id: int | None = Field(None, description="Untuk operator/atasan: jadwal pegawai lain dalam cakupannya")


def workday_out(employee_id: int, wd: WorkDay) -> dict[str, Any]:
    return {
        "employee_id": employee_id, "date": wd.date, "tz": wd.tz, "tz_label": TZ_LABELS.get(wd.tz, wd.tz),
        "is_working_day": wd.is_working_day, "holiday_name": wd.holiday_name, "shift_name": wd.shift_name,
        "pattern_name": wd.pattern_name, "ramadan": wd.ramadan, "start": wd.start, "end": wd.end,
        "windows": {kind: {"open": a, "close": b, "label": str(KIND_LABELS.get(kind, kind))}
                    for kind, (a, b) in wd.windows.items()},
    }


def _target_employee(request: HttpRequest, employee_id: int | None) -> Employee:
    me = employee_of(request.user)
    if employee_id is None or (me is not None and me.pk == employee_id):
        if me is None:
            raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
        return me
    visible = scope_queryset(request.user, Employee.objects.all())  # operators / BKPSDM: their units
    if me is not None:
        visible = visible | subordinates(me, direct_only=False)
    emp = visible.filter(pk=employee_id).first()
    if emp is None:
        raise NotFound(_("Pegawai tidak ditemukan."), field="employee_id", code="not_found")
    return emp


@router.get("/today", response=WorkDayOut, summary="Jadwal kerja hari ini (atau tanggal tertentu)")
def today(request: HttpRequest, q: Query[TodayQuery]) -> dict[str, Any]:
    emp = _target_employee(request, q.employee_id)
    day = q.date
    if day is None:
        row = employee_rows([emp.pk], dt.date.today()).get(emp.pk)
        day = local_today(row.tz if row else "Asia/Jakarta")
    return workday_out(emp.pk, workday_for(emp, day))


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
    """National days and cuti bersama for everyone; local holidays of the caller's own units, plus those of
    the units they administer (all of them for BKPSDM)."""
    paths = admin_paths(request.user)
    scope = Q(unit__isnull=True)
    me = employee_of(request.user)
    if me is not None:
        ancestors = [int(p) for p in me.unit.path.split(".") if p]
        scope |= Q(unit_id__in=ancestors)
    if paths is None:
        scope = Q()
    elif paths:
        scope |= path_q(paths, "unit__")
    rows = Holiday.objects.filter(scope, date__year=q.year, is_active=True).select_related("unit").order_by(
        "date", "name")
    return {"year": q.year, "holidays": [
        {"date": h.date, "name": h.name, "kind": h.kind, "kind_label": h.get_kind_display(), "unit_id": h.unit_id,
         "unit_name": h.unit.name if h.unit else ""} for h in rows]}


class RosterQuery(Schema):
    month: str = Field(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Bulan, YYYY-MM")


class RosterDayOut(Schema):
    date: dt.date
    shift: str
    shift_name: str
    start: dt.time | None
    end: dt.time | None


@router.get("/roster", response=list[RosterDayOut], summary="Jadwal shift saya dalam satu bulan")
def roster(request: HttpRequest, q: Query[RosterQuery]) -> list[dict[str, Any]]:
    me = employee_of(request.user)
    if me is None:
        raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
    year, month = (int(x) for x in q.month.split("-"))
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    rows = ShiftAssignment.objects.filter(employee=me, date__range=(first, last)).select_related("shift")
    return [{"date": r.date, "shift": r.shift.code if r.shift else "", "shift_name": r.shift.name if r.shift
             else _("Libur"), "start": r.shift.start if r.shift else None, "end": r.shift.end if r.shift else None}
            for r in rows.order_by("date")]
