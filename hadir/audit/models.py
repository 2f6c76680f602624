"""The audit trail: an append-only, hash-chained log of status changes, approvals, corrections and
admin edits.

Each entry stores sha256(canonical JSON of its own fields + the previous entry's hash), so editing,
deleting or re-ordering any row breaks the chain from that row on; `hadir audit_verify` walks it.
Rows are refused at model level once written (save on an existing row, delete, queryset
update/delete raise). The chain head (last sequence number and hash) lives in a singleton row that
writers lock (SELECT ... FOR UPDATE) so concurrent writers on PostgreSQL serialise cleanly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove a written audit entry."""


GENESIS_HASH = "0" * 64


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError("Jejak audit tidak dapat diubah.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Jejak audit tidak dapat dihapus.")


class AuditEntry(models.Model):
    seq = models.BigIntegerField("urutan", unique=True, editable=False)
    at = models.DateTimeField("waktu", editable=False, db_index=True)
    # No database FK: deleting a user must not touch (and so break) the chain. actor_name keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="pelaku", null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", editable=False,
    )
    actor_name = models.CharField("nama pelaku", max_length=150, blank=True, editable=False)
    action = models.CharField("tindakan", max_length=60, db_index=True, editable=False)
    target_type = models.CharField("jenis objek", max_length=100, editable=False)
    target_id = models.CharField("ID objek", max_length=64, editable=False)
    target_repr = models.CharField("objek", max_length=200, blank=True, editable=False)
    before = models.JSONField("sebelum", default=dict, blank=True, editable=False)
    after = models.JSONField("sesudah", default=dict, blank=True, editable=False)
    reason = models.TextField("alasan", blank=True, editable=False)
    prev_hash = models.CharField("hash sebelumnya", max_length=64, editable=False)
    hash = models.CharField("hash", max_length=64, unique=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "entri audit"
        verbose_name_plural = "jejak audit"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.pk is not None:
            raise AuditImmutableError("Jejak audit tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Jejak audit tidak dapat dihapus.")

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, as plain JSON values."""
        return {
            "seq": self.seq,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_repr": self.target_repr,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return entry_hash(self.payload())


def canonical_json(value: Any) -> str:
    """Key-sorted, whitespace-free, UTF-8 JSON: the same bytes on every database and Python run."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


class ChainHead(models.Model):
    """Singleton (pk=1): the last sequence number and hash. Locked by every writer."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "kepala rantai audit"
        verbose_name_plural = "kepala rantai audit"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
