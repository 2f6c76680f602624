"""Celery tasks of the discipline app: the scheduled daily absence digest."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import cases, digest


@shared_task(name="hadir.discipline.send_daily_digest")
def send_daily_digest(day: str | None = None) -> int:
    """Daily digest of absent staff to OPD heads and operators (scheduled in CELERY_BEAT_SCHEDULE).

    `day` (YYYY-MM-DD) defaults to today in the deployment's zone (settings.TIME_ZONE).
    Returns how many notifications were new.
    """
    date = dt.date.fromisoformat(day) if day else timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return digest.send_daily_digest(date)


@shared_task(name="hadir.discipline.refresh_cases")
def refresh_cases(day: str | None = None) -> dict[str, int]:
    """PP 94/2021 cases in step with the closed days (scheduled in CELERY_BEAT_SCHEDULE after the day close):
    open a case at a crossed threshold, dismiss a proposal the facts no longer support, warn one day before."""
    date = dt.date.fromisoformat(day) if day else timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return cases.refresh_cases(date)
