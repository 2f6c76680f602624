"""/api/approvals: the atasan's inbox, one decision, bulk decisions, acting heads (Plt/Plh), policies."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from hadir.org.models import Unit
from hadir.pagination import LimitOffset, Rendered

from . import services
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


class ApprovalInboxOut(Schema):
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


class ApprovalInboxFilter(FilterSchema):
    kind: Literal["checkin", "leave"] | None = None


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
