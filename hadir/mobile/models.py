"""Device binding for the mobile check-in app.

The app generates a random device key on first start and keeps it (IndexedDB + localStorage). The
first login of an employee binds that key to them; check-ins from any other key are refused until
an admin resets the binding. Only a SHA-256 hash of the key is stored. A key that several employees
have bound is a shared device ("titip absen" on one phone): listed in the admin and flagged on the
check-ins made with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hadir.org.models import Employee


class DeviceBindingQuerySet(models.QuerySet["DeviceBinding"]):
    def active(self) -> DeviceBindingQuerySet:
        return self.filter(revoked_at__isnull=True)

    def shared_key_hashes(self) -> QuerySet[DeviceBinding, str]:
        """Key hashes bound (now or in the past) by more than one employee."""
        return (
            DeviceBinding.objects.values("key_hash")
            .annotate(n=Count("employee", distinct=True))
            .filter(n__gt=1)
            .values_list("key_hash", flat=True)
        )

    def shared(self) -> DeviceBindingQuerySet:
        return self.filter(key_hash__in=self.shared_key_hashes())


class DeviceBinding(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="device_bindings"
    )
    key_hash = models.CharField("hash kunci perangkat", max_length=64, db_index=True)
    user_agent = models.CharField("peramban/perangkat", max_length=300, blank=True)
    label = models.CharField("nama perangkat", max_length=100, blank=True)
    bound_at = models.DateTimeField("diikat pada", default=timezone.now)
    last_seen_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    revoked_at = models.DateTimeField("direset pada", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="direset oleh", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.CharField("alasan reset", max_length=300, blank=True)

    objects = DeviceBindingQuerySet.as_manager()

    class Meta:
        verbose_name = "ikatan perangkat"
        verbose_name_plural = "ikatan perangkat"
        ordering = ["-bound_at"]
        constraints = [
            # One active device per employee; the history of reset bindings is kept.
            models.UniqueConstraint(
                fields=["employee"], condition=Q(revoked_at__isnull=True), name="uniq_active_device_binding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.key_hint}"

    @property
    def key_hint(self) -> str:
        """A short, non-secret handle admins can compare between rows."""
        return self.key_hash[:10]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SharedDeviceBinding(DeviceBinding):
    """Admin list of bindings whose device key is (or was) used by more than one employee."""

    class Meta:
        proxy = True
        verbose_name = "perangkat dipakai bersama"
        verbose_name_plural = "perangkat dipakai bersama"
