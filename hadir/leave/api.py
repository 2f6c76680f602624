"""/api/leave: an employee's izin/cuti/dinas luar requests, their quota, cancelling, documents."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from functools import partial
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, FilterLookup, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hadir.files import private_file
from hadir.pagination import LimitOffset, Rendered

from . import rules, services
from .models import LeaveKind, LeaveRequest

router = Router(tags=["leave"])


class KindOut(Schema):
    code: str
    label: str
    day_status: str
    lifts_geofence: bool
    requires_document: bool
    requires_letter: bool


@router.get("/kinds", response=list[KindOut], summary="Jenis izin/cuti yang dapat saya ajukan")
def list_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": k.value, "label": str(k.label), "day_status": rules.DAY_STATUS[k.value],
         "lifts_geofence": k.value in rules.DUTY_KINDS, "requires_document": k.value in rules.DOCUMENT_REQUIRED,
         "requires_letter": k.value in rules.LETTER_REQUIRED}
        for k in services.filable_kinds(services.own_employee(request.user))
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
    emp = services.own_employee(request.user)
    q = services.quota_for(emp, filters.year or services.local_today(emp).year)
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
        "reference": req.reference, "can_cancel": services.can_cancel(user, req),
    }


class LeaveFilter(FilterSchema):
    status: Literal["pending", "approved", "rejected", "cancelled"] | None = None
    year: Annotated[int | None, FilterLookup(["start_date__year__lte", "end_date__year__gte"],
                                             expression_connector="AND")] = Field(None, ge=2000, le=2100)


@router.get("/requests", response=list[LeaveOut], summary="Pengajuan saya")
@paginate(LimitOffset, default_limit=100, max_limit=500)
def list_requests(request: HttpRequest, filters: Query[LeaveFilter]) -> Rendered[LeaveRequest, dict[str, Any]]:
    return Rendered(filters.filter(services.own_requests(request.user)), partial(leave_out, user=request.user))


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
    emp = services.own_employee(request.user)
    req = services.request_leave(emp, request.user, services.LeaveInput(
        kind=payload.kind.value, start_date=payload.start_date, end_date=payload.end_date, reason=payload.reason,
        letter_number=payload.letter_number, destination=payload.destination, document=document,
    ))
    return Status(201, leave_out(req, request.user))


@router.get("/requests/{request_id}", response=LeaveOut, summary="Satu pengajuan")
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return leave_out(services.visible_request(request.user, request_id), request.user)


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


@router.post("/requests/{request_id}/cancel", response=LeaveOut, summary="Batalkan pengajuan")
def post_cancel(request: HttpRequest, request_id: int, payload: CancelIn) -> dict[str, Any]:
    req = services.cancel_request(services.visible_request(request.user, request_id), request.user, payload.reason)
    return leave_out(req, request.user)


@router.get("/requests/{request_id}/document", summary="Unduh dokumen pendukung", response={200: None})
def get_document(request: HttpRequest, request_id: int) -> HttpResponseBase:
    req = services.request_with_document(request.user, request_id)
    ext = str(req.document.name).rsplit(".", 1)[-1]
    return private_file(req.document, content_type=req.document_type or "application/octet-stream",
                        filename=f"dokumen-{req.pk}.{ext}")
