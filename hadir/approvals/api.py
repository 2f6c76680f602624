"""/api/approvals: the atasan's inbox, one decision, bulk decisions, acting heads (Plt/Plh)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hadir.errors import InvalidRequest, NotAllowed, NotFound
from hadir.org.models import Employee, Position, Unit, UnitKind
from hadir.org.scoping import can_administer_unit, scope_queryset

from .models import ApprovalItem, ApprovalPolicy, Delegation, ItemKind
from .services import decide_many, inbox, policy_for_unit

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
    decided_at: dt.datetime | None
    reason: str


class InboxOut(Schema):
    count: int
    items: list[ItemOut]


def item_out(item: ApprovalItem) -> dict[str, Any]:
    emp = item.employee
    checkin = item.checkin if item.kind == ItemKind.CHECKIN else None
    leave = item.leave_request if item.kind == ItemKind.LEAVE else None
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
        "decided_at": item.decided_at,
        "reason": item.reason,
    }


class InboxFilter(Schema):
    kind: Literal["checkin", "leave"] | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/inbox", response=InboxOut, summary="Item yang menunggu keputusan saya")
def get_inbox(request: HttpRequest, filters: Query[InboxFilter]) -> dict[str, Any]:
    qs = inbox(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [item_out(i) for i in page]}


class DecisionIn(Schema):
    decision: Literal["approve", "reject"] = Field(
        ..., description="approve = valid/setujui; reject = tidak valid/tolak (wajib dengan alasan)"
    )
    reason: str = Field("", max_length=300)


def _reload(ids: list[int]) -> list[ApprovalItem]:
    rows = ApprovalItem.objects.select_related(
        "employee__unit", "employee__position", "approver_position", "checkin__location", "leave_request"
    ).in_bulk(ids)
    return [rows[i] for i in ids]


@router.post("/items/{item_id}/decision", response=ItemOut, summary="Putuskan satu item")
def post_decision(request: HttpRequest, item_id: int, payload: DecisionIn) -> dict[str, Any]:
    decide_many([item_id], request.user, payload.decision == "approve", payload.reason)
    return item_out(_reload([item_id])[0])


class BulkIn(DecisionIn):
    ids: list[int] = Field(..., min_length=1, max_length=500)


class BulkOut(Schema):
    decided: int
    items: list[ItemOut]


@router.post("/bulk", response=BulkOut, summary="Putuskan banyak item sekaligus (semua atau tidak sama sekali)")
def post_bulk(request: HttpRequest, payload: BulkIn) -> dict[str, Any]:
    ids = list(dict.fromkeys(payload.ids))
    decide_many(ids, request.user, payload.decision == "approve", payload.reason)
    return {"decided": len(ids), "items": [item_out(i) for i in _reload(ids)]}


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


def _require_admin(request: HttpRequest) -> None:
    from hadir.org.scoping import admin_paths

    if admin_paths(request.user) == []:
        raise NotAllowed(_("Anda tidak memiliki peran administrasi."), code="forbidden")


@router.get("/delegations", response=list[DelegationOut], summary="Plt/Plh dalam cakupan Anda")
def list_delegations(request: HttpRequest) -> list[dict[str, Any]]:
    _require_admin(request)
    qs = scope_queryset(request.user, Delegation.objects.select_related("position", "delegate"), "position__unit")
    return [delegation_out(d) for d in qs.order_by("-start_date")[:500]]


@router.post("/delegations", response={201: DelegationOut}, summary="Tetapkan Plt/Plh")
def create_delegation(request: HttpRequest, payload: DelegationIn) -> Status[dict[str, Any]]:
    from hadir.audit.services import record, snapshot

    _require_admin(request)
    position = Position.objects.select_related("unit").filter(pk=payload.position_id).first()
    if position is None or not can_administer_unit(request.user, position.unit):
        raise NotFound(_("Jabatan tidak ditemukan."), field="position_id", code="not_found")
    delegate = Employee.objects.select_related("unit").filter(pk=payload.delegate_id, is_active=True).first()
    if delegate is None or not can_administer_unit(request.user, delegate.unit):
        raise NotFound(_("Pegawai tidak ditemukan."), field="delegate_id", code="not_found")
    d = Delegation(position=position, delegate=delegate, kind=payload.kind, start_date=payload.start_date,
                   end_date=payload.end_date, decree_number=payload.decree_number,
                   created_by=request.user if request.user.is_authenticated else None)
    from django.core.exceptions import ValidationError

    try:
        d.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidRequest(messages[0], field=field, code="invalid") from exc
    with transaction.atomic():
        d.save()
        record(request.user, "delegation.create", d, {}, snapshot(d))
    return Status(201, delegation_out(d))


@router.delete("/delegations/{delegation_id}", response={204: None}, summary="Cabut Plt/Plh")
def delete_delegation(request: HttpRequest, delegation_id: int) -> Status[None]:
    from hadir.audit.services import record, snapshot

    _require_admin(request)
    d = scope_queryset(request.user, Delegation.objects.all(), "position__unit").filter(pk=delegation_id).first()
    if d is None:
        raise NotFound(_("Plt/Plh tidak ditemukan."), code="not_found")
    with transaction.atomic():
        record(request.user, "delegation.delete", d, snapshot(d), {})
        d.delete()
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


def _policy_unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_administer_unit(request.user, unit):
        raise NotFound(_("Unit tidak ditemukan."), field="unit_id", code="not_found")
    if unit.kind != UnitKind.PEMDA and not unit.is_opd:
        raise InvalidRequest(_("Kebijakan hanya dapat diatur untuk Pemda atau OPD."), field="unit_id",
                       code="not_opd")
    return unit


def policy_out(unit: Unit) -> dict[str, Any]:
    row = ApprovalPolicy.objects.filter(unit=unit).first()
    mode, days = policy_for_unit(unit)
    return {"unit_id": unit.pk, "unit_name": unit.name, "mode": mode, "escalate_after_days": days,
            "inherited": row is None}


@router.get("/policies/{unit_id}", response=PolicyOut, summary="Kebijakan persetujuan Pemda/OPD")
def get_policy(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    _require_admin(request)
    return policy_out(_policy_unit(request, unit_id))


@router.put("/policies/{unit_id}", response=PolicyOut, summary="Atur kebijakan persetujuan Pemda/OPD")
def put_policy(request: HttpRequest, unit_id: int, payload: PolicyIn) -> dict[str, Any]:
    from hadir.audit.services import record, snapshot

    _require_admin(request)
    unit = _policy_unit(request, unit_id)
    with transaction.atomic():
        row = ApprovalPolicy.objects.select_for_update().filter(unit=unit).first()
        before = snapshot(row, ["mode", "escalate_after_days"]) if row else {}
        row = row or ApprovalPolicy(unit=unit)
        row.mode, row.escalate_after_days = payload.mode, payload.escalate_after_days
        row.save()
        record(request.user, "approval.policy", row, before, snapshot(row, ["mode", "escalate_after_days"]))
    return policy_out(unit)
