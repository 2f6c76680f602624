"""Tiered approval: open items for check-ins and leave requests, find who decides, decide (one or
in bulk), escalate what waited too long (one level per period, summarised per approver). Every decision is audited (hadir.audit) and marks the days it
changes in the presence outbox, so their daily status is recomputed. A decided leave item is handed to the
leave workflow (a higher layer) through the `request_decided` signal. Administrators appoint acting heads
(Plt/Plh) and set each OPD's policy."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.audit.services import record, record_many, snapshot
from hadir.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from hadir.notify.services import notify
from hadir.org.models import Employee, Position, Role, RoleAssignment, Unit, UnitKind, employee_of
from hadir.org.scoping import (
    can_administer_unit,
    is_super_admin,
    path_q,
    require_admin,
    scope_queryset,
    self_service_refusal,
)
from hadir.presence import outbox
from hadir.presence.corrections import apply_correction, reject_correction
from hadir.presence.models import CheckIn, Correction, Validity

from . import routing
from .models import ApprovalItem, ApprovalMode, ApprovalPolicy, Delegation, ItemKind, ItemStatus
from .signals import request_decided

log = logging.getLogger(__name__)


# --- policy ------------------------------------------------------------------------------------


def default_mode() -> str:
    return str(getattr(settings, "HADIR_APPROVAL_MODE", ApprovalMode.FLAGGED))


def default_escalate_days() -> int:
    return int(getattr(settings, "HADIR_APPROVAL_ESCALATE_DAYS", 3))


def _root_id(unit: Unit) -> int | None:
    head = (unit.path or "").split(".", 1)[0]
    return int(head) if head.isdigit() else None


def policy_for_unit(unit: Unit) -> tuple[str, int]:
    """(mode, escalate_after_days): the OPD's policy, else the regency's, else the settings default."""
    ids = [i for i in (unit.opd_id, _root_id(unit)) if i is not None]
    found = {p.unit_id: p for p in ApprovalPolicy.objects.filter(unit_id__in=ids)}
    for unit_id in ids:
        if unit_id in found:
            return found[unit_id].mode, found[unit_id].escalate_after_days
    return default_mode(), default_escalate_days()


# --- the tree ----------------------------------------------------------------------------------


class Structure:
    """The part of the position/unit trees that approver chains pass through, loaded lazily and kept
    for reuse (one instance can serve a whole escalation run). Loading a chain costs a few queries
    whatever the size of the OPD: the unit's ancestors come from its materialised path, their heads
    from one query, explicit atasan positions one level at a time."""

    def __init__(self) -> None:
        self.positions: dict[int, routing.PositionNode] = {}
        self.units: dict[int, routing.UnitNode] = {}
        self.heads: dict[int, int] = {}

    def _load_units(self, paths: Iterable[str]) -> None:
        ids = {int(part) for path in paths for part in (path or "").split(".") if part.isdigit()} - set(self.units)
        if not ids:
            return
        for pk, parent_id, kind in Unit.objects.filter(pk__in=ids).values_list("pk", "parent_id", "kind"):
            self.units[pk] = routing.UnitNode(pk, parent_id, kind == UnitKind.PEMDA)
        head_rows = Position.objects.filter(unit_id__in=ids, is_head=True).order_by("pk").values_list(
            "pk", "unit_id", "parent_id", "is_head", "unit__path"
        )
        self._add(head_rows)

    def _load_positions(self, ids: Iterable[int]) -> None:
        wanted = set(ids) - set(self.positions)
        if wanted:
            self._add(Position.objects.filter(pk__in=wanted).order_by("pk").values_list(
                "pk", "unit_id", "parent_id", "is_head", "unit__path"))

    def _add(self, rows: Iterable[tuple[int, int, int | None, bool, str]]) -> None:
        paths: list[str] = []
        for pk, unit_id, parent_id, is_head, path in rows:
            self.positions[pk] = routing.PositionNode(pk, unit_id, parent_id, is_head)
            if is_head:
                self.heads.setdefault(unit_id, pk)
            paths.append(path)
        self._load_units(paths)

    def chain(self, position_id: int | None) -> list[int]:
        if position_id is None:
            return []
        self._load_positions([position_id])
        for _round in range(20):
            chain = routing.superior_chain(position_id, self.positions, self.units, self.heads)
            last = self.positions.get(chain[-1] if chain else position_id)
            if last is None or last.parent_id is None or last.parent_id in self.positions:
                return chain
            self._load_positions([last.parent_id])
        return routing.superior_chain(position_id, self.positions, self.units, self.heads)


    def chain_for(self, employee: Employee) -> list[int]:
        """The employee's superior positions; without a jabatan record (common for honorer staff) the
        chain starts at the head of their unit (or the nearest unit above that has one)."""
        if employee.position_id is not None:
            return self.chain(employee.position_id)
        unit = employee.unit
        self._load_units([unit.path])
        node: routing.UnitNode | None = self.units.get(unit.pk)
        while node is not None and not node.is_pemda:
            head = self.heads.get(node.id)
            if head is not None:
                return [head, *self.chain(head)]
            node = self.units.get(node.parent_id) if node.parent_id is not None else None
        return []


def slots(chain: list[int], on: dt.date) -> list[routing.Slot]:
    holders: dict[int, set[int]] = {pid: set() for pid in chain}
    delegates: dict[int, set[int]] = {pid: set() for pid in chain}
    for pid, emp_id in Employee.objects.active_on(on).filter(position_id__in=chain).values_list("position_id", "pk"):
        holders[pid].add(emp_id)
    active_delegates = Delegation.objects.filter(
        position_id__in=chain, start_date__lte=on, end_date__gte=on, delegate__is_active=True
    ).values_list("position_id", "delegate_id")
    for pid, emp_id in active_delegates:
        delegates[pid].add(emp_id)
    return [routing.Slot(pid, frozenset(holders[pid]), frozenset(delegates[pid])) for pid in chain]


def resolve_for(employee: Employee, on: dt.date | None = None, escalation: int = 0,
                structure: Structure | None = None) -> routing.Resolution:
    on = on or timezone.localdate()
    structure = structure or Structure()
    return routing.resolve(slots(structure.chain_for(employee), on), employee.pk, escalation)


def actable_position_ids(employee: Employee, on: dt.date | None = None) -> set[int]:
    """Positions `employee` decides for on `on`: their own and those they act for (Plt/Plh)."""
    on = on or timezone.localdate()
    ids = set(
        Delegation.objects.filter(delegate=employee, start_date__lte=on, end_date__gte=on).values_list(
            "position_id", flat=True
        )
    )
    if employee.position_id and employee.is_active:
        ids.add(employee.position_id)
    return ids


def _bkpsdm_paths(user: Any) -> list[str] | None:
    """Subtrees where `user` decides items no atasan can (None: everywhere)."""
    if is_super_admin(user):
        return None
    return list(
        RoleAssignment.objects.filter(user=user, role=Role.ADMIN_BKPSDM, unit__isnull=False).values_list(
            "unit__path", flat=True
        )
    )


def can_decide(user: Any, item: ApprovalItem, on: dt.date | None = None,
               positions: set[int] | None = None) -> bool:
    """May `user` decide `item` on date `on`? (`positions`: their actable positions, if already known.)"""
    if item.status != ItemStatus.PENDING or not getattr(user, "is_authenticated", False):
        return False
    me = employee_of(user)
    if me is not None and me.pk == item.employee_id:
        return False  # nobody approves themself
    if item.approver_position_id is None:
        paths = _bkpsdm_paths(user)
        if paths is None:
            return True
        unit_path = item.employee.unit.path
        return any(unit_path == p or unit_path.startswith(p + ".") for p in paths)
    if me is None:
        return False
    return item.approver_position_id in (positions if positions is not None else actable_position_ids(me, on))


def inbox(user: Any, on: dt.date | None = None) -> QuerySet[ApprovalItem]:
    """Pending items `user` may decide now."""
    me = employee_of(user)
    q = Q(pk__in=[])
    if me is not None:
        positions = actable_position_ids(me, on)
        if positions:
            q |= Q(approver_position_id__in=positions)
    paths = _bkpsdm_paths(user)
    if paths is None:
        q |= Q(approver_position__isnull=True)
    elif paths:
        q |= Q(approver_position__isnull=True) & path_q(paths, "employee__unit__")
    qs = ApprovalItem.objects.filter(q, status=ItemStatus.PENDING)
    if me is not None:
        qs = qs.exclude(employee=me)
    return qs.select_related(
        "employee__unit", "employee__position", "approver_position", "checkin__location", "leave_request",
        "correction"
    ).order_by("created_at", "pk")


def items_by_id(ids: list[int]) -> list[ApprovalItem]:
    """The items, in the order of `ids`, with what showing them needs."""
    rows = ApprovalItem.objects.select_related(
        "employee__unit", "employee__position", "approver_position", "checkin__location", "leave_request",
        "correction"
    ).in_bulk(ids)
    return [rows[i] for i in ids]


# --- opening items -----------------------------------------------------------------------------


def notify_approvers(resolution: routing.Resolution, employee: Employee, subject: str, body: str,
                      url: str = "/persetujuan/") -> None:
    users: list[Any]
    if resolution.position_id is None:
        paths = [p for p in Unit.objects.filter(
            roles__role=Role.ADMIN_BKPSDM).values_list("path", flat=True)]
        unit_path = employee.unit.path
        scoped = [p for p in paths if unit_path == p or unit_path.startswith(p + ".")]
        users = list({ra.user for ra in RoleAssignment.objects.filter(
            role=Role.ADMIN_BKPSDM, unit__path__in=scoped).select_related("user")})
    else:
        users = [e.user for e in Employee.objects.filter(pk__in=resolution.approver_ids).select_related("user")
                 if e.user is not None]
    for user in users:
        try:
            notify(user, subject, body, url=url, kind="approval")
        except Exception:  # a notification must never block the approval flow
            log.exception("notify failed for user %s", user.pk)


def _notify_user(user: Any, subject: str, body: str) -> None:
    try:
        notify(user, subject, body, url="/m/", kind="approval")
    except Exception:
        log.exception("notify failed for user %s", user.pk)


def open_checkin_item(checkin: CheckIn) -> ApprovalItem | None:
    """Apply the approval policy to one stored check-in (see open_checkin_items)."""
    items = open_checkin_items([checkin])
    return items[0] if items else None


def open_checkin_items(checkins: list[CheckIn]) -> list[ApprovalItem]:
    """Apply the approval policy to stored check-ins, set-based: pending + an item for the atasan where the
    policy asks for it, not-required where it does not. Idempotent (rows that have an item are skipped);
    a few queries per batch plus the approver lookups of the rows that need one."""
    if not checkins:
        return []
    have = set(ApprovalItem.objects.filter(checkin_id__in=[c.pk for c in checkins]).values_list("checkin_id",
                                                                                                  flat=True))
    todo = [c for c in checkins if c.pk not in have]
    if not todo:
        return []
    employees = Employee.objects.select_related("unit").in_bulk({c.employee_id for c in todo})
    policies: dict[int, tuple[str, int]] = {}
    wanted: list[CheckIn] = []
    not_needed: list[CheckIn] = []
    for checkin in todo:
        employee = employees.get(checkin.employee_id)
        if employee is None:
            continue
        if employee.unit_id not in policies:
            policies[employee.unit_id] = policy_for_unit(employee.unit)
        mode, _days = policies[employee.unit_id]
        if routing.needs_approval(mode, kind=checkin.kind, source=checkin.source, verdict=checkin.verdict,
                                  fraud_flags=list(checkin.fraud_flags or [])):
            wanted.append(checkin)
        elif checkin.validity == Validity.PENDING:
            not_needed.append(checkin)  # the pipeline marks flagged/offline rows pending; the policy decides
    if not_needed:
        CheckIn.objects.filter(pk__in=[c.pk for c in not_needed], validity=Validity.PENDING).update(
            validity=Validity.NOT_REQUIRED)
        for checkin in not_needed:
            checkin.validity = Validity.NOT_REQUIRED
    structure = Structure()  # shared by the batch: one OPD's chain is loaded once
    items: list[ApprovalItem] = []
    for checkin in wanted:
        employee = employees[checkin.employee_id]
        resolution = resolve_for(employee, checkin.local_date, structure=structure)
        try:
            with transaction.atomic():
                item = ApprovalItem.objects.create(
                    kind=ItemKind.CHECKIN, checkin=checkin, employee=employee,
                    approver_position_id=resolution.position_id,
                )
                CheckIn.objects.filter(pk=checkin.pk, validity=Validity.NOT_REQUIRED).update(
                    validity=Validity.PENDING)
        except IntegrityError:  # a concurrent handler opened it
            continue
        checkin.validity = Validity.PENDING
        items.append(item)
    return items


def open_leave_item(req: Any) -> ApprovalItem:
    employee = req.employee
    resolution = resolve_for(employee, timezone.localdate())
    item = ApprovalItem.objects.create(
        kind=ItemKind.LEAVE, leave_request=req, employee=employee, approver_position_id=resolution.position_id,
    )
    notify_approvers(
        resolution, employee, _("Pengajuan %(kind)s dari %(name)s") % {"kind": req.get_kind_display(),
                                                                      "name": employee.name},
        _("%(kind)s %(start)s–%(end)s menunggu persetujuan Anda.") % {
            "kind": req.get_kind_display(), "start": req.start_date.strftime("%d/%m/%Y"),
            "end": req.end_date.strftime("%d/%m/%Y")},
    )
    return item


def close_leave_item(req: Any, by: Any) -> None:
    ApprovalItem.objects.filter(leave_request=req, status=ItemStatus.PENDING).update(
        status=ItemStatus.CANCELLED, decided_by=by if getattr(by, "is_authenticated", False) else None,
        decided_at=timezone.now(), reason=_("Dibatalkan oleh pemohon/admin."),
    )


# --- deciding ----------------------------------------------------------------------------------


_VALIDITY_FIELDS = ["validity", "validated_by", "validated_at", "validity_reason"]


def _decide_checkins(items: list[ApprovalItem], user: Any, approve: bool, reason: str,
                     now: dt.datetime) -> set[tuple[int, dt.date]]:
    """Set the validity of the items' check-ins in one statement, one audit entry each (one chain lock)."""
    ids = [i.checkin_id for i in items if i.checkin_id is not None]
    checkins = list(CheckIn.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    validity = Validity.VALID if approve else Validity.INVALID
    changes = []
    for checkin in checkins:
        before = snapshot(checkin, _VALIDITY_FIELDS)
        checkin.validity, checkin.validated_by, checkin.validated_at = validity, user, now
        checkin.validity_reason = reason[:300]
        changes.append((checkin, before, snapshot(checkin, _VALIDITY_FIELDS)))
    CheckIn.objects.filter(pk__in=ids).update(validity=validity, validated_by=user, validated_at=now,
                                              validity_reason=reason[:300])
    record_many(user, "checkin.valid" if approve else "checkin.invalid", changes, reason)
    if not approve:
        owners = {i.employee_id: i.employee.user for i in items}
        for checkin in checkins:
            owner = owners.get(checkin.employee_id)
            if owner is not None:
                _notify_user(owner, _("Presensi Anda dinyatakan tidak valid"),
                             _("Presensi %(kind)s tanggal %(date)s dinyatakan tidak valid oleh atasan: "
                               "%(reason)s") % {"kind": checkin.get_kind_display().lower(),
                                                "date": checkin.local_date.strftime("%d/%m/%Y"), "reason": reason})
    return {(c.employee_id, c.local_date) for c in checkins}


def _decide_correction(correction: Correction, user: Any, approve: bool, reason: str) -> None:
    """An approved correction becomes a manual check-in (its day recomputed through the outbox); either way the
    decision is audited and the employee told."""
    before = snapshot(correction, ["status"])
    if approve:
        apply_correction(correction, user, reason)
    else:
        reject_correction(correction, user, reason)
    record(user, "correction.approve" if approve else "correction.reject", correction, before,
           snapshot(correction, ["status", "checkin"]), reason)
    owner = correction.employee.user
    if owner is not None:
        word = _("disetujui") if approve else _("ditolak")
        _notify_user(owner, _("Koreksi presensi Anda %(word)s") % {"word": word},
                     _("Koreksi %(kind)s tanggal %(date)s pukul %(time)s %(word)s.%(reason)s") % {
                         "kind": correction.get_kind_display().lower(), "date": correction.date.strftime("%d/%m/%Y"),
                         "time": correction.time.strftime("%H.%M"), "word": word,
                         "reason": f" {reason}" if reason else ""})


def _check_reason(approve: bool, reason: str) -> str:
    reason = (reason or "").strip()
    if not approve and not reason:
        raise InvalidRequest(_("Alasan wajib diisi untuk menolak atau menandai tidak valid."), field="reason",
                       code="reason_required")
    return reason


def _locked(ids: Iterable[int]) -> list[ApprovalItem]:
    return list(
        ApprovalItem.objects.select_for_update(of=("self",)).filter(pk__in=list(ids))
        .select_related("employee__unit", "employee__user", "leave_request", "correction__employee__user")
        .order_by("pk")
    )


def decide(item_id: int, user: Any, approve: bool, reason: str = "") -> ApprovalItem:
    """Mark one item valid/approved or invalid/rejected (a reason is required to reject)."""
    return decide_many([item_id], user, approve, reason)[0]


def decide_many(item_ids: list[int], user: Any, approve: bool, reason: str = "") -> list[ApprovalItem]:
    """Bulk decision, all or nothing: if any item is gone, decided or not yours, nothing changes."""
    reason = _check_reason(approve, reason)
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise InvalidRequest(_("Pilih paling sedikit satu item."), field="ids", code="required")
    now = timezone.now()
    with transaction.atomic():
        items = _locked(ids)
        found = {i.pk for i in items}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(_("Item tidak ditemukan: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
                           field="ids", code="not_found")
        closed = [i.pk for i in items if i.status != ItemStatus.PENDING]
        if closed:
            raise Conflict(_("Item sudah diputuskan: %(ids)s.") % {"ids": ", ".join(map(str, closed))},
                           field="ids", code="already_decided")
        today = timezone.localdate()
        me = employee_of(user)
        positions = actable_position_ids(me, today) if me is not None else set()
        refused = [i.pk for i in items if not can_decide(user, i, today, positions)]
        if refused:
            raise NotAllowed(_("Anda tidak berhak memutuskan item: %(ids)s.") % {
                "ids": ", ".join(map(str, refused))}, field="ids", code="forbidden")
        status = ItemStatus.APPROVED if approve else ItemStatus.REJECTED
        touched = _decide_checkins([i for i in items if i.kind == ItemKind.CHECKIN], user, approve, reason, now)
        for item in items:
            if item.kind == ItemKind.LEAVE:  # the leave workflow applies it (and may refuse: all or nothing)
                request_decided.send(sender=ApprovalItem, item=item, by=user, approved=approve, reason=reason)
            elif item.kind == ItemKind.CORRECTION and item.correction is not None:
                _decide_correction(item.correction, user, approve, reason)
            item.status, item.decided_by, item.decided_at, item.reason = status, user, now, reason[:300]
        ApprovalItem.objects.filter(pk__in=ids).update(status=status, decided_by=user, decided_at=now,
                                                       reason=reason[:300])
        outbox.mark_days(touched, "approval")
    by_id = {i.pk: i for i in items}
    return [by_id[i] for i in ids]


# --- escalation --------------------------------------------------------------------------------


class EscalationDigest:
    """What one escalation run brought to each approver, sent as ONE notification per person (whatever the number
    of items and positions that reached them): how many items, why, and whose."""

    NAMES_LISTED = 5

    def __init__(self) -> None:
        self._by_employee: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)  # approver employee
        self._bkpsdm: list[tuple[str, str, str]] = []  # (unit path, employee name, move)

    def add(self, resolution: routing.Resolution, employee: Employee, move: str) -> None:
        if resolution.position_id is None:
            self._bkpsdm.append((employee.unit.path, employee.name, move))
            return
        for approver_id in resolution.approver_ids:
            self._by_employee[approver_id][(employee.name, move)] += 1

    def per_user(self) -> dict[Any, Counter[tuple[str, str]]]:
        """{user: Counter((employee name, move))} of everyone who receives items."""
        users: dict[Any, Counter[tuple[str, str]]] = defaultdict(Counter)
        approvers = Employee.objects.filter(pk__in=list(self._by_employee), user__isnull=False).select_related("user")
        for approver in approvers:
            users[approver.user].update(self._by_employee[approver.pk])
        if self._bkpsdm:
            admins = list(RoleAssignment.objects.filter(role=Role.ADMIN_BKPSDM, unit__isnull=False).values_list("unit__path", "user"))
            by_id = get_user_model().objects.in_bulk({user_id for _path, user_id in admins})
            for path, name, move in self._bkpsdm:
                for scope, user_id in admins:
                    if path == scope or path.startswith(scope + "."):
                        users[by_id[user_id]][(name, move)] += 1
        return users

    def send(self) -> int:
        """Notify each recipient once; returns how many were notified."""
        sent = 0
        for user, counts in self.per_user().items():
            total = sum(counts.values())
            late = sum(n for (_name, move), n in counts.items() if move == routing.ESCALATE)
            per_name: Counter[str] = Counter()
            for (name, _move), n in counts.items():
                per_name[name] += n
            ranked = sorted(per_name.items(), key=lambda pair: (-pair[1], pair[0]))
            names = ", ".join(f"{name} ({n})" for name, n in ranked[:self.NAMES_LISTED])
            if len(ranked) > self.NAMES_LISTED:
                names += _(", dan %(n)d pegawai lain") % {"n": len(ranked) - self.NAMES_LISTED}
            body = _("%(n)d item persetujuan kini menunggu keputusan Anda: %(late)d belum diputuskan atasan "
                     "sebelumnya dalam batas waktu, %(vacant)d karena jabatan penyetuju kosong. Pegawai: "
                     "%(names)s.") % {"n": total, "late": late, "vacant": total - late, "names": names}
            try:
                notify(user, _("Eskalasi persetujuan: %(n)d item") % {"n": total}, body, url="/persetujuan/",
                       kind="approval")
            except Exception:  # a notification must never block the approval flow
                log.exception("notify failed for user %s", user.pk)
                continue
            sent += 1
        return sent


def _pending_in_batches(size: int = 500) -> Iterator[ApprovalItem]:
    """Pending items in pk order, fetched in batches by key, no cursor left open between them: the run writes as
    it goes, and on SQLite an open read would pin a snapshot that a write of another connection (the demo's
    server beside the job thread) makes impossible to upgrade ("database is locked"); pgbouncer in transaction
    pooling cannot keep a server-side cursor either."""
    last = 0
    while True:
        batch = list(ApprovalItem.objects.filter(status=ItemStatus.PENDING, pk__gt=last)
                     .select_related("employee__unit").order_by("pk")[:size])
        yield from batch
        if len(batch) < size:
            return
        last = batch[-1].pk


_AUDIT_ACTIONS = {routing.ESCALATE: "approval.escalate", routing.REROUTE: "approval.reroute",
                  routing.STAY: "approval.relevel"}


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """One run of the escalation job (the rule: hadir.approvals.routing, `route`). Each pending item moves at most
    once: one level up after waiting its OPD's `escalate_after_days` at its approver (never past the top of the
    chain that can act), or at once to the next approver when its own can no longer act. Every change is audited;
    each person who received items gets one summary notification. Returns how many items moved."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    structure = Structure()
    policies: dict[int, tuple[str, int]] = {}
    chains: dict[tuple[int, ...], list[routing.Slot]] = {}
    digest = EscalationDigest()
    moved = 0
    for item in _pending_in_batches():
        employee = item.employee
        unit = employee.unit
        opd = unit.opd_id or unit.pk  # the policy is the OPD's (or the regency's)
        if opd not in policies:
            policies[opd] = policy_for_unit(unit)
        _mode, days = policies[opd]
        chain = tuple(structure.chain_for(employee))
        if chain not in chains:
            chains[chain] = slots(list(chain), today)
        waited_days = (now - (item.escalated_at or item.created_at)).total_seconds() / 86400
        where = routing.route(chains[chain], employee.pk, position_id=item.approver_position_id,
                              level=item.escalation_level, waited_days=waited_days, escalate_after_days=days)
        if (where.position_id, where.level) == (item.approver_position_id, item.escalation_level):
            continue
        before = {"escalation_level": item.escalation_level, "approver_position_id": item.approver_position_id}
        after = {"escalation_level": where.level, "approver_position_id": where.position_id}
        changes: dict[str, Any] = dict(after)
        if where.move != routing.STAY:
            changes["escalated_at"] = now  # the wait starts again at the new approver
        reason = {
            routing.ESCALATE: _("Belum diputuskan dalam %(days)d hari.") % {"days": days},
            routing.REROUTE: _("Penyetuju tidak dapat memutuskan (jabatan kosong atau bukan atasan pegawai)."),
            routing.STAY: _("Tingkat eskalasi disesuaikan dengan rantai atasan."),
        }[where.move]
        with transaction.atomic():
            changed = ApprovalItem.objects.filter(  # a concurrent run that moved it first wins
                pk=item.pk, status=ItemStatus.PENDING, approver_position_id=item.approver_position_id,
                escalation_level=item.escalation_level,
            ).update(**changes)
            if not changed:
                continue
            record(None, _AUDIT_ACTIONS[where.move], item, before, after, reason)
        if where.move != routing.STAY:
            moved += 1
            digest.add(where.resolution, employee, where.move)
    digest.send()
    return moved


# --- acting heads (Plt/Plh) and policies, set by administrators ---------------------------------

MAX_DELEGATIONS_LISTED = 500


def acting_heads() -> Q:
    """Employees acting for a head today or later (org's `approvers` asks: they decide for others)."""
    return Q(pk__in=Delegation.objects.filter(end_date__gte=timezone.localdate()).values("delegate_id"))


def delegations_for(user: Any) -> QuerySet[Delegation]:
    """The acting heads in the administrator's scope, latest start first."""
    require_admin(user)
    qs = scope_queryset(user, Delegation.objects.select_related("position", "delegate"), "position__unit")
    return qs.order_by("-start_date")[:MAX_DELEGATIONS_LISTED]


def appoint_acting_head(user: Any, *, position_id: int, delegate_id: int, kind: str, start_date: dt.date,
                        end_date: dt.date, decree_number: str = "") -> Delegation:
    """Appoint a Plt/Plh for a position; both the position and the delegate must be in the user's scope."""
    require_admin(user)
    position = Position.objects.select_related("unit").filter(pk=position_id).first()
    if position is None or not can_administer_unit(user, position.unit):
        raise NotFound(_("Jabatan tidak ditemukan."), field="position_id", code="not_found")
    delegate = Employee.objects.select_related("unit").filter(pk=delegate_id, is_active=True).first()
    if delegate is None or not can_administer_unit(user, delegate.unit):
        raise NotFound(_("Pegawai tidak ditemukan."), field="delegate_id", code="not_found")
    refused = self_service_refusal(user, employee=delegate)
    if refused:
        raise NotAllowed(_("Anda tidak dapat menunjuk diri sendiri sebagai Plt/Plh; mintalah admin BKPSDM."),
                         field="delegate_id", code="self_appointment")
    d = Delegation(position=position, delegate=delegate, kind=kind, start_date=start_date, end_date=end_date,
                   decree_number=decree_number, created_by=user if user.is_authenticated else None)
    try:
        d.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidRequest(messages[0], field=field, code="invalid") from exc
    with transaction.atomic():
        d.save()
        record(user, "delegation.create", d, {}, snapshot(d))
    return d


def revoke_acting_head(user: Any, delegation_id: int) -> None:
    require_admin(user)
    d = scope_queryset(user, Delegation.objects.all(), "position__unit").filter(pk=delegation_id).first()
    if d is None:
        raise NotFound(_("Plt/Plh tidak ditemukan."), code="not_found")
    with transaction.atomic():
        record(user, "delegation.delete", d, snapshot(d), {})
        d.delete()


def policy_unit(user: Any, unit_id: int) -> Unit:
    """The regency or OPD whose approval policy the administrator reads or sets."""
    require_admin(user)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_administer_unit(user, unit):
        raise NotFound(_("Unit tidak ditemukan."), field="unit_id", code="not_found")
    if unit.kind != UnitKind.PEMDA and not unit.is_opd:
        raise InvalidRequest(_("Kebijakan hanya dapat diatur untuk Pemda atau OPD."), field="unit_id",
                             code="not_opd")
    return unit


def has_own_policy(unit: Unit) -> bool:
    """False: no row for this unit; the regency's (or the default) applies."""
    return ApprovalPolicy.objects.filter(unit=unit).exists()


def set_policy(user: Any, unit_id: int, mode: str, escalate_after_days: int) -> Unit:
    unit = policy_unit(user, unit_id)
    fields = ["mode", "escalate_after_days"]
    with transaction.atomic():
        row = ApprovalPolicy.objects.select_for_update().filter(unit=unit).first()
        before = snapshot(row, fields) if row else {}
        row = row or ApprovalPolicy(unit=unit)
        row.mode, row.escalate_after_days = mode, escalate_after_days
        row.save()
        record(user, "approval.policy", row, before, snapshot(row, fields))
    return unit
