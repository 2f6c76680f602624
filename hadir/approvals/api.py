"""/api/approvals: the atasan's inbox, one decision, bulk decisions, acting heads (Plt/Plh), policies."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hadir.errors import NotFound
from hadir.files import private_file
from hadir.org.models import Unit
from hadir.pagination import LimitOffset, Rendered
from hadir.presence.models import Correction

from . import corrections, services
from .models import ApprovalItem, Delegation, ItemKind

router = Router(tags=["approvals"])


class EmployeeBrief(Schema):
    id: int
    name: str
    nip: str | None
    unit_name: str
    position_name: str | None


class CheckInBrief(Schema):
    id: int
    kind: str
    source: str
    occurred_at: dt.datetime
    local_date: dt.date
    fraud_flags: list[str]
    distance_m: float | None
    location_name: str | None
    validity: str
    photo_url: str | None


class LeaveBrief(Schema):
    id: int
    kind: str
    kind_label: str
    start_date: dt.date
    end_date: dt.date
    working_days: int
    reason: str
    letter_number: str
    destination: str
    has_document: bool


class CorrectionBrief(Schema):
    id: int
    date: dt.date
    kind: str
    time: dt.time
    reason: str
    evidence_url: str | None


class ItemOut(Schema):
    id: int
    kind: str
    status: str
    created_at: dt.datetime
    escalation_level: int
    approver_position: str | None
    employee: EmployeeBrief
    checkin: CheckInBrief | None
    leave: LeaveBrief | None
    correction: CorrectionBrief | None
    decided_at: dt.datetime | None
    reason: str


class ApprovalInboxOut(Schema):
    count: int
    items: list[ItemOut]


def item_out(item: ApprovalItem) -> dict[str, Any]:
    emp = item.employee
    checkin = item.checkin if item.kind == ItemKind.CHECKIN else None
    leave = item.leave_request if item.kind == ItemKind.LEAVE else None
    correction = item.correction if item.kind == ItemKind.CORRECTION else None
    return {
        "id": item.pk,
        "kind": item.kind,
        "status": item.status,
        "created_at": item.created_at,
        "escalation_level": item.escalation_level,
        "approver_position": item.approver_position.name if item.approver_position else None,
        "employee": {
            "id": emp.pk, "name": emp.name, "nip": emp.nip, "unit_name": emp.unit.name,
            "position_name": emp.position.name if emp.position else None,
        },
        "checkin": None if checkin is None else {
            "id": checkin.pk, "kind": checkin.kind, "source": checkin.source, "occurred_at": checkin.occurred_at,
            "local_date": checkin.local_date, "fraud_flags": list(checkin.fraud_flags or []),
            "distance_m": checkin.distance_m, "location_name": checkin.location.name if checkin.location else None,
            "validity": checkin.validity,
            "photo_url": f"/persetujuan/{item.pk}/foto/" if checkin.photo else None,
        },
        "leave": None if leave is None else {
            "id": leave.pk, "kind": leave.kind, "kind_label": leave.get_kind_display(),
            "start_date": leave.start_date, "end_date": leave.end_date, "working_days": leave.working_days,
            "reason": leave.reason, "letter_number": leave.letter_number, "destination": leave.destination,
            "has_document": bool(leave.document),
        },
        "correction": None if correction is None else {
            "id": correction.pk, "date": correction.date, "kind": correction.kind, "time": correction.time,
            "reason": correction.reason,
            "evidence_url": f"/api/approvals/corrections/{correction.pk}/evidence" if correction.evidence else None,
        },
        "decided_at": item.decided_at,
        "reason": item.reason,
    }


class ApprovalInboxFilter(FilterSchema):
    kind: Literal["checkin", "leave", "correction"] | None = None


@router.get("/inbox", response=ApprovalInboxOut, summary="Item yang menunggu keputusan saya")
@paginate(LimitOffset, default_limit=100, max_limit=500)
def get_inbox(request: HttpRequest, filters: Query[ApprovalInboxFilter]) -> dict[str, Any]:
    items = filters.filter(services.inbox(request.user))
    return {"count": items.count(), "items": Rendered(items, item_out)}


class DecisionIn(Schema):
    decision: Literal["approve", "reject"] = Field(
        ..., description="approve = valid/setujui; reject = tidak valid/tolak (wajib dengan alasan)"
    )
    reason: str = Field("", max_length=300)


@router.post("/items/{item_id}/decision", response=ItemOut, summary="Putuskan satu item")
def post_decision(request: HttpRequest, item_id: int, payload: DecisionIn) -> dict[str, Any]:
    services.decide_many([item_id], request.user, payload.decision == "approve", payload.reason)
    return item_out(services.items_by_id([item_id])[0])


class BulkIn(DecisionIn):
    ids: list[int] = Field(..., min_length=1, max_length=500)


class BulkOut(Schema):
    decided: int
    items: list[ItemOut]


@router.post("/bulk", response=BulkOut, summary="Putuskan banyak item sekaligus (semua atau tidak sama sekali)")
def post_bulk(request: HttpRequest, payload: BulkIn) -> dict[str, Any]:
    ids = list(dict.fromkeys(payload.ids))
    services.decide_many(ids, request.user, payload.decision == "approve", payload.reason)
    return {"decided": len(ids), "items": [item_out(i) for i in services.items_by_id(ids)]}


# --- acting heads --------------------------------------------------------------------------------


class DelegationIn(Schema):
    position_id: int
    delegate_id: int
    kind: Literal["plt", "plh"] = "plh"
    start_date: dt.date
    end_date: dt.date
    decree_number: str = Field("", max_length=100)


class DelegationOut(Schema):
    id: int
    position_id: int
    position_name: str
    delegate_id: int
    delegate_name: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    decree_number: str


def delegation_out(d: Delegation) -> dict[str, Any]:
    return {
        "id": d.pk, "position_id": d.position_id, "position_name": d.position.name, "delegate_id": d.delegate_id,
        "delegate_name": d.delegate.name, "kind": d.kind, "start_date": d.start_date, "end_date": d.end_date,
        "decree_number": d.decree_number,
    }


@router.get("/delegations", response=list[DelegationOut], summary="Plt/Plh dalam cakupan Anda")
def list_delegations(request: HttpRequest) -> list[dict[str, Any]]:
    return [delegation_out(d) for d in services.delegations_for(request.user)]


@router.post("/delegations", response={201: DelegationOut}, summary="Tetapkan Plt/Plh")
def create_delegation(request: HttpRequest, payload: DelegationIn) -> Status[dict[str, Any]]:
    d = services.appoint_acting_head(
        request.user, position_id=payload.position_id, delegate_id=payload.delegate_id, kind=payload.kind,
        start_date=payload.start_date, end_date=payload.end_date, decree_number=payload.decree_number,
    )
    return Status(201, delegation_out(d))


@router.delete("/delegations/{delegation_id}", response={204: None}, summary="Cabut Plt/Plh")
def delete_delegation(request: HttpRequest, delegation_id: int) -> Status[None]:
    services.revoke_acting_head(request.user, delegation_id)
    return Status(204, None)


# --- policies ------------------------------------------------------------------------------------


class PolicyOut(Schema):
    unit_id: int
    unit_name: str
    mode: str
    escalate_after_days: int
    inherited: bool  # True: no row for this unit; the regency's (or the default) applies


class PolicyIn(Schema):
    mode: Literal["none", "all", "flagged", "apel"]
    escalate_after_days: int = Field(3, ge=1, le=60)


def policy_out(unit: Unit) -> dict[str, Any]:
    mode, days = services.policy_for_unit(unit)
    return {"unit_id": unit.pk, "unit_name": unit.name, "mode": mode, "escalate_after_days": days,
            "inherited": not services.has_own_policy(unit)}


@router.get("/policies/{unit_id}", response=PolicyOut, summary="Kebijakan persetujuan Pemda/OPD")
def get_policy(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    return policy_out(services.policy_unit(request.user, unit_id))


@router.put("/policies/{unit_id}", response=PolicyOut, summary="Atur kebijakan persetujuan Pemda/OPD")
def put_policy(request: HttpRequest, unit_id: int, payload: PolicyIn) -> dict[str, Any]:
    return policy_out(services.set_policy(request.user, unit_id, payload.mode, payload.escalate_after_days))


# --- koreksi presensi ----------------------------------------------------------------------------


class CorrectionOut(Schema):
    id: int
    employee_id: int
    employee_name: str
    date: dt.date
    kind: str
    kind_label: str
    time: dt.time
    reason: str
    status: str
    status_label: str
    evidence_url: str | None
    filed_at: dt.datetime
    filed_by_someone_else: bool
    decided_at: dt.datetime | None
    decision_reason: str


def correction_out(c: Correction) -> dict[str, Any]:
    return {
        "id": c.pk, "employee_id": c.employee_id, "employee_name": c.employee.name, "date": c.date, "kind": c.kind,
        "kind_label": c.get_kind_display(), "time": c.time, "reason": c.reason, "status": c.status,
        "status_label": c.get_status_display(),
        "evidence_url": f"/api/approvals/corrections/{c.pk}/evidence" if c.evidence else None,
        "filed_at": c.filed_at, "filed_by_someone_else": c.filed_by_id is not None and c.filed_by_id != c.employee.user_id,
        "decided_at": c.decided_at, "decision_reason": c.decision_reason,
    }


class CorrectionIn(Schema):
    date: dt.date = Field(description="Tanggal kerja yang dikoreksi (YYYY-MM-DD)")
    kind: Literal["masuk", "pulang"]
    time: dt.time = Field(description="Jam presensi yang benar, waktu setempat (HH:MM)")
    reason: str = Field(..., min_length=1, max_length=300)
    employee_id: int | None = Field(None, description="Untuk operator/BKPSDM: pegawai yang diwakili")


class CorrectionFilter(FilterSchema):
    status: Literal["pending", "approved", "rejected", "cancelled"] | None = None
    employee_id: int | None = None


@router.post("/corrections", response={201: CorrectionOut}, summary="Ajukan koreksi presensi (multipart)",
             description="Lupa presensi atau mesin mati: tanggal, masuk/pulang, jam, alasan, dan `evidence` (foto "
             "atau surat: PDF/JPEG/PNG, maks. 5 MB). Operator OPD dan admin BKPSDM dapat mengajukan atas nama "
             "pegawai di unit yang dikelolanya (`employee_id`). Diputuskan berjenjang seperti presensi lain.")
def create_correction(request: HttpRequest, payload: Form[CorrectionIn],
                      evidence: UploadedFile | None = File(None)) -> Status[dict[str, Any]]:  # noqa: B008
    employee = corrections.employee_to_file_for(request.user, payload.employee_id)
    created = corrections.file_correction(employee, request.user, corrections.CorrectionInput(
        date=payload.date, kind=payload.kind, time=payload.time, reason=payload.reason, evidence=evidence))
    return Status(201, correction_out(created))


@router.get("/corrections", response=list[CorrectionOut], summary="Koreksi presensi yang dapat saya lihat")
@paginate(LimitOffset, default_limit=100, max_limit=500)
def list_corrections(request: HttpRequest, filters: Query[CorrectionFilter]) -> Rendered[Correction, dict[str, Any]]:
    return Rendered(filters.filter(corrections.corrections_for(request.user)), correction_out)


@router.get("/corrections/{correction_id}", response=CorrectionOut, summary="Satu koreksi presensi")
def get_correction(request: HttpRequest, correction_id: int) -> dict[str, Any]:
    return correction_out(corrections.visible_correction(request.user, correction_id))


@router.post("/corrections/{correction_id}/cancel", response=CorrectionOut, summary="Batalkan koreksi yang menunggu")
def cancel_correction(request: HttpRequest, correction_id: int) -> dict[str, Any]:
    found = corrections.visible_correction(request.user, correction_id)
    return correction_out(corrections.cancel_correction(found, request.user))


@router.get("/corrections/{correction_id}/evidence", summary="Unduh bukti koreksi", response={200: None})
def get_correction_evidence(request: HttpRequest, correction_id: int) -> HttpResponseBase:
    found = corrections.visible_correction(request.user, correction_id)
    if not found.evidence:
        raise NotFound(_("Koreksi ini tidak memiliki bukti."), code="not_found")
    ext = str(found.evidence.name).rsplit(".", 1)[-1]
    return private_file(found.evidence, content_type=found.evidence_type or "application/octet-stream",
                        filename=f"bukti-koreksi-{found.pk}.{ext}")
