"""What a recap covers and who may ask for it: one validated selection (period, and the regency, an OPD, a unit or
one employee) shared by the API, the page, the exports and the scheduled recaps.

Scope as on the dashboard: BKPSDM the regency, an OPD head or operator their OPD or unit; anyone else only
themselves. Something outside one's scope is answered as not found (404), not as forbidden, so ids are not probed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import InvalidRequest, NotFound
from hadir.files import month_bounds, tanggal
from hadir.org.models import Employee, Unit, employee_of
from hadir.org.scoping import BoardScope, board_scope, path_q

from .recap import MAX_DAYS

# The easternmost zone (WIT): a date is "in the future" only once it is so everywhere in Indonesia.
_EAST = zoneinfo.ZoneInfo("Asia/Jayapura")


def latest_today() -> dt.date:
    return timezone.localdate(timezone=_EAST)


def parse_month(raw: str, field: str = "month") -> dt.date:
    try:
        year, month = raw.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise InvalidRequest(_("Format bulan harus YYYY-MM."), field=field) from None


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidRequest(_("Tanggal akhir tidak boleh sebelum tanggal awal."), field="end")
    if end > latest_today():
        raise InvalidRequest(_("Tanggal tidak boleh di masa depan: rekap hanya untuk hari yang sudah berjalan."),
                             field="end" if start <= latest_today() else "start")
    if (end - start).days >= MAX_DAYS:
        raise InvalidRequest(_("Rentang rekap paling lama satu tahun."), field="end")


def month_period(first: dt.date) -> tuple[dt.date, dt.date]:
    """A calendar month up to today (this month so far), or InvalidRequest for a month that has not begun."""
    first, last = month_bounds(first)
    if first > latest_today():
        raise InvalidRequest(_("Bulan itu belum berjalan."), field="month")
    return first, min(last, latest_today())


@dataclass(frozen=True)
class Selection:
    """A validated recap request: the period and the employees it covers, with the label of what was chosen."""

    start: dt.date
    end: dt.date
    employees: QuerySet[Employee]
    label: str  # "Seluruh Kabupaten …", the OPD's name, "unit — OPD", or "name (NIP)"
    opd: Unit | None  # the OPD whose head signs the recap (None for the regency or a cross-OPD scope)
    opd_id: int | None = None
    unit_id: int | None = None
    employee_id: int | None = None

    @property
    def one_month(self) -> bool:
        """The period is (part of) one calendar month from its 1st: the day grid goes with it."""
        return self.start.day == 1 and (self.start.year, self.start.month) == (self.end.year, self.end.month)

    @property
    def period_label(self) -> str:
        return f"{tanggal(self.start)} – {tanggal(self.end)}"

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for key in ("opd_id", "unit_id", "employee_id"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def scope_of(user: Any) -> BoardScope | None:
    return board_scope(user)


def select(user: Any, start: dt.date, end: dt.date, *, opd_id: int | None = None, unit_id: int | None = None,
           employee_id: int | None = None) -> Selection:
    """The user's selection, or InvalidRequest (bad period) / NotFound (not in their scope)."""
    check_period(start, end)
    scope = board_scope(user)
    me = employee_of(user)
    if scope is None:
        if me is None:
            raise NotFound(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
        if employee_id not in (None, me.pk) or opd_id is not None or unit_id is not None:
            raise NotFound(_("Pegawai tidak ditemukan."), field="employee_id", code="not_found")
        return Selection(start, end, Employee.objects.filter(pk=me.pk), f"{me.name} ({me.nip or '—'})",
                         me.unit.opd if me.unit_id else None, employee_id=me.pk)
    qs = Employee.objects.filter(scope.q("unit__"))
    label = str(settings.HADIR_INSTANSI)
    opd: Unit | None = None
    if not scope.is_all:
        opds = list(scope.opds()[:2])
        if len(opds) == 1:
            opd, label = opds[0], opds[0].name
    if opd_id is not None:
        unit = Unit.objects.filter(pk=opd_id).select_related("opd").first()
        if unit is None or unit.opd_id != unit.pk or not (scope.is_all or scope.opds().filter(pk=unit.pk).exists()):
            raise NotFound(_("OPD tidak ditemukan."), field="opd_id", code="not_found")
        qs, opd, label = qs.filter(unit__opd_id=opd_id), unit, unit.name
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).select_related("opd").first()
        if unit is None or not scope.contains(unit) or (opd_id is not None and unit.opd_id != opd_id):
            raise NotFound(_("Unit tidak ditemukan."), field="unit_id", code="not_found")
        qs, opd = qs.filter(path_q([unit.path], "unit__")), unit.opd
        label = unit.name if unit.opd_id == unit.pk or unit.opd is None else f"{unit.name} — {unit.opd.name}"
    if employee_id is not None:
        emp = qs.filter(pk=employee_id).select_related("unit__opd").first()
        if emp is None:
            raise NotFound(_("Pegawai tidak ditemukan."), field="employee_id", code="not_found")
        return Selection(start, end, Employee.objects.filter(pk=emp.pk), f"{emp.name} ({emp.nip or '—'})",
                         emp.unit.opd, opd_id=opd_id, unit_id=unit_id, employee_id=emp.pk)
    qs = qs.active_between(start, end)  # one who left during the period is listed: their days count
    return Selection(start, end, qs, label, opd, opd_id=opd_id, unit_id=unit_id)
