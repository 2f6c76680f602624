"""/api/leave: an employee's izin/cuti/dinas luar requests, their quota, cancelling, documents."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from hadir.errors import NotAllowed, NotFound
from hadir.org.models import Employee, employee_of

from . import rules
from .models import LeaveKind, LeaveRequest
from .services import LeaveInput, can_cancel, cancel_request, local_today, quota_for, request_leave, visible_to

router = Router(tags=["leave"])


def _me(request: HttpRequest) -> Employee:
    emp = employee_of(request.user)
    if emp is None:
        raise NotAllowed(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
    return emp


class KindOut(Schema):
    code: str
    label: str
    day_status: str
    lifts_geofence: bool
    requires_document: bool
    requires_letter: bool


@router.get("/kinds", response=list[KindOut], summary="Jenis izin/cuti yang dapat saya ajukan")
def list_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    emp = _me(request)
    allowed = rules.ALLOWED_KINDS.get(emp.kind, frozenset())
    return [
        {"code": k.value, "label": str(k.label), "day_status": rules.DAY_STATUS[k.value],
         "lifts_geofence": k.value in rules.DUTY_KINDS, "requires_document": k.value in rules.DOCUMENT_REQUIRED,
         "requires_letter": k.value in rules.LETTER_REQUIRED}
        for k in LeaveKind if k.value in allowed
    ]


class QuotaOut(Schema):
    year: int
    own: int
    carried: int
    total: int
    used: int
    pending: int
    remaining: int
    available: int


class YearFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/quota", response=QuotaOut, summary="Sisa cuti tahunan saya")
def get_quota(request: HttpRequest, filters: Query[YearFilter]) -> dict[str, Any]:
    emp = _me(request)
    q = quota_for(emp, filters.year or local_today(emp).year)
    return {"year": q.year, "own": q.own, "carried": q.carried, "total": q.total, "used": q.used,
            "pending": q.pending, "remaining": q.remaining, "available": q.available}


class LeaveOut(Schema):
    id: int
    employee_id: int
    employee_name: str
    kind: str
    kind_label: str
    start_date: dt.date
    end_date: dt.date
    days: int
    working_days: int
    reason: str
    status: str
    status_label: str
    letter_number: str
    destination: str
    document_url: str | None
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    reference: str
    can_cancel: bool


def leave_out(req: LeaveRequest, user: Any) -> dict[str, Any]:
    return {
        "id": req.pk, "employee_id": req.employee_id, "employee_name": req.employee.name, "kind": req.kind,
        "kind_label": req.get_kind_display(), "start_date": req.start_date, "end_date": req.end_date,
        "days": req.days, "working_days": req.working_days, "reason": req.reason, "status": req.status,
        "status_label": req.get_status_display(), "letter_number": req.letter_number,
        "destination": req.destination,
        "document_url": f"/api/leave/requests/{req.pk}/document" if req.document else None,
        "requested_at": req.requested_at, "decided_at": req.decided_at, "decision_reason": req.decision_reason,
        "reference": req.reference, "can_cancel": can_cancel(user, req),
    }


class LeaveFilter(Schema):
    status: Literal["pending", "approved", "rejected", "cancelled"] | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/requests", response=list[LeaveOut], summary="Pengajuan saya")
def list_requests(request: HttpRequest, filters: Query[LeaveFilter]) -> list[dict[str, Any]]:
    emp = _me(request)
    qs = LeaveRequest.objects.filter(employee=emp).select_related("employee__unit")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(start_date__year__lte=filters.year, end_date__year__gte=filters.year)
    return [leave_out(r, request.user) for r in qs[filters.offset : filters.offset + filters.limit]]


class LeaveIn(Schema):
    kind: LeaveKind
    start_date: dt.date
    end_date: dt.date
    reason: str = Field(..., min_length=1, max_length=1000)
    letter_number: str = Field("", max_length=100)
    destination: str = Field("", max_length=200)


@router.post("/requests", response={201: LeaveOut}, summary="Ajukan izin/cuti/dinas luar (multipart)",
             description="Form multipart; `document` (PDF/JPEG/PNG, maks. 5 MB) wajib untuk dinas luar "
             "(surat tugas) dan cuti sakit (surat dokter).")
def create_request(request: HttpRequest, payload: Form[LeaveIn],
                   document: UploadedFile | None = File(None)) -> Status[dict[str, Any]]:  # noqa: B008
    emp = _me(request)
    req = request_leave(emp, request.user, LeaveInput(
        kind=payload.kind.value, start_date=payload.start_date, end_date=payload.end_date, reason=payload.reason,
        letter_number=payload.letter_number, destination=payload.destination, document=document,
    ))
    return Status(201, leave_out(req, request.user))


def _visible(request: HttpRequest, request_id: int) -> LeaveRequest:
    req = (LeaveRequest.objects.filter(visible_to(request.user)).select_related("employee__unit")
           .filter(pk=request_id).first())
    if req is None:
        raise NotFound(_("Pengajuan tidak ditemukan."), code="not_found")
    return req


@router.get("/requests/{request_id}", response=LeaveOut, summary="Satu pengajuan")
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return leave_out(_visible(request, request_id), request.user)


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


@router.post("/requests/{request_id}/cancel", response=LeaveOut, summary="Batalkan pengajuan")
def post_cancel(request: HttpRequest, request_id: int, payload: CancelIn) -> dict[str, Any]:
    req = cancel_request(_visible(request, request_id), request.user, payload.reason)
    return leave_out(req, request.user)


@router.get("/requests/{request_id}/document", summary="Unduh dokumen pendukung", response={200: None})
def get_document(request: HttpRequest, request_id: int) -> FileResponse:
    req = _visible(request, request_id)
    if not req.document:
        raise NotFound(_("Pengajuan ini tidak memiliki dokumen."), code="not_found")
    ext = str(req.document.name).rsplit(".", 1)[-1]
    response = FileResponse(req.document.open("rb"), content_type=req.document_type or "application/octet-stream",
                            as_attachment=False, filename=f"dokumen-{req.pk}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
