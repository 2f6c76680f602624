"""The audit trail every app writes to: `record()` appends one entry to the chain; `verify_chain()` checks it;
`trail()` is what BKPSDM and super-admins read."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import NotAllowed
from hadir.org.scoping import is_bkpsdm

from .models import GENESIS_HASH, AuditEntry, ChainHead

SYSTEM_ACTOR = "sistem"


def to_json_value(value: Any) -> Any:
    """Plain JSON (dates → ISO strings, Decimals/UUIDs → strings) so the stored value hashes the same
    after a round trip through any database."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, SYSTEM_ACTOR
    return actor.pk, actor.get_username()[:150]


def _lock_head() -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        # Normally made by the migration; a flushed test database needs it again. A concurrent creator
        # wins the race, then we lock the row it made.
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
        except IntegrityError:
            pass
        return ChainHead.objects.select_for_update().get(pk=1)


def record(actor: Any, action: str, target: models.Model, before: dict[str, Any], after: dict[str, Any],
           reason: str = "") -> AuditEntry:
    """Append an entry: `actor` (a user, or None for the system) did `action` to `target`, changing it
    from `before` to `after` because `reason`. Runs in (or joins) a transaction; the chain head row is
    locked so entries are numbered and hashed strictly one after another."""
    actor_id, actor_name = _actor(actor)
    meta = target._meta
    with transaction.atomic():
        head = _lock_head()
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_name=actor_name,
            action=action[:60],
            target_type=f"{meta.app_label}.{meta.model_name}",
            target_id=str(target.pk)[:64],
            target_repr=str(target)[:200],
            before=to_json_value(before or {}),
            after=to_json_value(after or {}),
            reason=reason or "",
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        ChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def record_many(actor: Any, action: str, changes: Sequence[tuple[models.Model, dict[str, Any], dict[str, Any]]],
                reason: str = "") -> list[AuditEntry]:
    """Append one entry per (target, before, after), all by `actor` for `reason` (a bulk approval):
    one head lock, one insert, one head update however many entries."""
    return record_rows(actor, action, [
        AuditRow(f"{t._meta.app_label}.{t._meta.model_name}", str(t.pk), str(t), before, after, reason)
        for t, before, after in changes
    ])


class AuditRow(NamedTuple):
    """One entry of a bulk write, for targets that are not loaded as model instances (e.g. the daily statuses
    the outbox drain recomputed: target_id "employee_id:date")."""

    target_type: str
    target_id: str
    target_repr: str
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str = ""


def record_rows(actor: Any, action: str, rows: Sequence[AuditRow]) -> list[AuditEntry]:
    """Append one entry per row, all by `actor`: one head lock, one insert, one head update."""
    if not rows:
        return []
    actor_id, actor_name = _actor(actor)
    with transaction.atomic():
        head = _lock_head()
        seq, prev = head.last_seq, head.last_hash
        entries: list[AuditEntry] = []
        now = timezone.now()
        for row in rows:
            seq += 1
            entry = AuditEntry(
                seq=seq, at=now, actor_id=actor_id, actor_name=actor_name, action=action[:60],
                target_type=row.target_type[:100], target_id=row.target_id[:64], target_repr=row.target_repr[:200],
                before=to_json_value(row.before or {}), after=to_json_value(row.after or {}),
                reason=row.reason or "", prev_hash=prev,
            )
            entry.hash = entry.compute_hash()
            prev = entry.hash
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        ChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
    return entries


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def _entries(chunk: int = 2000) -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk)


def verify_chain() -> ChainReport:
    """Walk the chain in order; report the first entry whose number, link or hash does not hold."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in _entries():
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"entri #{expected_seq} hilang (berikutnya #{entry.seq})")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, checked, entry.seq, "tautan ke entri sebelumnya tidak cocok")
        if entry.compute_hash() != entry.hash:
            return ChainReport(False, checked, entry.seq, "isi entri tidak cocok dengan hash-nya (diubah)")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        if head.last_seq > checked:
            return ChainReport(False, checked, checked + 1, f"entri #{checked + 1}–#{head.last_seq} hilang")
        return ChainReport(False, checked, head.last_seq, "kepala rantai tidak cocok dengan entri terakhir")
    return ChainReport(True, checked)


def require_auditor(user: Any) -> None:
    """Only BKPSDM and super-admins read the trail."""
    if not is_bkpsdm(user):
        raise NotAllowed(_("Jejak audit hanya untuk BKPSDM dan super-admin."), code="forbidden")


def trail(user: Any) -> QuerySet[AuditEntry]:
    """The whole trail, newest first, for a reader allowed to see it."""
    require_auditor(user)
    return AuditEntry.objects.order_by("-seq")


def snapshot(obj: models.Model, fields: list[str] | None = None, m2m: bool = True) -> dict[str, Any]:
    """Field values of a model instance for before/after: FKs as ids, files as names, M2M as sorted ids
    (when the object is saved); secrets masked."""
    data: dict[str, Any] = {}
    opts = obj._meta
    for f in opts.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        name = f.attname if f.is_relation else f.name
        if f.name in SECRET_FIELDS:
            data[f.name] = "***"
            continue
        value = f.value_from_object(obj)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[name] = value
    if m2m and obj.pk is not None:
        for rel in opts.many_to_many:
            if fields is not None and rel.name not in fields:
                continue
            data[rel.name] = sorted(getattr(obj, rel.attname).values_list("pk", flat=True))
    return to_json_value(data)


SECRET_FIELDS = {"password", "key_hash", "secret", "token"}
