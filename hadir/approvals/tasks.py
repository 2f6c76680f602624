"""Celery tasks of the approvals app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hadir.approvals.escalate_overdue")
def escalate_overdue() -> int:
    """Pass pending items that waited too long (or whose approver fell vacant) one level up."""
    from .services import escalate_overdue as run

    return run()
