"""Discipline API: PP 94/2021 cases (list, evidence, transitions, signed documents) and an employee's own ledger."""

# No `from __future__ import annotations` in a module with @paginate views (see hadir/pagination.py).

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hadir.errors import NotFound
from hadir.files import private_file
from hadir.org.models import employee_of
from hadir.pagination import LimitOffset, Rendered

from . import cases as svc
from .absences import year_summaries
from .documents import add_document, evidence_days
from .letters import letter_pdf
from .models import Case, CaseDocument

router = Router(tags=["discipline"])


class CaseOut(Schema):
    id: int
    employee_id: int
    name: str
    nip: str
    unit: str
    year: int
    threshold: str
    sanction: str = Field(description="Hukuman menurut ambang yang terlampaui")
    level: str
    authority: str
    reason: str
    state: str
    tk_days: int
    longest_run: int
    opened_at: dt.datetime
    age_days: int
    decided_sanction: str
    decision_number: str
    decision_date: dt.date | None
    sanction_start: dt.date | None
    closing_reason: str


class EvidenceDayOut(Schema):
    date: dt.date
    status: str
    checkins: list[dict[str, Any]]
    missing: list[str] = Field(description="Presensi yang tidak ada: masuk/pulang")


class DocumentOut(Schema):
    id: int
    kind: str
    content_type: str
    uploaded_at: dt.datetime
    url: str


class CaseDetailOut(CaseOut):
    summons_number: str
    hearing_date: dt.date | None
    examination_notes: str
    evidence: list[EvidenceDayOut]
    documents: list[DocumentOut]
    options: list[dict[str, str]]
    may_act: bool


class CaseFilter(Schema):
    state: Literal["proposed", "summoned", "examined", "decided", "dismissed", "annulled", "open"] | None = None
    level: Literal["ringan", "sedang", "berat"] | None = None
    year: int | None = Field(None, ge=2000, le=2100)


class SummonIn(Schema):
    number: str = Field(..., min_length=1, max_length=100)
    hearing_date: dt.date


class ExamineIn(Schema):
    notes: str = Field(..., min_length=1, max_length=5000)


class DecideIn(Schema):
    sanction: str = Field(..., max_length=10, description="Kode ambang hukuman, mis. 11-13")
    number: str = Field(..., min_length=1, max_length=100)
    decision_date: dt.date
    start: dt.date


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class LedgerOut(Schema):
    year: int
    covered: bool
    tk_days: int
    current_run: int
    longest_run: int
    tk_dates: list[dt.date]
    sanction: str | None
    cases: list[CaseOut]


def case_out(c: Case) -> dict[str, Any]:
    return {"id": c.pk, "employee_id": c.employee_id, "name": c.employee.name, "nip": c.employee.nip or "",
            "unit": c.employee.unit.name, "year": c.year, "threshold": c.threshold,
            "sanction": svc.BY_CODE[c.threshold].name if c.threshold in svc.BY_CODE else "", "level": c.level,
            "authority": c.authority, "reason": c.reason, "state": c.state, "tk_days": c.tk_days,
            "longest_run": c.longest_run, "opened_at": c.opened_at, "age_days": (timezone.now() - c.opened_at).days,
            "decided_sanction": c.decided_sanction, "decision_number": c.decision_number,
            "decision_date": c.decision_date, "sanction_start": c.sanction_start, "closing_reason": c.closing_reason}


def detail_out(request: HttpRequest, c: Case) -> dict[str, Any]:
    return {**case_out(c), "summons_number": c.summons_number, "hearing_date": c.hearing_date,
            "examination_notes": c.examination_notes, "evidence": evidence_days(c),
            "documents": [{"id": d.pk, "kind": d.kind, "content_type": d.content_type, "uploaded_at": d.uploaded_at,
                           "url": f"/api/discipline/cases/{c.pk}/documents/{d.pk}"} for d in c.documents.all()],
            "options": [{"code": s.code, "name": s.name} for s in svc.options(c.level)],
            "may_act": svc.may_act(request.user, c)}


@router.get("/cases", response=list[CaseOut], summary="Kasus disiplin PP 94/2021 dalam cakupan Anda")
@paginate(LimitOffset, default_limit=100, max_limit=500)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    qs = svc.cases_for(request.user)
    if filters.state == "open":
        qs = qs.filter(state__in=["proposed", "summoned", "examined"])
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.year:
        qs = qs.filter(year=filters.year)
    return Rendered(qs.order_by("opened_at", "pk"), case_out)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="Satu kasus dengan bukti hari demi hari")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return detail_out(request, svc.case_for(request.user, case_id))


@router.post("/cases/{case_id}/summon", response=CaseDetailOut, summary="Panggil (surat panggilan)")
def summon(request: HttpRequest, case_id: int, payload: SummonIn) -> dict[str, Any]:
    case = svc.summon(request.user, svc.case_for(request.user, case_id), number=payload.number,
                      hearing_date=payload.hearing_date)
    return detail_out(request, case)


@router.post("/cases/{case_id}/examine", response=CaseDetailOut, summary="Catat pemeriksaan (berita acara)")
def examine(request: HttpRequest, case_id: int, payload: ExamineIn) -> dict[str, Any]:
    return detail_out(request, svc.examine(request.user, svc.case_for(request.user, case_id), notes=payload.notes))


@router.post("/cases/{case_id}/decide", response=CaseDetailOut, summary="Putuskan hukuman disiplin")
def decide(request: HttpRequest, case_id: int, payload: DecideIn) -> dict[str, Any]:
    case = svc.decide(request.user, svc.case_for(request.user, case_id), sanction=payload.sanction,
                      number=payload.number, decision_date=payload.decision_date, start=payload.start)
    return detail_out(request, case)


@router.post("/cases/{case_id}/dismiss", response=CaseDetailOut, summary="Hentikan kasus (dengan alasan)")
def dismiss(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    return detail_out(request, svc.dismiss(request.user, svc.case_for(request.user, case_id), reason=payload.reason))


@router.post("/cases/{case_id}/annul", response=CaseDetailOut, summary="Batalkan keputusan (keputusan baru)")
def annul(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, Any]:
    return detail_out(request, svc.annul(request.user, svc.case_for(request.user, case_id), reason=payload.reason))


@router.post("/cases/{case_id}/documents", response={201: DocumentOut},
             summary="Unggah dokumen yang sudah ditandatangani (PDF/JPEG/PNG, maks. 5 MB)")
def upload(request: HttpRequest, case_id: int, kind: Form[Literal["summons", "examination", "decision", "other"]],
           file: File[UploadedFile]) -> Status[dict[str, Any]]:
    doc = add_document(request.user, svc.case_for(request.user, case_id), kind, file)
    return Status(201, {"id": doc.pk, "kind": doc.kind, "content_type": doc.content_type,
                        "uploaded_at": doc.uploaded_at, "url": f"/api/discipline/cases/{case_id}/documents/{doc.pk}"})


@router.get("/cases/{case_id}/documents/{document_id}", summary="Unduh dokumen kasus", response={200: None})
def download(request: HttpRequest, case_id: int, document_id: int) -> HttpResponseBase:
    case = svc.case_for(request.user, case_id)
    doc = CaseDocument.objects.filter(case=case, pk=document_id).first()
    if doc is None:
        raise NotFound(_("Dokumen tidak ditemukan."), code="not_found")
    try:
        return private_file(doc.file, content_type=doc.content_type, as_attachment=True)
    except FileNotFoundError:
        raise NotFound(_("Berkas dokumen tidak ada lagi."), code="gone") from None


@router.get("/ledger/me", response=LedgerOut, summary="Catatan ketidakhadiran dan kasus saya setahun")
def my_ledger(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)) -> dict[str, Any]:  # noqa: B008
    me = employee_of(request.user)
    if me is None:
        raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
    today = timezone.localdate()
    year = year or today.year
    summary = year_summaries([me.pk], min(today, dt.date(year, 12, 31)), through=True)[me.pk]
    return {"year": year, "covered": summary.covered, "tk_days": summary.total_tk,
            "current_run": summary.current_streak, "longest_run": summary.longest_streak,
            "tk_dates": summary.tk_days, "sanction": summary.sanction.name if summary.sanction else None,
            "cases": [case_out(c) for c in svc.cases_for(request.user).filter(employee=me, year=year)]}


@router.get("/cases/{case_id}/letters/{kind}", summary="Surat kasus sebagai PDF: panggilan, bap, keputusan",
            response={200: None})
def letter(request: HttpRequest, case_id: int, kind: Literal["panggilan", "bap", "keputusan"]) -> HttpResponse:
    case = svc.case_for(request.user, case_id)
    response = HttpResponse(letter_pdf(case, kind), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{case.pk}.pdf"'
    return response
