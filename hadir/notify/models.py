"""The in-app inbox and the record of what each channel did with each notification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationKind(models.TextChoices):
    INFO = "info", _("Informasi")
    WARNING = "warning", _("Peringatan")
    DIGEST = "digest", _("Ringkasan harian")
    APPROVAL = "approval", pgettext_lazy("jenis notifikasi", "Persetujuan")
    RECAP = "recap", _("Rekap kehadiran")


class Notification(models.Model):
    """One message to one user: shown in the inbox, and pushed through the configured channels."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="penerima", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("jenis", max_length=20, default=NotificationKind.INFO)
    subject = models.CharField("judul", max_length=200)
    body = models.TextField("isi", blank=True)
    url = models.CharField("tautan", max_length=500, blank=True)
    # Optional idempotency key: the same (user, key) is stored once (e.g. "digest:2026-11-23").
    key = models.CharField("kunci", max_length=100, blank=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("dibaca", null=True, blank=True)

    class Meta:
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="uniq_notif_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Terkirim")
    SKIPPED = "skipped", _("Dilewati")
    FAILED = "failed", _("Gagal")


class Delivery(models.Model):
    """What one channel did with one notification (sent, skipped for lack of an address, failed)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("kanal", max_length=30)
    status = models.CharField("status", max_length=10, choices=DeliveryStatus.choices)
    detail = models.CharField("keterangan", max_length=300, blank=True)
    at = models.DateTimeField("waktu", default=timezone.now)

    class Meta:
        verbose_name = "pengiriman"
        verbose_name_plural = "pengiriman"
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="uniq_delivery_channel")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the PWA), for the Web Push channel (hadir.notify.webpush)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField("endpoint", max_length=500, unique=True)
    p256dh = models.CharField("kunci p256dh", max_length=200)
    auth = models.CharField("kunci auth", max_length=100)
    user_agent = models.CharField("perangkat", max_length=200, blank=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now)

    class Meta:
        verbose_name = "langganan Web Push"
        verbose_name_plural = "langganan Web Push"

    def __str__(self) -> str:
        return f"{self.user_id} {self.endpoint[:40]}"
