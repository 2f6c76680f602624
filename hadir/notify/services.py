"""notify(): the one way other apps tell a user something; the user's inbox.

The notification is stored in the user's in-app inbox at once (inside the caller's transaction);
pushing it through the enabled channels (e-mail, …) happens after commit on the task queue (hadir.notify.delivery),
so a slow mail server never holds a request or a rolled-back change never sends mail.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import NotFound

from .models import Notification
from .tasks import deliver_notification


def notify(user: Any, subject: str, body: str, url: str = "", kind: str = "info", *, key: str = "") -> Notification:
    """Store a notification for `user` and queue it for the configured channels.

    `key` (optional) makes the call idempotent per user: a second call with the same key returns the
    first notification and sends nothing again (used by the daily digest).
    """
    subject = subject.strip()[:200] or "(tanpa judul)"
    if key:
        existing = Notification.objects.filter(user=user, key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user, subject=subject, body=body, url=url[:500], kind=kind, key=key[:100]
                )
        except IntegrityError:  # a concurrent call stored it first
            return Notification.objects.get(user=user, key=key)
    else:
        notification = Notification.objects.create(user=user, subject=subject, body=body, url=url[:500], kind=kind)
    transaction.on_commit(lambda: _queue_delivery(notification.pk))
    return notification


def _queue_delivery(notification_id: int) -> None:
    deliver_notification.delay(notification_id)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox_of(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user_id=int(user.pk or 0))


def read(user: Any, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all, or those ids: each must be one of theirs, else 404)."""
    if ids is not None:
        owned = set(inbox_of(user).filter(pk__in=ids).values_list("pk", flat=True))
        missing = sorted(set(ids) - owned)
        if missing:
            raise NotFound(_("Notifikasi %(ids)s tidak ditemukan.") % {"ids": ", ".join(map(str, missing))},
                           field="ids", code="not_found")
    return mark_read(user, ids)


def mark_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or those ids) read; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
