"""Reports API: a recap over a date range, the month's day-by-day grid, and the monthly CSV by NIP for e-Kinerja /
SIMPEG style imports (docs/reports.md). Scoped like the dashboard: BKPSDM the regency, an OPD head or operator
their OPD or unit; anyone else only themselves."""

# No `from __future__ import annotations` in a module with @paginate views (see hadir/pagination.py).

import csv
import datetime as dt
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hadir.errors import InvalidRequest, NotFound
from hadir.files import private_file, spreadsheet_text

from . import excel, exports
from . import recap as rc
from . import scope as sc
from .models import Export, ExportFormat, ExportStatus

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


UNIT_ID = Query(None, ge=1, le=2**31 - 1, description="Satu unit dalam cakupan Anda")
EMPLOYEE_ID = Query(None, ge=1, le=2**31 - 1, description="Satu pegawai dalam cakupan Anda")


def _select(request: HttpRequest, start: dt.date, end: dt.date, opd_id: int | None, unit_id: int | None = None,
            employee_id: int | None = None) -> sc.Selection:
    return sc.select(request.user, start, end, opd_id=opd_id, unit_id=unit_id, employee_id=employee_id)


def _row(r: rc.RecapRow) -> dict[str, Any]:
    return {**r.__dict__, "rate": r.rate}


@router.get("/recap", response=list[RecapRowOut], summary="Rekap kehadiran per pegawai untuk rentang tanggal")
def get_recap(request: HttpRequest, start: dt.date, end: dt.date, opd_id: int | None = OPD_ID,
              unit_id: int | None = UNIT_ID, employee_id: int | None = EMPLOYEE_ID) -> Any:
    sel = _select(request, start, end, opd_id, unit_id, employee_id)
    return [_row(r) for r in rc.recap(sel.employees, sel.start, sel.end)]


@router.get("/grid", response=GridOut, summary="Rekap absensi sebulan: satu kode per hari per pegawai")
def get_grid(request: HttpRequest, month: str, opd_id: int | None = OPD_ID, unit_id: int | None = UNIT_ID,
             employee_id: int | None = EMPLOYEE_ID) -> dict[str, Any]:
    first, last = sc.month_period(sc.parse_month(month))
    employees = _select(request, first, last, opd_id, unit_id, employee_id).employees
    dates, grid = rc.month_grid(employees, first)
    rows = [{"employee_id": e.pk, "nip": e.nip or "", "name": e.name, "codes": grid.get(e.pk, [""] * len(dates))}
            for e in employees.order_by("unit__path", "name", "pk")]
    return {"month": first, "dates": dates, "rows": rows}


EKINERJA_COLUMNS = ["nip", "nama", "bulan", "hari_kerja", "hadir", "terlambat", "menit_terlambat", "pulang_cepat",
                    "menit_pulang_cepat", "tanpa_keterangan", "izin", "sakit", "cuti", "dinas_luar",
                    "tingkat_kehadiran"]


@router.get("/ekinerja.csv", summary="CSV bulanan per NIP untuk impor e-Kinerja/SIMPEG", response={200: None})
def ekinerja_csv(request: HttpRequest, month: str, opd_id: int | None = OPD_ID) -> HttpResponse:
    first, last = sc.month_period(sc.parse_month(month))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EKINERJA_COLUMNS)
    for r in rc.recap(_select(request, first, last, opd_id).employees, first, last):
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
def recap_xlsx(request: HttpRequest, start: dt.date, end: dt.date, opd_id: int | None = OPD_ID,
               unit_id: int | None = UNIT_ID, employee_id: int | None = EMPLOYEE_ID) -> HttpResponse:
    sel = _select(request, start, end, opd_id, unit_id, employee_id)
    response = HttpResponse(excel.workbook(sel.employees, sel.start, sel.end),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="rekap-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response


class ExportIn(Schema):
    start: dt.date
    end: dt.date
    format: str = Field(description="xlsx atau pdf")
    opd_id: int | None = Field(None, ge=1, le=2**31 - 1)
    unit_id: int | None = Field(None, ge=1, le=2**31 - 1)
    employee_id: int | None = Field(None, ge=1, le=2**31 - 1)


class ExportOut(Schema):
    id: int
    format: str
    label: str
    status: str
    progress: int
    employees: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download_url: str | None = Field(description="Ada bila status 'done'")


def _export_out(job: Export) -> dict[str, Any]:
    done = job.status == ExportStatus.DONE
    return {"id": job.pk, "format": job.format, "label": job.label, "status": job.status, "progress": job.progress,
            "employees": job.employees, "created_at": job.created_at, "finished_at": job.finished_at,
            "download_url": f"/api/reports/exports/{job.pk}/download" if done else None}


@router.post("/exports", response={202: ExportOut}, summary="Buat berkas rekap di latar belakang (Excel/PDF)")
def create_export(request: HttpRequest, payload: ExportIn) -> Any:
    if payload.format not in ExportFormat.values:
        raise InvalidRequest(_("Format harus xlsx atau pdf."), field="format")
    sel = _select(request, payload.start, payload.end, payload.opd_id, payload.unit_id, payload.employee_id)
    return Status(202, _export_out(exports.request_export(request.user, sel, payload.format)))


@router.get("/exports/{export_id}", response=ExportOut, summary="Status dan kemajuan berkas rekap")
def get_export(request: HttpRequest, export_id: int) -> Any:
    return _export_out(exports.get_visible(request.user, export_id))


@router.get("/exports/{export_id}/download", response={200: None}, summary="Unduh berkas rekap yang sudah selesai")
def download_export(request: HttpRequest, export_id: int) -> HttpResponseBase:
    job = exports.get_visible(request.user, export_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise NotFound(_("Berkas rekap belum selesai."), code="not_ready")
    try:
        return private_file(job.file, content_type=exports.CONTENT_TYPES[ExportFormat(job.format)],
                            filename=job.filename, as_attachment=True)
    except FileNotFoundError:
        raise NotFound(_("Berkas rekap tidak ditemukan."), code="not_found") from None
