"""Terminal services: ingest of raw logs, conversion to check-ins, assignment, commands.

Conversion goes through the presence pipeline (hadir.presence.pipeline.record_many,
source="terminal", location = the terminal's location) in a task after the push is stored, so the
terminal endpoint keeps every line even while the conversion fails; queued lines are converted on the
next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.audit.services import record
from hadir.errors import Conflict, NotAllowed, NotFound, Unprocessable
from hadir.notify.services import notify
from hadir.org.models import Employee, Role, RoleAssignment, Unit, WorkLocation
from hadir.org.scoping import admin_paths, can_administer_unit, is_bkpsdm, is_super_admin, path_q
from hadir.presence import pipeline

from . import protocol
from .conf import noon_split, operlog_keep, seen_every_seconds
from .models import (
    AttLog,
    AttLogState,
    CommandStatus,
    OperLog,
    Terminal,
    TerminalActivity,
    TerminalCommand,
    TerminalDownDay,
    TerminalPin,
    TerminalStatus,
    parse_allowlist,
)

log = logging.getLogger(__name__)

CONVERT_CHUNK = 2000


# ---------------------------------------------------------------------------------------------
# Registry


def get_or_register(sn: str) -> tuple[Terminal, bool]:
    """The terminal with serial `sn`; an unknown serial is registered as pending."""
    terminal = Terminal.objects.filter(serial_number=sn).first()
    if terminal is not None:
        return terminal, False
    try:
        with transaction.atomic():
            return Terminal.objects.create(serial_number=sn, status=TerminalStatus.PENDING), True
    except IntegrityError:  # registered by a concurrent request
        return Terminal.objects.get(serial_number=sn), False


def touch(terminal: Terminal, ip: str | None, now: dt.datetime | None = None) -> bool:
    """Heartbeat: record that the terminal talked to us. Cheap: writes at most once a minute
    (and once per local hour, so the hourly activity map is exact). Returns True when written."""
    now = now or timezone.now()
    tz = terminal.tzinfo
    last = terminal.last_seen
    if last is not None:
        same_hour = last.astimezone(tz).replace(minute=0, second=0, microsecond=0) == now.astimezone(tz).replace(
            minute=0, second=0, microsecond=0)
        if same_hour and (now - last).total_seconds() < seen_every_seconds() and terminal.last_ip == ip:
            return False
    Terminal.objects.filter(pk=terminal.pk).update(last_seen=now, last_ip=ip, offline_alerted_at=None)
    terminal.last_seen, terminal.last_ip, terminal.offline_alerted_at = now, ip, None
    bump_activity(terminal, now, seen=True)
    return True


def bump_activity(terminal: Terminal, now: dt.datetime, *, seen: bool = True) -> None:
    """Mark the local hour of `now` as one in which the terminal talked to us (upsert)."""
    local = now.astimezone(terminal.tzinfo)
    bit = 1 << local.hour
    changes: dict[str, Any] = {"hours_mask": F("hours_mask").bitor(bit), "last_seen": now}
    qs = TerminalActivity.objects.filter(terminal=terminal, date=local.date())
    if qs.update(**changes):
        return
    try:
        with transaction.atomic():
            TerminalActivity.objects.create(terminal=terminal, date=local.date(), hours_mask=bit,
                                            first_seen=now, last_seen=now)
    except IntegrityError:
        qs.update(**changes)


# ---------------------------------------------------------------------------------------------
# Ingest


def store_attlog(terminal: Terminal, lines: Sequence[protocol.AttLine], stamp: str = "",
                 now: dt.datetime | None = None) -> int:
    """Store parsed ATTLOG lines once each (duplicates ignored by the unique constraint).

    Lines of a pending terminal are held; an active terminal's are queued for conversion
    (a Celery task started after commit). Returns how many lines were new."""
    now = now or timezone.now()
    state = AttLogState.QUEUED if terminal.status == TerminalStatus.ACTIVE else AttLogState.HELD
    inserted = 0
    with transaction.atomic():
        if lines:
            inserted = insert_attlog(terminal, lines, state, now)
        # The stamp only tells the terminal where to resume; written at most once a minute (like last_seen).
        # A stale stamp after a crash makes the terminal re-send a few lines, which are stored once anyway.
        last = terminal.last_attlog_at
        if lines and (last is None or (now - last).total_seconds() >= seen_every_seconds()
                      or (stamp and not terminal.attlog_stamp.strip("0"))):
            fields: dict[str, Any] = {"last_attlog_at": now}
            if stamp:
                fields["attlog_stamp"] = stamp[:32]
            Terminal.objects.filter(pk=terminal.pk).update(**fields)
        if inserted and state == AttLogState.QUEUED:
            schedule_conversion(terminal.pk)
    return inserted


_ATTLOG_COLUMNS = ("terminal_id", "pin", "local_time", "occurred_at", "status", "verify", "workcode", "punch", "raw",
                   "received_at", "state")


def insert_attlog(terminal: Terminal, lines: Sequence[protocol.AttLine], state: str, now: dt.datetime) -> int:
    """Insert lines, skipping those already stored (same terminal, time, PIN). Returns how many were new.

    The hot path of the ADMS endpoint: on PostgreSQL one INSERT … SELECT FROM unnest(arrays) per batch
    (one round trip, no per-row ORM objects); elsewhere executemany with ON CONFLICT DO NOTHING."""
    to_utc = protocol.utc_converter(terminal.timezone)
    noon = noon_split()
    table = connection.ops.quote_name(AttLog._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _ATTLOG_COLUMNS)
    # The same line twice in one batch would make PostgreSQL's ON CONFLICT fail: keep the first.
    unique: dict[tuple[str, str], protocol.AttLine] = {}
    for line in lines:
        unique.setdefault((line.local_time_text, line.pin), line)
    batch = list(unique.values())
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"INSERT INTO {table} ({cols}) "
                "SELECT %s, u.pin, u.lt, u.occ, u.st, u.vf, u.wc, u.pu, u.raw, %s, %s "
                "FROM unnest(%s::varchar[], %s::varchar[], %s::timestamptz[], %s::smallint[], %s::smallint[], "
                "%s::varchar[], %s::varchar[], %s::varchar[]) AS u(pin, lt, occ, st, vf, wc, pu, raw) "
                "ON CONFLICT DO NOTHING",
                [terminal.pk, now, state,
                 [ln.pin for ln in batch], [ln.local_time_text for ln in batch],
                 [to_utc(ln.local_time) for ln in batch], [ln.status for ln in batch],
                 [ln.verify for ln in batch], [ln.workcode for ln in batch],
                 [protocol.punch_kind(ln.status, ln.local_time, noon) for ln in batch], [ln.raw for ln in batch]],
            )
            return max(cur.rowcount, 0)
        received = adapt(now)
        rows = [(terminal.pk, ln.pin, ln.local_time_text, adapt(to_utc(ln.local_time)), ln.status,
                 ln.verify, ln.workcode, protocol.punch_kind(ln.status, ln.local_time, noon), ln.raw, received, state)
                for ln in batch]
        cur.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(_ATTLOG_COLUMNS))}) "
            "ON CONFLICT DO NOTHING", rows)
        return max(cur.rowcount, 0)


def lines_on(terminal: Terminal, day: dt.date) -> QuerySet[AttLog]:
    """The terminal's lines of a local date: a range scan of the (terminal, local_time, pin) index."""
    return AttLog.objects.filter(terminal=terminal, local_time__gte=day.isoformat(),
                                 local_time__lt=(day + dt.timedelta(days=1)).isoformat())


def logs_on(terminal: Terminal, day: dt.date) -> int:
    return lines_on(terminal, day).count()


@shared_task(name="terminals.convert_attlogs", ignore_result=True)
def convert_attlogs(terminal_id: int | None = None) -> int:
    """Queued ATTLOG lines → check-ins through the presence pipeline."""
    return convert_queued(terminal_id)


def schedule_conversion(terminal_id: int) -> None:
    """Start the conversion task after commit. If the broker is unreachable the lines stay queued
    (already stored and acknowledged) and the hourly task converts them."""

    def start() -> None:
        try:
            convert_attlogs.delay(terminal_id)
        except Exception:
            log.exception("could not start the conversion task for terminal %s; the hourly run will", terminal_id)

    transaction.on_commit(start)


def store_operlog(terminal: Terminal, rows: Iterable[tuple[str, str]], stamp: str = "") -> int:
    """Store OPERLOG/user lines; only the newest HADIR_TERMINAL_OPERLOG_KEEP rows per terminal are kept."""
    keep = operlog_keep()
    objs = [OperLog(terminal=terminal, kind=kind, raw=line) for kind, line in rows][-keep:]
    with transaction.atomic():
        OperLog.objects.bulk_create(objs, batch_size=500)
        cutoff = list(OperLog.objects.filter(terminal=terminal).order_by("-id").values_list("id", flat=True)[keep:keep + 1])
        if cutoff:
            OperLog.objects.filter(terminal=terminal, id__lte=cutoff[0]).delete()
        if stamp:
            Terminal.objects.filter(pk=terminal.pk).update(operlog_stamp=stamp[:32])
    return len(objs)


def update_info(terminal: Terminal, info: dict[str, str]) -> None:
    if not info:
        return
    merged = {**(terminal.info or {}), **info}
    fields: dict[str, Any] = {"info": merged}
    firmware = info.get("firmware") or info.get("FWVersion") or info.get("FirmVer")
    if firmware:
        fields["firmware"] = firmware[:120]
    if merged != terminal.info or "firmware" in fields and fields["firmware"] != terminal.firmware:
        Terminal.objects.filter(pk=terminal.pk).update(**fields)
        for key, value in fields.items():
            setattr(terminal, key, value)


# ---------------------------------------------------------------------------------------------
# Conversion to check-ins


class PinMap:
    """PIN → Employee for a set of terminals: the per-terminal override first, then Employee.device_pin."""

    def __init__(self, terminal_ids: set[int], pins: set[str]) -> None:
        self.by_pin = {e.device_pin: e for e in Employee.objects.filter(device_pin__in=pins, is_active=True)}
        self.overrides = {
            (row.terminal_id, row.pin): row.employee
            for row in TerminalPin.objects.filter(terminal_id__in=terminal_ids, pin__in=pins).select_related(
                "employee")
        }

    def get(self, terminal_id: int, pin: str) -> Employee | None:
        return self.overrides.get((terminal_id, pin)) or self.by_pin.get(pin)


def convert_queued(terminal_id: int | None = None, limit: int | None = None) -> int:
    """Convert queued lines of active terminals into check-ins. Returns the number converted.

    Breaks and overtime are kept as lines but are not check-ins (state ignored); a PIN that maps
    to no employee is marked unmapped (requeued when a mapping appears)."""
    converted = 0
    while limit is None or converted < limit:
        qs = AttLog.objects.filter(state=AttLogState.QUEUED, terminal__status=TerminalStatus.ACTIVE)
        if terminal_id is not None:
            qs = qs.filter(terminal_id=terminal_id)
        chunk = list(qs.select_related("terminal", "terminal__location").order_by("id")[:CONVERT_CHUNK])
        if not chunk:
            break
        converted += _convert_chunk(chunk)
    return converted


def _convert_chunk(chunk: list[AttLog]) -> int:
    mapping = PinMap({row.terminal_id for row in chunk}, {row.pin for row in chunk})
    ignored: list[int] = []
    unmapped: list[int] = []
    attempts: list[Any] = []
    targets: list[AttLog] = []
    for row in chunk:
        kind = protocol.checkin_kind(row.punch)
        if kind is None:
            ignored.append(row.pk)
            continue
        employee = mapping.get(row.terminal_id, row.pin)
        if employee is None:
            unmapped.append(row.pk)
            continue
        terminal = row.terminal
        attempts.append(pipeline.CheckInAttempt(
            employee=employee, kind=kind, source="terminal",
            client_uuid=protocol.checkin_uuid(terminal.serial_number, row.pin, row.local_time),
            occurred_at=row.occurred_at, client_time=row.occurred_at, terminal_sn=terminal.serial_number,
            location=terminal.location,
        ))
        targets.append(row)
    failed: list[int] = []
    try:
        results = pipeline.record_many(attempts) if attempts else []
    except Exception:
        # One bad line (e.g. its UUID already belongs to another employee after a PIN was reassigned)
        # must not block the rest: retry one by one and mark the failures.
        log.exception("record_many failed for a chunk of %d terminal lines; retrying one by one", len(attempts))
        kept: list[AttLog] = []
        results = []
        for row, attempt in zip(targets, attempts, strict=True):
            try:
                results.extend(pipeline.record_many([attempt]))
                kept.append(row)
            except Exception:
                log.exception("terminal line %s could not be converted", row.pk)
                failed.append(row.pk)
        targets = kept
    with transaction.atomic():
        if failed:
            AttLog.objects.filter(pk__in=failed).update(state=AttLogState.FAILED)
        if ignored:
            AttLog.objects.filter(pk__in=ignored).update(state=AttLogState.IGNORED)
        if unmapped:
            AttLog.objects.filter(pk__in=unmapped).update(state=AttLogState.UNMAPPED)
        for row, (checkin, _created) in zip(targets, results, strict=True):
            row.checkin_id = checkin.pk
            row.state = AttLogState.CONVERTED
        if targets:
            AttLog.objects.bulk_update(targets, ["checkin", "state"], batch_size=1000)
    return len(targets)


def requeue_unmapped(terminal_id: int | None = None) -> int:
    """Unmapped lines whose PIN now maps to an employee go back to the queue."""
    qs = AttLog.objects.filter(state=AttLogState.UNMAPPED, terminal__status=TerminalStatus.ACTIVE)
    if terminal_id is not None:
        qs = qs.filter(terminal_id=terminal_id)
    mapped_pins = Employee.objects.filter(device_pin__isnull=False, is_active=True).values("device_pin")
    override = Q(terminal__pins__pin=F("pin"))
    ids = list(qs.filter(Q(pin__in=mapped_pins) | override).values_list("pk", flat=True).distinct())
    if ids:
        AttLog.objects.filter(pk__in=ids).update(state=AttLogState.QUEUED)
    return len(ids)


# ---------------------------------------------------------------------------------------------
# Assignment (pending → active) and release of held lines


def _audit(actor: Any, action: str, target: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    try:
        record(actor, action, target, before, after)
    except Exception:  # the audit trail must never block operations
        log.exception("audit record failed for %s", action)


def snapshot(terminal: Terminal) -> dict[str, Any]:
    return {"status": terminal.status, "name": terminal.name, "unit_id": terminal.unit_id,
            "location_id": terminal.location_id, "timezone": terminal.timezone,
            "ip_allowlist": terminal.ip_allowlist, "push_key": bool(terminal.push_key_hash)}


def assign_terminal(terminal: Terminal, *, unit: Unit, location: WorkLocation, name: str | None = None,
                    tz: str | None = None, ip_allowlist: str | None = None, actor: Any = None) -> int:
    """Assign a terminal to an OPD unit and location, activate it, and release its held lines
    (recomputing their UTC time in the now-known zone). Returns the number of lines released."""
    before = snapshot(terminal)
    with transaction.atomic():
        terminal.unit = unit
        terminal.location = location
        terminal.timezone = tz or location.timezone
        if name is not None:
            terminal.name = name
        if ip_allowlist is not None:
            terminal.ip_allowlist = ip_allowlist
        if not terminal.is_secured and terminal.last_ip:
            # Approved without an allow-list or a key: trust the address it has been talking from, nothing else
            # (the operator widens the list or makes a push key when the office's address changes).
            terminal.ip_allowlist = terminal.last_ip
        if terminal.status != TerminalStatus.ACTIVE:
            terminal.activated_at = timezone.now()
        terminal.status = TerminalStatus.ACTIVE
        terminal.full_clean()
        terminal.save()
        released = release_held(terminal)
        _audit(actor, "terminal.assign", terminal, before, snapshot(terminal))
    return released


def release_held(terminal: Terminal) -> int:
    """Held lines of an (now active) terminal → queued, in the terminal's zone; conversion scheduled."""
    held = list(AttLog.objects.filter(terminal=terminal, state=AttLogState.HELD).only("pk", "local_time"))
    if not held:
        return 0
    tz = terminal.timezone
    for row in held:
        local = protocol.parse_local_time(row.local_time)
        if local is not None:
            row.occurred_at = protocol.to_utc(local, tz)
        row.state = AttLogState.QUEUED
    AttLog.objects.bulk_update(held, ["occurred_at", "state"], batch_size=1000)
    schedule_conversion(terminal.pk)
    return len(held)


# ---------------------------------------------------------------------------------------------
# Command queue


def queue_command(terminal: Terminal, command: str, by: Any = None) -> TerminalCommand:
    command = command.replace("\r", "").replace("\n", " ").strip()
    return TerminalCommand.objects.create(terminal=terminal, command=command,
                                          created_by=by if getattr(by, "pk", None) else None)


def queue_user_sync(terminal: Terminal, employees: Iterable[Employee], by: Any = None) -> list[TerminalCommand]:
    """DATA UPDATE USERINFO for each employee with a PIN (override PIN for this terminal first)."""
    employees = list(employees)
    overrides = {row.employee_id: row.pin for row in TerminalPin.objects.filter(
        terminal=terminal, employee__in=employees)}
    commands = []
    for emp in employees:
        pin = overrides.get(emp.pk) or emp.device_pin
        if pin:
            commands.append(TerminalCommand(terminal=terminal, created_by=by if getattr(by, "pk", None) else None,
                                            command=protocol.user_update_command(pin, emp.name)))
    return TerminalCommand.objects.bulk_create(commands)


def next_commands(terminal: Terminal, limit: int) -> list[TerminalCommand]:
    """Queued commands to hand out now; marked sent in the same transaction."""
    with transaction.atomic():
        cmds = list(TerminalCommand.objects.select_for_update().filter(
            terminal=terminal, status=CommandStatus.QUEUED).order_by("id")[:limit])
        if cmds:
            now = timezone.now()
            TerminalCommand.objects.filter(pk__in=[c.pk for c in cmds]).update(status=CommandStatus.SENT, sent_at=now)
    return cmds


def record_results(terminal: Terminal, results: Sequence[protocol.CommandResult]) -> int:
    """Store devicecmd answers (Return 0 = success, negative = error); INFO answers update the terminal."""
    now = timezone.now()
    done = 0
    for res in results:
        cmd = TerminalCommand.objects.filter(terminal=terminal, pk=res.command_id).first()
        if cmd is None:
            continue
        ok = res.return_code is not None and res.return_code >= 0
        cmd.status = CommandStatus.DONE if ok else CommandStatus.FAILED
        cmd.return_code = res.return_code
        cmd.result = "\n".join(filter(None, [f"CMD={res.cmd}" if res.cmd else "", res.extra]))[:5000]
        cmd.done_at = now
        cmd.save(update_fields=["status", "return_code", "result", "done_at"])
        if res.cmd.upper() == "INFO" and res.extra:
            update_info(terminal, protocol.parse_info_lines(res.extra))
        done += 1
    return done


# ---------------------------------------------------------------------------------------------
# Who to tell


def operators_for(terminal: Terminal) -> list[Any]:
    """Operator OPD accounts whose scope contains the terminal's unit."""
    unit = terminal.unit
    if unit is None:
        return []
    path = unit.path
    users = []
    for ra in RoleAssignment.objects.filter(role=Role.OPERATOR_OPD, unit__isnull=False).select_related(
            "user", "unit"):
        scope = ra.unit.path if ra.unit is not None else ""
        if scope and (path == scope or path.startswith(scope + ".")) and ra.user.is_active:
            users.append(ra.user)
    return list({u.pk: u for u in users}.values())


def notify_operators(terminal: Terminal, subject: str, body: str, url: str = "", kind: str = "warning") -> int:
    sent = 0
    for user in operators_for(terminal):
        try:
            notify(user, subject, body, url=url, kind=kind)
            sent += 1
        except Exception:
            log.exception("notify failed for terminal %s", terminal.serial_number)
    return sent


# ---------------------------------------------------------------------------------------------
# The registry as operators and BKPSDM manage it (the API). An operator sees and manages the terminals of
# the units they administer; pending (unassigned) terminals are listed to regency-wide admins only, but an
# operator may claim one by its serial number (printed on the device) for a unit of theirs.

MAX_TERMINALS_LISTED = 500
MAX_COMMANDS_LISTED = 200
MAX_LOG_LINES_LISTED = 5000
COMMAND_TEXT = {"reboot": "REBOOT", "info": "INFO", "check": "CHECK"}


def terminals_for(user: Any) -> QuerySet[Terminal]:
    qs = Terminal.objects.select_related("unit", "location")
    paths = admin_paths(user)
    if paths is None:
        return qs
    scope = path_q(paths, "unit__")
    if is_bkpsdm(user):
        scope |= Q(unit__isnull=True)  # regency-wide admins see the pending terminals to assign
    return qs.filter(scope)


def terminal_for(user: Any, terminal_id: int) -> Terminal:
    terminal = terminals_for(user).filter(pk=terminal_id).first()
    if terminal is None:
        raise NotFound(_("Mesin absensi tidak ditemukan."), code="not_found")
    return terminal


def listed_terminals(user: Any, status: str | None = None, unit_id: int | None = None) -> QuerySet[Terminal]:
    """The user's terminals (with that status, in that unit's subtree), by name."""
    qs = terminals_for(user)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            return qs.none()
        qs = qs.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + "."))
    return qs.order_by("name", "serial_number")[:MAX_TERMINALS_LISTED]


def held_count(terminal: Terminal) -> int:
    """Lines a pending terminal holds until it is assigned (0 once it is)."""
    if terminal.status != TerminalStatus.PENDING:
        return 0
    return AttLog.objects.filter(terminal=terminal, state=AttLogState.HELD).count()


def down_days_for(user: Any, month: str, unit_id: int | None = None) -> QuerySet[TerminalDownDay]:
    """Days a terminal was down in one month (YYYY-MM), in the user's OPDs (one of them, if given)."""
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise Unprocessable(_("Format bulan harus YYYY-MM."), field="month") from None
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    qs = TerminalDownDay.objects.filter(date__gte=first, date__lt=nxt).select_related("terminal", "opd")
    qs = qs.filter(path_q(admin_paths(user), "opd__"))
    if unit_id:
        qs = qs.filter(opd_id=unit_id)
    return qs.order_by("date", "opd__name")


def _target(user: Any, unit_id: int, location_id: int) -> tuple[Unit, WorkLocation]:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_administer_unit(user, unit):
        raise NotAllowed(_("Anda tidak berhak menetapkan mesin ke unit ini."), field="unit_id", code="forbidden")
    location = WorkLocation.objects.select_related("unit").filter(pk=location_id, is_active=True).first()
    if location is None or location.unit.opd_id != unit.opd_id:
        raise Unprocessable(_("Lokasi kerja harus lokasi aktif milik OPD yang sama dengan unit."),
                            field="location_id", code="invalid_location")
    return unit, location


def assign_to_unit(user: Any, terminal: Terminal, *, unit_id: int, location_id: int, name: str | None = None,
                   tz: str | None = None, ip_allowlist: str | None = None) -> int:
    """Assign a terminal to one of the user's units and a work location of its OPD; returns the lines released."""
    unit, location = _target(user, unit_id, location_id)
    if ip_allowlist is not None:
        try:
            parse_allowlist(ip_allowlist)
        except ValueError:
            raise Unprocessable(_("Daftar IP tidak valid; contoh: 10.1.2.3, 192.168.1.0/24."),
                                field="ip_allowlist") from None
    released = assign_terminal(terminal, unit=unit, location=location, name=name, tz=tz, ip_allowlist=ip_allowlist,
                               actor=user)
    terminal.refresh_from_db()
    return released


def claimable(serial_number: str) -> Terminal:
    """A terminal that has called in but is not assigned yet, by its serial number."""
    terminal = Terminal.objects.filter(serial_number=serial_number.strip()).first()
    if terminal is None:
        raise NotFound(_("Mesin dengan nomor seri ini belum pernah terhubung ke server. Pastikan alamat "
                         "server di mesin sudah benar, lalu coba lagi."), field="serial_number", code="not_found")
    if terminal.status != TerminalStatus.PENDING:
        raise Conflict(_("Mesin ini sudah ditetapkan."), field="serial_number", code="already_assigned")
    return terminal


def update_terminal(user: Any, terminal: Terminal, *, name: str | None = None, status: str | None = None,
                    ip_allowlist: str | None = None, location_id: int | None = None) -> Terminal:
    """Rename, enable/disable, change the IP allowlist or the location of an assigned terminal; re-enabling
    releases the lines held meanwhile."""
    if terminal.unit is None or not can_administer_unit(user, terminal.unit):
        raise NotAllowed(_("Tetapkan mesin ke unit terlebih dahulu."), code="forbidden")
    before = snapshot(terminal)
    if name is not None:
        terminal.name = name
    if ip_allowlist is not None:
        terminal.ip_allowlist = ip_allowlist
    if location_id is not None:
        _unit, location = _target(user, terminal.unit.pk, location_id)
        terminal.location = location
    reactivated = False
    if status is not None:
        reactivated = terminal.status != status and status == TerminalStatus.ACTIVE
        terminal.status = status
    try:
        terminal.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise Unprocessable(messages[0], field=field) from None
    terminal.save()
    if reactivated:
        release_held(terminal)
    _audit(user, "terminal.update", terminal, before, snapshot(terminal))
    return terminal


def make_push_key(user: Any, terminal: Terminal) -> str:
    """A new push key for an assigned terminal in the user's scope (the old one stops working at once).
    Returns the key: shown to the operator once, only its hash is kept."""
    if terminal.unit is None or not can_administer_unit(user, terminal.unit):
        raise NotAllowed(_("Tetapkan mesin ke unit terlebih dahulu."), code="forbidden")
    before = snapshot(terminal)
    key = terminal.new_push_key()
    terminal.save(update_fields=["push_key_hash"])
    _audit(user, "terminal.push_key", terminal, before, snapshot(terminal))
    return key


def queue_for(user: Any, terminal: Terminal, command: str, *, employee_ids: list[int] | None = None,
              raw: str | None = None) -> list[TerminalCommand]:
    """Queue a command: reboot, info, check, sync_users (the user's employees with a PIN: those given, else
    those of the terminal's location) or raw (super-admins only)."""
    if command == "sync_users":
        if terminal.unit is None:
            raise Unprocessable(_("Tetapkan mesin ke unit terlebih dahulu."), code="unassigned")
        emps = Employee.objects.filter(is_active=True).filter(path_q(admin_paths(user), "unit__"))
        if employee_ids:
            emps = emps.filter(pk__in=employee_ids)
        elif terminal.location_id:
            emps = emps.filter(locations=terminal.location_id)
        cmds = queue_user_sync(terminal, emps.distinct(), by=user)
        if not cmds:
            raise Unprocessable(_("Tidak ada pegawai dengan PIN mesin untuk dikirim."), field="employee_ids")
        return cmds
    if command == "raw":
        if not is_super_admin(user):
            raise NotAllowed(_("Perintah bebas hanya untuk super-admin."), code="forbidden")
        if not raw or not raw.strip():
            raise Unprocessable(_("Perintah wajib diisi."), field="raw")
        return [queue_command(terminal, raw, by=user)]
    return [queue_command(terminal, COMMAND_TEXT[command], by=user)]


def commands_of(terminal: Terminal) -> QuerySet[TerminalCommand]:
    return TerminalCommand.objects.filter(terminal=terminal).order_by("-id")[:MAX_COMMANDS_LISTED]


def raw_lines(terminal: Terminal, day: dt.date) -> list[tuple[AttLog, Employee | None]]:
    """The terminal's raw lines of one local date, each with the employee its PIN maps to."""
    rows = list(lines_on(terminal, day).order_by("local_time", "pin")[:MAX_LOG_LINES_LISTED])
    mapping = PinMap({terminal.pk}, {r.pin for r in rows})
    return [(r, mapping.get(terminal.pk, r.pin)) for r in rows]
