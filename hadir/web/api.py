"""/api/dashboard: the board's data as JSON (same scoping as the pages)."""

# No `from __future__ import annotations` in a module with @paginate views: ninja reads their annotations through
# its wrapper, in the namespace of ninja.pagination, where strings would not resolve.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hadir.pagination import LimitOffset, Page

from . import services
from .board import Counts, compute_board, employee_rows
from .readiness import readiness as readiness_rows

router = Router(tags=["web"])


class BoardQuery(Schema):
    date: dt.date | None = None
    opd: int | None = None
    unit: int | None = None
    kind: str = ""


class EmployeeQuery(BoardQuery):
    q: str = ""
    status: str = ""


class CountsOut(Schema):
    total: int
    hadir: int
    terlambat: int
    belum: int
    belum_mulai: int = Field(0, description="Status belum sebelum jam mulai kerja/shift: belum diharapkan hadir, "
                                            "tidak dihitung dalam tingkat kehadiran")
    izin: int
    tk: int
    libur: int
    compliant: int
    rate: float | None


class OpdCountsOut(Schema):
    id: int
    name: str
    counts: CountsOut


class DashboardTodayOut(Schema):
    date: dt.date
    total: CountsOut
    opds: list[OpdCountsOut]


class DashboardEmployeeOut(Schema):
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
    corrected: bool = Field(False, description="Hari ini diubah oleh koreksi presensi yang disetujui")
    starts_at: dt.datetime | None = Field(None, description="Mulai hari kerja/shift; kategori belum_mulai sebelum itu")


class DashboardEmployeesOut(Schema):
    date: dt.date
    total: int
    items: list[DashboardEmployeeOut]


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
    kind: str
    pp94_applies: bool
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


def _counts(c: Counts) -> dict[str, Any]:
    return {"total": c.total, "hadir": c.hadir, "terlambat": c.terlambat, "belum": c.belum,
            "belum_mulai": c.belum_mulai, "izin": c.izin,
            "tk": c.tk, "libur": c.libur, "compliant": c.compliant, "rate": c.rate}


@router.get("/today", response=DashboardTodayOut, summary="Rekap presensi hari ini per OPD")
def today(request: HttpRequest, q: Query[BoardQuery]) -> dict[str, Any]:
    scope = services.dashboard_scope(request.user)
    day = services.board_day(scope, q.date)
    board = compute_board(scope, day, services.board_filters(scope, opd=q.opd, unit=q.unit, kind=q.kind))
    return {"date": day, "total": _counts(board.total),
            "opds": [{"id": r.opd_id, "name": r.name, "counts": _counts(r.counts)} for r in board.rows]}


@router.get("/employees", response=DashboardEmployeesOut, summary="Status pegawai hari ini (merah dulu, lalu nama)")
@paginate(LimitOffset, default_limit=50, max_limit=500, pass_parameter="page")
def employees(request: HttpRequest, q: Query[EmployeeQuery], **params: Any) -> dict[str, Any]:
    page: Page = params["page"]  # the board reads one page itself, rank group by rank group
    scope = services.dashboard_scope(request.user)
    day = services.board_day(scope, q.date)
    f = services.board_filters(scope, opd=q.opd, unit=q.unit, kind=q.kind, search=q.q, status=q.status)
    counts = compute_board(scope, day, f).total
    rows, total = employee_rows(scope, day, f, offset=page.offset, limit=page.limit, counts=counts)
    return {"date": day, "total": total, "items": [r.__dict__ for r in rows]}


@router.get("/absence", response=AbsenceListOut, summary="Ketidakhadiran tanpa keterangan dan ambang PP 94/2021")
def absence(request: HttpRequest, year: int | None = None, opd: int | None = None,
            min_days: int = 3) -> dict[str, Any]:
    scope = services.dashboard_scope(request.user)
    year, rows = services.absence_list(scope, year, opd, min_days)
    items = []
    for r in rows:
        s = r.summary
        sanction = s.sanction
        items.append({
            "id": r.id, "name": r.name, "nip": r.nip, "opd": r.opd, "unit": r.unit, "total_tk": s.total_tk,
            "current_streak": s.current_streak, "longest_streak": s.longest_streak,
            "dismissal_risk": s.dismissal_risk, "tk_days": s.tk_days, "kind": r.kind, "pp94_applies": s.covered,
            "sanction": {"name": sanction.name, "level": sanction.level} if sanction else None,
        })
    return {"year": year, "items": items}


@router.get("/readiness", response=list[ReadinessOut], summary="Kesiapan go-live per OPD")
def readiness(request: HttpRequest) -> list[dict[str, Any]]:
    scope = services.dashboard_scope(request.user)
    return [
        {**{k: getattr(r, k) for k in ("opd_id", "name", "employees", "locations", "without_location",
                                       "opd_head_filled", "vacant_heads", "bound_devices", "terminals",
                                       "terminals_online")},
         "device_share": r.device_share, "ready": r.ready, "score": r.score}
        for r in readiness_rows(scope)
    ]
