"""/api/terminals: the terminal registry for operators and BKPSDM (the devices themselves use /iclock/).

Scope: an operator sees and manages the terminals of the units they administer; pending (unassigned)
terminals are listed to regency-wide admins only, but an operator may claim one by its serial number
(printed on the device) for a unit of theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from hadir.errors import Conflict, NotAllowed, NotFound, Unprocessable
from hadir.org.models import Employee, TimeZoneChoice, Unit, WorkLocation
from hadir.org.scoping import admin_paths, can_administer_unit, is_bkpsdm, is_super_admin, path_q

from . import services
from .models import AttLog, Terminal, TerminalCommand, TerminalDownDay, TerminalStatus

router = Router(tags=["terminals"])


class UnitRef(Schema):
    id: int
    name: str


class TerminalOut(Schema):
    id: int
    serial_number: str
    name: str
    status: str
    unit: UnitRef | None
    location: UnitRef | None
    timezone: str
    online: bool
    last_seen: dt.datetime | None
    last_ip: str | None
    last_attlog_at: dt.datetime | None
    firmware: str
    logs_today: int
    held_logs: int
    ip_allowlist: str


class AssignIn(Schema):
    unit_id: int
    location_id: int
    name: str | None = Field(None, max_length=200)
    timezone: TimeZoneChoice | None = None
    ip_allowlist: str | None = Field(None, max_length=2000)


class ClaimIn(AssignIn):
    serial_number: str = Field(..., min_length=1, max_length=64)


class AssignOut(Schema):
    terminal: TerminalOut
    released: int


class TerminalPatch(Schema):
    name: str | None = Field(None, max_length=200)
    status: Literal["active", "disabled"] | None = None
    ip_allowlist: str | None = Field(None, max_length=2000)
    location_id: int | None = None


class CommandIn(Schema):
    command: Literal["reboot", "info", "check", "sync_users", "raw"]
    employee_ids: list[int] | None = Field(None, max_length=5000)
    raw: str | None = Field(None, max_length=2000)


class CommandOut(Schema):
    id: int
    command: str
    status: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    done_at: dt.datetime | None
    return_code: int | None
    result: str


class DownDayOut(Schema):
    terminal_id: int
    serial_number: str
    terminal_name: str
    opd_id: int
    opd_name: str
    date: dt.date


class AttLogOut(Schema):
    id: int
    pin: str
    local_time: str
    occurred_at: dt.datetime
    status: int
    verify: int
    punch: str
    state: str
    checkin_id: int | None
    employee_name: str | None = None


def _scoped(user: Any) -> QuerySet[Terminal]:
    qs = Terminal.objects.select_related("unit", "location")
    paths = admin_paths(user)
    if paths is None:
        return qs
    scope = path_q(paths, "unit__")
    if is_bkpsdm(user):
        scope |= Q(unit__isnull=True)  # regency-wide admins see the pending terminals to assign
    return qs.filter(scope)


def _get(request: HttpRequest, terminal_id: int) -> Terminal:
    terminal = _scoped(request.user).filter(pk=terminal_id).first()
    if terminal is None:
        raise NotFound(_("Mesin absensi tidak ditemukan."), code="not_found")
    return terminal


def _out(terminal: Terminal, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    today = now.astimezone(terminal.tzinfo).date()
    return {
        "id": terminal.pk, "serial_number": terminal.serial_number, "name": terminal.name,
        "status": terminal.status,
        "unit": {"id": terminal.unit.pk, "name": terminal.unit.name} if terminal.unit else None,
        "location": {"id": terminal.location.pk, "name": terminal.location.name} if terminal.location else None,
        "timezone": terminal.timezone, "online": terminal.is_online(now), "last_seen": terminal.last_seen,
        "last_ip": terminal.last_ip, "last_attlog_at": terminal.last_attlog_at, "firmware": terminal.firmware,
        "logs_today": services.logs_on(terminal, today),
        "held_logs": AttLog.objects.filter(terminal=terminal, state="held").count()
        if terminal.status == TerminalStatus.PENDING else 0,
        "ip_allowlist": terminal.ip_allowlist,
    }


def _check_target(request: HttpRequest, unit_id: int, location_id: int) -> tuple[Unit, WorkLocation]:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_administer_unit(request.user, unit):
        raise NotAllowed(_("Anda tidak berhak menetapkan mesin ke unit ini."), field="unit_id",
                       code="forbidden")
    location = WorkLocation.objects.select_related("unit").filter(pk=location_id, is_active=True).first()
    if location is None or location.unit.opd_id != unit.opd_id:
        raise Unprocessable(_("Lokasi kerja harus lokasi aktif milik OPD yang sama dengan unit."),
                       field="location_id", code="invalid_location")
    return unit, location


def _assign(request: HttpRequest, terminal: Terminal, payload: AssignIn) -> dict[str, Any]:
    unit, location = _check_target(request, payload.unit_id, payload.location_id)
    if payload.ip_allowlist is not None:
        from .models import parse_allowlist

        try:
            parse_allowlist(payload.ip_allowlist)
        except ValueError:
            raise Unprocessable(_("Daftar IP tidak valid; contoh: 10.1.2.3, 192.168.1.0/24."),
                           field="ip_allowlist") from None
    released = services.assign_terminal(
        terminal, unit=unit, location=location, name=payload.name,
        tz=payload.timezone.value if payload.timezone else None, ip_allowlist=payload.ip_allowlist,
        actor=request.user,
    )
    terminal.refresh_from_db()
    return {"terminal": _out(terminal), "released": released}


@router.get("", response=list[TerminalOut], summary="Daftar mesin absensi dalam cakupan")
def list_terminals(request: HttpRequest, status: str | None = None, unit_id: int | None = None) -> list[Any]:
    qs = _scoped(request.user)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            return []
        qs = qs.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + "."))
    now = timezone.now()
    return [_out(t, now) for t in qs.order_by("name", "serial_number")[:500]]


@router.get("/down-days", response=list[DownDayOut], summary="Hari mesin mati (dibaca aturan TPP)")
def down_days(request: HttpRequest, month: str, unit_id: int | None = None) -> list[Any]:
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise Unprocessable(_("Format bulan harus YYYY-MM."), field="month") from None
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    qs = TerminalDownDay.objects.filter(date__gte=first, date__lt=nxt).select_related("terminal", "opd")
    qs = qs.filter(path_q(admin_paths(request.user), "opd__"))
    if unit_id:
        qs = qs.filter(opd_id=unit_id)
    return [{"terminal_id": d.terminal_id, "serial_number": d.terminal.serial_number,
             "terminal_name": d.terminal.name, "opd_id": d.opd_id, "opd_name": d.opd.name, "date": d.date}
            for d in qs.order_by("date", "opd__name")]


@router.post("/claim", response=AssignOut, summary="Tetapkan mesin baru (menurut nomor seri) ke unit Anda")
def claim(request: HttpRequest, payload: ClaimIn) -> dict[str, Any]:
    terminal = Terminal.objects.filter(serial_number=payload.serial_number.strip()).first()
    if terminal is None:
        raise NotFound(_("Mesin dengan nomor seri ini belum pernah terhubung ke server. Pastikan alamat "
                              "server di mesin sudah benar, lalu coba lagi."), field="serial_number",
                       code="not_found")
    if terminal.status != TerminalStatus.PENDING:
        raise Conflict(_("Mesin ini sudah ditetapkan."), field="serial_number", code="already_assigned")
    return _assign(request, terminal, payload)


@router.get("/{terminal_id}", response=TerminalOut, summary="Detail mesin")
def get_terminal(request: HttpRequest, terminal_id: int) -> dict[str, Any]:
    return _out(_get(request, terminal_id))


@router.post("/{terminal_id}/assign", response=AssignOut, summary="Tetapkan mesin ke unit dan lokasi")
def assign(request: HttpRequest, terminal_id: int, payload: AssignIn) -> dict[str, Any]:
    return _assign(request, _get(request, terminal_id), payload)


@router.patch("/{terminal_id}", response=TerminalOut, summary="Ubah nama, status, IP, lokasi")
def patch_terminal(request: HttpRequest, terminal_id: int, payload: TerminalPatch) -> dict[str, Any]:
    terminal = _get(request, terminal_id)
    if terminal.unit is None or not can_administer_unit(request.user, terminal.unit):
        raise NotAllowed(_("Tetapkan mesin ke unit terlebih dahulu."), code="forbidden")
    before = services.snapshot(terminal)
    if payload.name is not None:
        terminal.name = payload.name
    if payload.ip_allowlist is not None:
        terminal.ip_allowlist = payload.ip_allowlist
    if payload.location_id is not None:
        _unit, location = _check_target(request, terminal.unit.pk, payload.location_id)
        terminal.location = location
    reactivated = False
    if payload.status is not None:
        reactivated = terminal.status != payload.status and payload.status == TerminalStatus.ACTIVE
        terminal.status = payload.status
    from django.core.exceptions import ValidationError

    try:
        terminal.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise Unprocessable(messages[0], field=field) from None
    terminal.save()
    if reactivated:
        services.release_held(terminal)
    services._audit(request.user, "terminal.update", terminal, before, services.snapshot(terminal))
    return _out(terminal)


@router.post("/{terminal_id}/commands", response={201: list[CommandOut]}, summary="Antrekan perintah ke mesin")
def add_command(request: HttpRequest, terminal_id: int, payload: CommandIn) -> Status[list[Any]]:
    terminal = _get(request, terminal_id)
    if payload.command == "sync_users":
        if terminal.unit is None:
            raise Unprocessable(_("Tetapkan mesin ke unit terlebih dahulu."), code="unassigned")
        emps = Employee.objects.filter(is_active=True).filter(path_q(admin_paths(request.user), "unit__"))
        if payload.employee_ids:
            emps = emps.filter(pk__in=payload.employee_ids)
        elif terminal.location_id:
            emps = emps.filter(locations=terminal.location_id)
        cmds = services.queue_user_sync(terminal, emps.distinct(), by=request.user)
        if not cmds:
            raise Unprocessable(_("Tidak ada pegawai dengan PIN mesin untuk dikirim."), field="employee_ids")
        return Status(201, cmds)
    if payload.command == "raw":
        if not is_super_admin(request.user):
            raise NotAllowed(_("Perintah bebas hanya untuk super-admin."), code="forbidden")
        if not payload.raw or not payload.raw.strip():
            raise Unprocessable(_("Perintah wajib diisi."), field="raw")
        return Status(201, [services.queue_command(terminal, payload.raw, by=request.user)])
    text = {"reboot": "REBOOT", "info": "INFO", "check": "CHECK"}[payload.command]
    return Status(201, [services.queue_command(terminal, text, by=request.user)])


@router.get("/{terminal_id}/commands", response=list[CommandOut], summary="Riwayat perintah")
def list_commands(request: HttpRequest, terminal_id: int) -> QuerySet[TerminalCommand]:
    return TerminalCommand.objects.filter(terminal=_get(request, terminal_id)).order_by("-id")[:200]


@router.get("/{terminal_id}/logs", response=list[AttLogOut], summary="Log mentah mesin pada satu tanggal")
def logs(request: HttpRequest, terminal_id: int, date: dt.date) -> list[Any]:
    terminal = _get(request, terminal_id)
    rows = list(services.lines_on(terminal, date)
                .order_by("local_time", "pin")[:5000])
    mapping = services.PinMap({terminal.pk}, {r.pin for r in rows})
    out = []
    for r in rows:
        emp = mapping.get(terminal.pk, r.pin)
        out.append({"id": r.pk, "pin": r.pin, "local_time": r.local_time, "occurred_at": r.occurred_at,
                    "status": r.status, "verify": r.verify, "punch": r.punch, "state": r.state,
                    "checkin_id": r.checkin_id, "employee_name": emp.name if emp else None})
    return out
