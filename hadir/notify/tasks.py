"""Celery tasks: push one notification through the channels."""

from __future__ import annotations

from celery import shared_task

from .delivery import deliver
from .models import Notification


@shared_task(name="hadir.notify.tasks.deliver_notification", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def deliver_notification(notification_id: int) -> int:
    """Returns how many channels delivered it this run."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return 0
    return sum(1 for d in deliver(notification) if d.status == "sent")
