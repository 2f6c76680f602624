"""Reports API: a recap over a date range, the month's day-by-day grid, and the monthly CSV by NIP for e-Kinerja /
SIMPEG style imports (docs/reports.md). Scoped like the dashboard: BKPSDM the regency, an OPD head or operator
their OPD or unit; anyone else only themselves."""

# No `from __future__ import annotations` in a module with @paginate views (see hadir/pagination.py).

import csv
import datetime as dt
import io
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hadir.errors import InvalidRequest, NotFound
from hadir.files import spreadsheet_text
from hadir.org.models import Employee, Unit, employee_of
from hadir.org.scoping import board_scope

from . import excel
from . import recap as rc

router = Router(tags=["reports"])
OPD_ID = Query(None, ge=1, le=2**31 - 1, description="Satu OPD dalam cakupan Anda")


class RecapRowOut(Schema):
    employee_id: int
    nip: str
    name: str
    unit: str
    opd: str
    counts: dict[str, int]
    late_minutes: int
    early_minutes: int
    rate: float | None = Field(description="Tingkat kehadiran (docs/architecture.md §7), 0–100")


class GridOut(Schema):
    month: dt.date
    dates: list[dt.date]
    rows: list[dict[str, Any]]


def employees_for(request: HttpRequest, opd_id: int | None) -> QuerySet[Employee]:
    scope = board_scope(request.user)
    if scope is None:
        me = employee_of(request.user)
        if me is None:
            raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
        return Employee.objects.filter(pk=me.pk)
    qs = Employee.objects.filter(scope.q("unit__"), is_active=True)
    if opd_id is not None:
        opd = Unit.objects.filter(pk=opd_id).first()
        if opd is None or not scope.contains(opd):
            raise NotFound(_("OPD tidak ditemukan."), field="opd_id", code="not_found")
        qs = qs.filter(unit__opd_id=opd_id)
    return qs


def _range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidRequest(_("Tanggal akhir tidak boleh sebelum tanggal awal."), field="end")
    if (end - start).days >= rc.MAX_DAYS:
        raise InvalidRequest(_("Rentang rekap paling lama satu tahun."), field="end")


def _month(raw: str) -> dt.date:
    try:
        year, month = raw.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise InvalidRequest(_("Format bulan harus YYYY-MM."), field="month") from None


@router.get("/recap", response=list[RecapRowOut], summary="Rekap kehadiran per pegawai untuk rentang tanggal")
def get_recap(request: HttpRequest, start: dt.date, end: dt.date, opd_id: int | None = OPD_ID) -> Any:
    _range(start, end)
    return [{**r.__dict__, "rate": r.rate} for r in rc.recap(employees_for(request, opd_id), start, end)]


@router.get("/grid", response=GridOut, summary="Rekap absensi sebulan: satu kode per hari per pegawai")
def get_grid(request: HttpRequest, month: str, opd_id: int | None = OPD_ID) -> dict[str, Any]:
    first = _month(month)
    employees = employees_for(request, opd_id)
    dates, grid = rc.month_grid(employees, first)
    rows = [{"employee_id": e.pk, "nip": e.nip or "", "name": e.name, "codes": grid.get(e.pk, [""] * len(dates))}
            for e in employees.order_by("unit__path", "name", "pk")]
    return {"month": first, "dates": dates, "rows": rows}


EKINERJA_COLUMNS = ["nip", "nama", "bulan", "hari_kerja", "hadir", "terlambat", "menit_terlambat", "pulang_cepat",
                    "menit_pulang_cepat", "tanpa_keterangan", "izin", "sakit", "cuti", "dinas_luar",
                    "tingkat_kehadiran"]


@router.get("/ekinerja.csv", summary="CSV bulanan per NIP untuk impor e-Kinerja/SIMPEG", response={200: None})
def ekinerja_csv(request: HttpRequest, month: str, opd_id: int | None = OPD_ID) -> HttpResponse:
    first = _month(month)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EKINERJA_COLUMNS)
    for r in rc.recap(employees_for(request, opd_id), first, last):
        if not r.nip:
            continue  # non-ASN staff have no NIP: the systems this feeds key on it
        c = r.counts
        psw = c["psw1"] + c["psw2"] + c["psw3"] + c["psw4"]
        writer.writerow([r.nip, spreadsheet_text(r.name), f"{first:%Y-%m}", c["working_days"], c["hadir"],
                         c["terlambat"], r.late_minutes, psw, r.early_minutes, c["tk"], c["izin"], c["sakit"],
                         c["cuti"], c["dl"], "" if r.rate is None else f"{r.rate:.2f}"])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kehadiran-{first:%Y-%m}.csv"'
    return response


@router.get("/recap.xlsx", summary="Rekap kehadiran sebagai Excel (satu lembar per OPD, dengan keterangan)",
            response={200: None})
def recap_xlsx(request: HttpRequest, start: dt.date, end: dt.date, opd_id: int | None = OPD_ID) -> HttpResponse:
    _range(start, end)
    response = HttpResponse(excel.workbook(employees_for(request, opd_id), start, end),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="rekap-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response
