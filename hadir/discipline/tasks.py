"""Celery tasks of the discipline app: the scheduled daily absence digest."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import digest


@shared_task(name="hadir.discipline.send_daily_digest")
def send_daily_digest(day: str | None = None) -> int:
    """Daily digest of absent staff to OPD heads and operators (scheduled in CELERY_BEAT_SCHEDULE).

    `day` (YYYY-MM-DD) defaults to today in the deployment's zone (settings.TIME_ZONE).
    Returns how many notifications were new.
    """
    date = dt.date.fromisoformat(day) if day else timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return digest.send_daily_digest(date)
