"""What the dashboard API asks of the app: the caller's dashboard scope, the board filters checked against it,
and the PP 94/2021 absence list. Refusals are domain errors (hadir.errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from hadir.discipline.absences import AbsentEmployee, absence_report
from hadir.discipline.rules import DISMISSAL_CONSECUTIVE_DAYS
from hadir.errors import NotAllowed, Unprocessable
from hadir.org.models import EmployeeKind, Unit
from hadir.org.scoping import BoardScope, board_scope

from .board import LIST_FILTERS, Filters
from .scope import scope_today

MAX_SEARCH_LENGTH = 100


def dashboard_scope(user: Any) -> BoardScope:
    """The part of the regency the user's dashboard shows; refuses anyone who has no dashboard."""
    scope = board_scope(user)
    if scope is None:
        raise NotAllowed(_("Dasbor hanya untuk admin BKPSDM, operator OPD dan kepala unit."), code="forbidden")
    return scope


def board_filters(scope: BoardScope, *, opd: int | None = None, unit: int | None = None, kind: str = "",
                  search: str = "", status: str = "") -> Filters:
    """The board's filters, each checked: the OPD and unit inside the scope, a known employee kind and status."""
    if opd is not None and not scope.opds().filter(pk=opd).exists():
        raise NotAllowed(_("OPD ini di luar cakupan Anda."), field="opd", code="forbidden")
    if unit is not None:
        found = Unit.objects.filter(pk=unit).first()
        if found is None or not scope.contains(found):
            raise NotAllowed(_("Unit ini di luar cakupan Anda."), field="unit", code="forbidden")
    if kind and kind not in EmployeeKind.values:
        raise Unprocessable(_("Jenis pegawai tidak dikenal: %(kind)s.") % {"kind": kind}, field="kind")
    if status and status not in LIST_FILTERS:
        raise Unprocessable(_("Status tidak dikenal: %(status)s.") % {"status": status}, field="status")
    return Filters(opd=opd, unit=unit, kind=kind, q=search.strip()[:MAX_SEARCH_LENGTH], status=status)


def absence_list(scope: BoardScope, year: int | None, opd: int | None,
                 min_days: int) -> tuple[int, list[AbsentEmployee]]:
    """(the year, employees with at least `min_days` TK days in it or at risk of dismissal, heaviest first)."""
    today_ = scope_today(scope)
    year = year or today_.year
    if not 2000 <= year <= today_.year:
        raise Unprocessable(_("Tahun harus antara 2000 dan %(year)s.") % {"year": today_.year}, field="year")
    board_filters(scope, opd=opd)
    floor = min(max(1, min_days), DISMISSAL_CONSECUTIVE_DAYS)  # a 10-day streak is ≥ 10 days
    rows = absence_report(scope, year, today_, opd=opd, min_total=floor)
    return year, [r for r in rows if r.summary.total_tk >= min_days or r.summary.dismissal_risk]


def board_day(scope: BoardScope, day: dt.date | None) -> dt.date:
    """The day the board shows: the one asked for, else today in the scope's zone."""
    return day or scope_today(scope)
