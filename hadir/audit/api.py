"""/api/audit (for BKPSDM and super-admins): read the trail, the history of one object, verify the chain.

Mount in hadir/api.py with `api.add_router("/audit", audit_router)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hadir.errors import NotAllowed
from hadir.org.scoping import is_bkpsdm

from .models import AuditEntry
from .services import verify_chain

router = Router(tags=["audit"])


def _require_bkpsdm(request: HttpRequest) -> None:
    if not is_bkpsdm(request.user):
        raise NotAllowed(_("Jejak audit hanya untuk BKPSDM dan super-admin."), code="forbidden")


class EntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: str
    target_repr: str
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    prev_hash: str
    hash: str


class EntryFilter(Schema):
    action: str | None = Field(None, max_length=60)
    target_type: str | None = Field(None, max_length=100, description="mis. leave.leaverequest")
    target_id: str | None = Field(None, max_length=64)
    actor: str | None = Field(None, max_length=150, description="nama pengguna pelaku")
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


@router.get("/entries", response=list[EntryOut], summary="Entri jejak audit (terbaru dahulu)")
def list_entries(request: HttpRequest, filters: Query[EntryFilter]) -> list[AuditEntry]:
    _require_bkpsdm(request)
    qs = AuditEntry.objects.all()
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id)
    if filters.actor:
        qs = qs.filter(actor_name=filters.actor)
    if filters.since:
        qs = qs.filter(at__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__lt=filters.until)
    return list(qs.order_by("-seq")[filters.offset : filters.offset + filters.limit])


class VerifyOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    problem: str


@router.get("/verify", response=VerifyOut, summary="Periksa keutuhan rantai hash")
def get_verify(request: HttpRequest) -> dict[str, Any]:
    _require_bkpsdm(request)
    report = verify_chain()
    return {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq, "problem": report.problem}
