"""Celery tasks of the approvals app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="hadir.approvals.escalate_overdue")
def escalate_overdue() -> int:
    """Pass pending items that waited too long (or whose approver fell vacant) one level up."""
    return services.escalate_overdue()
