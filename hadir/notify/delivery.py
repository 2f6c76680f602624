"""Push one stored notification through the enabled channels and record each outcome (Delivery rows)."""

from __future__ import annotations

import logging

from django.utils import timezone

from .channels import enabled_channels
from .models import Delivery, DeliveryStatus, Notification

log = logging.getLogger(__name__)


def deliver(notification: Notification) -> list[Delivery]:
    """Push one notification through every enabled channel not already done; record each outcome."""
    done = set(
        notification.deliveries.filter(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED]).values_list(
            "channel", flat=True
        )
    )
    results: list[Delivery] = []
    for channel in enabled_channels():
        if channel.name in done:
            continue
        address = channel.address_for(notification.user)
        if not address:
            status, detail = DeliveryStatus.SKIPPED, "Penerima tidak memiliki alamat untuk kanal ini."
        else:
            try:
                channel.send(notification, address)
            except Exception as exc:  # any channel failure is recorded, never lost silently
                log.warning("notify: %s delivery of %s failed: %s", channel.name, notification.pk, exc)
                status, detail = DeliveryStatus.FAILED, str(exc)[:300]
            else:
                status, detail = DeliveryStatus.SENT, address[:300]
        row, _ = Delivery.objects.update_or_create(
            notification=notification, channel=channel.name,
            defaults={"status": status, "detail": detail, "at": timezone.now()},
        )
        results.append(row)
    return results
