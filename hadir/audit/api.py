"""/api/audit (for BKPSDM and super-admins): read the trail, verify the chain."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from hadir.pagination import LimitOffset, OptionalText

from .models import AuditEntry
from .services import require_auditor, trail, verify_chain

router = Router(tags=["audit"])


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


class EntryFilter(FilterSchema):
    action: OptionalText = Field(None, max_length=60)
    target_type: OptionalText = Field(None, max_length=100, description="mis. leave.leaverequest")
    target_id: OptionalText = Field(None, max_length=64)
    actor: Annotated[OptionalText, FilterLookup("actor_name")] = Field(None, max_length=150,
                                                                       description="nama pengguna pelaku")
    since: Annotated[dt.datetime | None, FilterLookup("at__gte")] = None
    until: Annotated[dt.datetime | None, FilterLookup("at__lt")] = None


@router.get("/entries", response=list[EntryOut], summary="Entri jejak audit (terbaru dahulu)")
@paginate(LimitOffset, default_limit=100, max_limit=1000)
def list_entries(request: HttpRequest, filters: Query[EntryFilter]) -> QuerySet[AuditEntry]:
    return filters.filter(trail(request.user))


class VerifyOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    problem: str


@router.get("/verify", response=VerifyOut, summary="Periksa keutuhan rantai hash")
def get_verify(request: HttpRequest) -> dict[str, Any]:
    require_auditor(request.user)
    report = verify_chain()
    return {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq, "problem": report.problem}
