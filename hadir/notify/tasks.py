"""Celery tasks: push one notification through the channels; the scheduled daily digest."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Notification


@shared_task(name="hadir.notify.tasks.deliver_notification", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def deliver_notification(notification_id: int) -> int:
    """Returns how many channels delivered it this run."""
    from .services import deliver

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return 0
    return sum(1 for d in deliver(notification) if d.status == "sent")


@shared_task(name="hadir.notify.tasks.send_daily_digest")
def send_daily_digest(day: str | None = None) -> int:
    """Daily digest of absent staff to OPD heads and operators (scheduled in CELERY_BEAT_SCHEDULE).

    `day` (YYYY-MM-DD) defaults to today in the deployment's zone (settings.TIME_ZONE).
    """
    from .digest import send_daily_digest as run

    date = dt.date.fromisoformat(day) if day else timezone.localdate(timezone=_zone())
    return run(date)


def _zone() -> dt.tzinfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
