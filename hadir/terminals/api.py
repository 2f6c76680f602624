"""/api/terminals: the terminal registry for operators and BKPSDM (the devices themselves use /iclock/).

Scope: an operator sees and manages the terminals of the units they administer; pending (unassigned)
terminals are listed to regency-wide admins only, but an operator may claim one by its serial number
(printed on the device) for a unit of theirs (see hadir.terminals.services).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from hadir.org.models import TimeZoneChoice

from . import services
from .models import Terminal, TerminalCommand

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
        "held_logs": services.held_count(terminal),
        "ip_allowlist": terminal.ip_allowlist,
    }


def _assigned(request: HttpRequest, terminal: Terminal, payload: AssignIn) -> dict[str, Any]:
    released = services.assign_to_unit(
        request.user, terminal, unit_id=payload.unit_id, location_id=payload.location_id, name=payload.name,
        tz=payload.timezone.value if payload.timezone else None, ip_allowlist=payload.ip_allowlist,
    )
    return {"terminal": _out(terminal), "released": released}


@router.get("", response=list[TerminalOut], summary="Daftar mesin absensi dalam cakupan")
def list_terminals(request: HttpRequest, status: str | None = None, unit_id: int | None = None) -> list[Any]:
    now = timezone.now()
    return [_out(t, now) for t in services.listed_terminals(request.user, status, unit_id)]


@router.get("/down-days", response=list[DownDayOut], summary="Hari mesin mati (dibaca aturan TPP)")
def down_days(request: HttpRequest, month: str, unit_id: int | None = None) -> list[Any]:
    return [{"terminal_id": d.terminal_id, "serial_number": d.terminal.serial_number,
             "terminal_name": d.terminal.name, "opd_id": d.opd_id, "opd_name": d.opd.name, "date": d.date}
            for d in services.down_days_for(request.user, month, unit_id)]


@router.post("/claim", response=AssignOut, summary="Tetapkan mesin baru (menurut nomor seri) ke unit Anda")
def claim(request: HttpRequest, payload: ClaimIn) -> dict[str, Any]:
    return _assigned(request, services.claimable(payload.serial_number), payload)


@router.get("/{terminal_id}", response=TerminalOut, summary="Detail mesin")
def get_terminal(request: HttpRequest, terminal_id: int) -> dict[str, Any]:
    return _out(services.terminal_for(request.user, terminal_id))


@router.post("/{terminal_id}/assign", response=AssignOut, summary="Tetapkan mesin ke unit dan lokasi")
def assign(request: HttpRequest, terminal_id: int, payload: AssignIn) -> dict[str, Any]:
    return _assigned(request, services.terminal_for(request.user, terminal_id), payload)


@router.patch("/{terminal_id}", response=TerminalOut, summary="Ubah nama, status, IP, lokasi")
def patch_terminal(request: HttpRequest, terminal_id: int, payload: TerminalPatch) -> dict[str, Any]:
    terminal = services.update_terminal(
        request.user, services.terminal_for(request.user, terminal_id), name=payload.name, status=payload.status,
        ip_allowlist=payload.ip_allowlist, location_id=payload.location_id,
    )
    return _out(terminal)


class PushKeyOut(Schema):
    push_key: str = Field(description="Kunci push; hanya ditampilkan sekali.")
    path: str = Field(description="Alamat server di mesin: /iclock/k/<kunci>/")


@router.post("/{terminal_id}/push-key", response=PushKeyOut,
             summary="Buat kunci push baru (kunci lama langsung tidak berlaku; ditampilkan sekali)")
def push_key(request: HttpRequest, terminal_id: int) -> dict[str, str]:
    key = services.make_push_key(request.user, services.terminal_for(request.user, terminal_id))
    return {"push_key": key, "path": f"/iclock/k/{key}/"}


@router.post("/{terminal_id}/commands", response={201: list[CommandOut]}, summary="Antrekan perintah ke mesin")
def add_command(request: HttpRequest, terminal_id: int, payload: CommandIn) -> Status[list[TerminalCommand]]:
    terminal = services.terminal_for(request.user, terminal_id)
    return Status(201, services.queue_for(request.user, terminal, payload.command, employee_ids=payload.employee_ids,
                                          raw=payload.raw))


@router.get("/{terminal_id}/commands", response=list[CommandOut], summary="Riwayat perintah")
def list_commands(request: HttpRequest, terminal_id: int) -> QuerySet[TerminalCommand]:
    return services.commands_of(services.terminal_for(request.user, terminal_id))


@router.get("/{terminal_id}/logs", response=list[AttLogOut], summary="Log mentah mesin pada satu tanggal")
def logs(request: HttpRequest, terminal_id: int, date: dt.date) -> list[dict[str, Any]]:
    terminal = services.terminal_for(request.user, terminal_id)
    return [{"id": r.pk, "pin": r.pin, "local_time": r.local_time, "occurred_at": r.occurred_at,
             "status": r.status, "verify": r.verify, "punch": r.punch, "state": r.state,
             "checkin_id": r.checkin_id, "employee_name": emp.name if emp else None}
            for r, emp in services.raw_lines(terminal, date)]
