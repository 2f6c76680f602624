"""/api/dashboard: the board's data as JSON (same scoping as the pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from hadir.discipline.absences import absence_report
from hadir.discipline.rules import DISMISSAL_CONSECUTIVE_DAYS
from hadir.errors import NotAllowed, Unprocessable
from hadir.org.models import EmployeeKind, Unit
from hadir.org.scoping import BoardScope, board_scope

from .board import LIST_FILTERS, Counts, Filters, compute_board, employee_rows
from .readiness import readiness as readiness_rows
from .scope import scope_today

router = Router(tags=["web"])


class BoardQuery(Schema):
    date: dt.date | None = None
    opd: int | None = None
    unit: int | None = None
    kind: str = ""


class EmployeeQuery(BoardQuery):
    q: str = ""
    status: str = ""
    offset: int = 0
    limit: int = 50


class CountsOut(Schema):
    total: int
    hadir: int
    terlambat: int
    belum: int
    izin: int
    tk: int
    libur: int
    compliant: int
    rate: float | None


class OpdCountsOut(Schema):
    id: int
    name: str
    counts: CountsOut


class TodayOut(Schema):
    date: dt.date
    total: CountsOut
    opds: list[OpdCountsOut]


class EmployeeOut(Schema):
    id: int
    name: str
    nip: str
    kind: str
    unit: str
    opd: str
    status: str
    category: str
    compliant: bool
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    late_minutes: int
    late_category: str
    early_minutes: int
    early_category: str


class EmployeesOut(Schema):
    date: dt.date
    total: int
    items: list[EmployeeOut]


class SanctionOut(Schema):
    name: str
    level: str


class AbsenceOut(Schema):
    id: int
    name: str
    nip: str
    opd: str
    unit: str
    total_tk: int
    current_streak: int
    longest_streak: int
    dismissal_risk: bool
    sanction: SanctionOut | None
    tk_days: list[dt.date]


class AbsenceListOut(Schema):
    year: int
    items: list[AbsenceOut]


class ReadinessOut(Schema):
    opd_id: int
    name: str
    employees: int
    locations: int
    without_location: int
    opd_head_filled: bool
    vacant_heads: list[str]
    bound_devices: int | None
    device_share: float | None
    terminals: int | None
    terminals_online: int | None
    ready: bool
    score: int


def _scope(request: HttpRequest) -> BoardScope:
    scope = board_scope(request.user)
    if scope is None:
        raise NotAllowed(_("Dasbor hanya untuk admin BKPSDM, operator OPD dan kepala unit."), code="forbidden")
    return scope


def _filters(scope: BoardScope, q: BoardQuery, search: str = "", status: str = "") -> Filters:
    if q.opd is not None and not scope.opds().filter(pk=q.opd).exists():
        raise NotAllowed(_("OPD ini di luar cakupan Anda."), field="opd", code="forbidden")
    if q.unit is not None:
        unit = Unit.objects.filter(pk=q.unit).first()
        if unit is None or not scope.contains(unit):
            raise NotAllowed(_("Unit ini di luar cakupan Anda."), field="unit", code="forbidden")
    if q.kind and q.kind not in EmployeeKind.values:
        raise Unprocessable(_("Jenis pegawai tidak dikenal: %(kind)s.") % {"kind": q.kind}, field="kind")
    if status and status not in LIST_FILTERS:
        raise Unprocessable(_("Status tidak dikenal: %(status)s.") % {"status": status}, field="status")
    return Filters(opd=q.opd, unit=q.unit, kind=q.kind, q=search.strip()[:100], status=status)


def _counts(c: Counts) -> dict[str, Any]:
    return {"total": c.total, "hadir": c.hadir, "terlambat": c.terlambat, "belum": c.belum, "izin": c.izin,
            "tk": c.tk, "libur": c.libur, "compliant": c.compliant, "rate": c.rate}


@router.get("/today", response=TodayOut, summary="Rekap presensi hari ini per OPD")
def today(request: HttpRequest, q: Query[BoardQuery]) -> dict[str, Any]:
    scope = _scope(request)
    day = q.date or scope_today(scope)
    board = compute_board(scope, day, _filters(scope, q))
    return {"date": day, "total": _counts(board.total),
            "opds": [{"id": r.opd_id, "name": r.name, "counts": _counts(r.counts)} for r in board.rows]}


@router.get("/employees", response=EmployeesOut, summary="Status pegawai hari ini (merah dulu, lalu nama)")
def employees(request: HttpRequest, q: Query[EmployeeQuery]) -> dict[str, Any]:
    scope = _scope(request)
    if not 1 <= q.limit <= 500:
        raise Unprocessable(_("limit harus antara 1 dan 500."), field="limit")
    if q.offset < 0:
        raise Unprocessable(_("offset tidak boleh negatif."), field="offset")
    day = q.date or scope_today(scope)
    f = _filters(scope, q, q.q, q.status)
    counts = compute_board(scope, day, f).total
    rows, total = employee_rows(scope, day, f, offset=q.offset, limit=q.limit, counts=counts)
    return {"date": day, "total": total, "items": [r.__dict__ for r in rows]}


@router.get("/absence", response=AbsenceListOut, summary="Ketidakhadiran tanpa keterangan dan ambang PP 94/2021")
def absence(request: HttpRequest, year: int | None = None, opd: int | None = None,
            min_days: int = 3) -> dict[str, Any]:
    scope = _scope(request)
    today_ = scope_today(scope)
    year = year or today_.year
    if not 2000 <= year <= today_.year:
        raise Unprocessable(_("Tahun harus antara 2000 dan %(year)s.") % {"year": today_.year}, field="year")
    _filters(scope, BoardQuery(opd=opd))
    items = []
    floor = min(max(1, min_days), DISMISSAL_CONSECUTIVE_DAYS)  # a 10-day streak is ≥ 10 days
    for r in absence_report(scope, year, today_, opd=opd, min_total=floor):
        s = r.summary
        if s.total_tk < min_days and not s.dismissal_risk:
            continue
        sanction = s.sanction
        items.append({
            "id": r.id, "name": r.name, "nip": r.nip, "opd": r.opd, "unit": r.unit, "total_tk": s.total_tk,
            "current_streak": s.current_streak, "longest_streak": s.longest_streak,
            "dismissal_risk": s.dismissal_risk, "tk_days": s.tk_days,
            "sanction": {"name": sanction.name, "level": sanction.level} if sanction else None,
        })
    return {"year": year, "items": items}


@router.get("/readiness", response=list[ReadinessOut], summary="Kesiapan go-live per OPD")
def readiness(request: HttpRequest) -> list[dict[str, Any]]:
    scope = _scope(request)
    return [
        {**{k: getattr(r, k) for k in ("opd_id", "name", "employees", "locations", "without_location",
                                       "opd_head_filled", "vacant_heads", "bound_devices", "terminals",
                                       "terminals_online")},
         "device_share": r.device_share, "ready": r.ready, "score": r.score}
        for r in readiness_rows(scope)
    ]
