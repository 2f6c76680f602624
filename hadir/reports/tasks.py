"""Celery tasks of the reports app: the scheduled weekly and monthly recaps (docs/reports-schedule.md)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import schedule

log = logging.getLogger(__name__)


def _today(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))


@shared_task(name="hadir.reports.send_weekly_recap")
def send_weekly_recap(day: str | None = None) -> int:
    """The previous Monday–Sunday week's recap to each OPD head (CELERY_BEAT_SCHEDULE "reports-weekly-recap",
    Monday 06:00 in settings.TIME_ZONE). `day` (YYYY-MM-DD) runs it as of that date, any weekday; without it only
    on a Monday in the deployment's zone. Returns how many notifications were new."""
    today = _today(day)
    if day is None and today.weekday() != 0:
        log.info("reports: weekly recap skipped, %s is not a Monday", today)
        return 0
    return schedule.send_recaps(schedule.WEEKLY, today)


@shared_task(name="hadir.reports.send_monthly_recap")
def send_monthly_recap(day: str | None = None) -> int:
    """The previous month's recap to the OPD heads and BKPSDM (CELERY_BEAT_SCHEDULE "reports-monthly-recap", the
    1st at 06:00 in settings.TIME_ZONE). `day` runs it as of that date; without it only on the 1st in the
    deployment's zone (the beat fires on the last days of the month in UTC). Returns how many were new."""
    today = _today(day)
    if day is None and today.day != 1:
        log.info("reports: monthly recap skipped, %s is not the 1st", today)
        return 0
    return schedule.send_recaps(schedule.MONTHLY, today)
