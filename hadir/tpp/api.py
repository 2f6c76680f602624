"""TPP API: an employee's "why was my TPP cut", lists and totals in scope, and BKPSDM's compute / close /
imports / Excel."""

# No `from __future__ import annotations` in a module with @paginate views (see hadir/pagination.py).

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hadir.errors import InvalidRequest, NotFound, TooLarge
from hadir.org.models import Unit, employee_of
from hadir.pagination import LimitOffset, Rendered

from . import export, services
from .models import Result, RuleSet

router = Router(tags=["tpp"])

MAX_UPLOAD = 10 * 1024 * 1024


class LineOut(Schema):
    date: dt.date | None
    event: str
    pct: str
    amount: int
    note: str
    of_month: dt.date | None


class ResultOut(Schema):
    month: dt.date
    employee_id: int
    name: str
    nip: str
    opd: str
    rule_set: str
    legal_basis: str
    working_days: int
    base: int
    gross: int = Field(description="TPP setelah persentase jenis pegawai (CPNS 80 %)")
    share: int = Field(description="Bagian disiplin kerja: batas potongan kehadiran sebulan")
    cuts: int = Field(description="Potongan kehadiran setelah batas")
    cuts_uncapped: int
    no_tpp: int
    sanction: int
    adjustment: int
    net: int
    closed: bool


class ResultDetailOut(ResultOut):
    lines: list[LineOut]


class OpdTotalOut(Schema):
    opd_id: int | None
    name: str
    employees: int
    gross: int
    cuts: int
    no_tpp: int
    sanction: int
    adjustment: int
    net: int
    closed: bool


class MonthIn(Schema):
    month: str = Field(description="YYYY-MM", examples=["2026-11"], max_length=7)
    opd_id: int | None = Field(None, ge=1, le=2**31 - 1)


class RunOut(Schema):
    month: dt.date
    computed: int
    skipped_closed: int
    no_rule_set: int
    adjustments: int


class CloseOut(Schema):
    month: dt.date
    closed_opds: list[int]


class BaseImportOut(Schema):
    rows: int
    created: int
    updated: int
    errors: list[dict[str, Any]]
    sha256: str


class BaseImportFailedOut(Schema):
    """A refused import: the row errors (422) — or, when the file itself cannot be read (400, 413), the common
    error body ({message, errors, code}) with the report fields absent."""

    message: str
    errors: list[dict[str, Any]]
    code: str | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    sha256: str = ""


class RuleSetOut(Schema):
    id: int
    name: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None


def result_out(r: Result) -> dict[str, Any]:
    return {"month": r.month, "employee_id": r.employee_id, "name": r.employee.name, "nip": r.employee.nip or "",
            "opd": r.opd.name if r.opd else "", "rule_set": r.rule_set.name, "legal_basis": r.rule_set.legal_basis,
            "working_days": r.working_days, "base": r.base, "gross": r.gross, "share": r.share, "cuts": r.cuts,
            "cuts_uncapped": r.cuts_uncapped, "no_tpp": r.no_tpp, "sanction": r.sanction,
            "adjustment": r.adjustment, "net": r.net, "closed": r.closed}


def detail_out(r: Result) -> dict[str, Any]:
    return {**result_out(r), "lines": [
        {"date": ln.date, "event": ln.event, "pct": str(ln.pct.normalize()), "amount": ln.amount, "note": ln.note,
         "of_month": ln.of_month} for ln in r.lines.all()]}


def _month(month: str) -> dt.date:
    return services.parse_month(month)


@router.get("/me", response=ResultDetailOut, summary="TPP saya sebulan, dengan rincian potongannya")
def my_tpp(request: HttpRequest, month: str) -> dict[str, Any]:
    me = employee_of(request.user)
    if me is None:
        raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
    return detail_out(services.result_for(request.user, _month(month), me.pk))


@router.get("/results", response=list[ResultOut], summary="TPP sebulan dalam cakupan Anda")
@paginate(LimitOffset, default_limit=100, max_limit=1000)
def list_results(request: HttpRequest, month: str, opd_id: int | None = None) -> Any:
    qs = services.results_for(request.user, _month(month)).order_by("opd__name", "employee__name")
    if opd_id:
        qs = qs.filter(opd_id=opd_id)
    return Rendered(qs, result_out)


@router.get("/results/{employee_id}", response=ResultDetailOut, summary="TPP satu pegawai sebulan, dengan rincian")
def get_result(request: HttpRequest, employee_id: int, month: str) -> dict[str, Any]:
    return detail_out(services.result_for(request.user, _month(month), employee_id))


@router.get("/totals", response=list[OpdTotalOut], summary="Jumlah TPP per OPD sebulan (dalam cakupan Anda)")
def totals(request: HttpRequest, month: str) -> list[Any]:
    return services.totals_by_opd(services.results_for(request.user, _month(month)))


@router.post("/compute", response=RunOut, summary="Hitung (ulang) TPP sebulan — admin BKPSDM")
def compute(request: HttpRequest, payload: MonthIn) -> Any:
    return services.compute(request.user, _month(payload.month), payload.opd_id)


@router.post("/close", response=CloseOut, summary="Tutup TPP sebulan (satu OPD atau semua) — admin BKPSDM")
def close(request: HttpRequest, payload: MonthIn) -> dict[str, Any]:
    periods = services.close(request.user, _month(payload.month), payload.opd_id)
    return {"month": _month(payload.month), "closed_opds": [p.opd_id for p in periods]}


@router.get("/export", summary="Daftar nominatif TPP (.xlsx), satu lembar per OPD", response={200: None})
def export_xlsx(request: HttpRequest, month: str, opd_id: int | None = None) -> HttpResponse:
    first = _month(month)
    qs = services.results_for(request.user, first)
    opd = None
    if opd_id:
        opd = Unit.objects.filter(pk=opd_id).first()
        qs = qs.filter(opd_id=opd_id)
    response = HttpResponse(export.daftar_nominatif(qs, first),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(first, opd)}"'
    return response


def _read(upload: UploadedFile) -> bytes:
    if (upload.size or 0) > MAX_UPLOAD:
        raise TooLarge(_("Berkas terlalu besar (maks. 10 MB)."), field="file")
    return upload.read()


@router.post("/bases/import", response={200: BaseImportOut, 400: BaseImportFailedOut, 413: BaseImportFailedOut,
                                         422: BaseImportFailedOut},
             summary="Impor TPP dasar dari Excel (semua atau tidak sama sekali) — admin BKPSDM",
             description="Kolom: NIP, jumlah (atau kelas_jabatan dan nilai_per_kelas), golongan, berlaku_mulai. "
             "Bila ada baris yang salah, jawaban 422 memuat `errors` per baris dan tidak ada yang disimpan.")
def import_bases(request: HttpRequest, file: File[UploadedFile], valid_from: dt.date | None = None) -> Any:
    report = services.import_bases(request.user, _read(file), file.name or "", valid_from=valid_from)
    if report.errors:
        message = _("%(n)d baris salah; tidak ada yang disimpan.") % {"n": len(report.errors)}
        return Status(422, {**report.__dict__, "message": message, "code": "row_errors"})
    return Status(200, report)


@router.get("/rulesets", response=list[RuleSetOut], summary="Aturan TPP (Perbup)")
def rule_sets(request: HttpRequest) -> Any:
    services.require_manager(request.user)
    return list(RuleSet.objects.order_by("-valid_from")[:200])


@router.get("/rulesets/{rule_set_id}/export", summary="Aturan TPP sebagai berkas (JSON) untuk dibagikan")
def export_rule_set(request: HttpRequest, rule_set_id: int) -> HttpResponse:
    services.require_manager(request.user)
    rs = RuleSet.objects.filter(pk=rule_set_id).first()
    if rs is None:
        raise NotFound(_("Aturan TPP tidak ditemukan."), code="not_found")
    response = HttpResponse(json.dumps(services.export_rule_set(rs), ensure_ascii=False, indent=1),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="aturan-tpp-{rs.pk}.json"'
    return response


@router.post("/rulesets/import", response={201: RuleSetOut}, summary="Impor aturan TPP dari berkas — admin BKPSDM")
def import_rule_set(request: HttpRequest, file: File[UploadedFile]) -> Status[RuleSet]:
    if not file:
        raise InvalidRequest(_("Pilih berkas."), field="file")
    return Status(201, services.import_rule_set(request.user, _read(file)))
