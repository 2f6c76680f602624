"""Periodic Celery tasks of the terminals app (eager in tests and the SQLite demo). The conversion task that
follows each push lives beside the code it runs, in services.py."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .health import alert_offline, detect_down_days
from .services import convert_queued, requeue_unmapped


@shared_task(name="terminals.hourly", ignore_result=True)
def hourly() -> dict[str, int]:
    """Record yesterday's terminal-down days (idempotent), requeue lines whose PIN now maps,
    convert what is queued. Scheduled hourly: a day is closed at a different UTC hour per zone."""
    requeued = requeue_unmapped()
    converted = convert_queued()
    down = detect_down_days()
    return {"requeued": requeued, "converted": converted, "down_days": len(down)}


@shared_task(name="terminals.check_offline", ignore_result=True)
def check_offline(now_iso: str | None = None) -> int:
    """Alert the OPD's operators once when an active terminal goes silent during office hours."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else None
    return len(alert_offline(now))
