"""End-of-day job: open each new day and close each finished one, per time zone.

`close_days` runs every 15 minutes (CELERY_BEAT_SCHEDULE["presence-close-days"]). For each recent date it
marks the employees whose row for that date is missing or still open in the outbox (hadir/presence/outbox.py) and
drains it; compute_day closes each of them once their own zone's local midnight (or their night shift's last window) plus
HADIR_DAY_CLOSE_GRACE_MINUTES has passed — so WIT closes two hours before WIB, and a night-shift nurse's
day closes the next late morning. After each apel window closes, today's rows without an apel verdict are
recomputed once, so a missed apel shows as "tidak" the same morning. Idempotent: a run that finds nothing open
does (almost) nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hadir.org.models import Employee, WorkLocation
from hadir.schedules.holiday_calendar import ensure_calendar
from hadir.schedules.services import static_schedule, zone

from . import outbox
from .models import DailyStatus

log = logging.getLogger(__name__)

# Indonesia's zones, west to east: the day starts and ends first in WIT.
EARLIEST_ZONE, LATEST_ZONE = "Asia/Jayapura", "Asia/Jakarta"


def open_employee_ids(day: dt.date, *, missing_only: bool = False) -> list[int]:
    """Active employees on `day` without a closed row (or without any row when missing_only)."""
    rows = DailyStatus.objects.filter(employee=OuterRef("pk"), date=day)
    if not missing_only:
        rows = rows.filter(closed=True)
    return list(Employee.objects.active_on(day).filter(~Exists(rows)).values_list("id", flat=True))


def _refresh(day: dt.date, ids: list[int], reason: str) -> int:
    """Mark the employee-days stale (the whole date when that is everyone) and drain the outbox."""
    if not ids:
        return 0
    if len(ids) >= Employee.objects.active_on(day).count():
        outbox.mark_dates([day], reason)
    else:
        outbox.mark_days([(i, day) for i in ids], reason)
    outbox.drain()
    return len(ids)


def close_due_days(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the job (the Celery task and tests call this)."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    this_year = now.astimezone(zone(LATEST_ZONE)).year
    for year in ensure_calendar([this_year, this_year + 1]):
        done[f"libur nasional {year}"] = 1
    # the safety net of the outbox: whatever a lost drain task or a Redis restart left behind
    drained = outbox.drain()
    if drained:
        done["tindak lanjut"] = drained
    lookback = int(getattr(settings, "HADIR_CLOSE_LOOKBACK_DAYS", 3))
    latest_today = now.astimezone(zone(LATEST_ZONE)).date()
    earliest_today = now.astimezone(zone(EARLIEST_ZONE)).date()
    # past days: recompute what is still open; compute_day closes what is due in each zone
    for back in range(lookback, 0, -1):
        day = earliest_today - dt.timedelta(days=back)
        first_close = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone(EARLIEST_ZONE)) \
            + dt.timedelta(minutes=int(getattr(settings, "HADIR_DAY_CLOSE_GRACE_MINUTES", 60)))
        if now < first_close:
            continue  # no zone can close this date yet: recomputing open rows would change nothing
        if not DailyStatus.objects.filter(date=day).exists():
            continue  # never opened (before go-live, or the job was off): don't mark everyone TK after the fact
        n = _refresh(day, open_employee_ids(day), "day_close")
        if n:
            done[day.isoformat()] = n
    # today (in any zone): create the missing rows so boards show "belum" from the morning on
    for day in sorted({latest_today, earliest_today}):
        n = _refresh(day, open_employee_ids(day, missing_only=True), "day_open")
        if n:
            done[f"{day.isoformat()} (buka)"] = n
    done.update(refresh_after_apel(now))
    if done:
        log.info("close_days: %s", done)
    return done


def apel_closes(now: dt.datetime) -> dict[dt.date, dt.datetime]:
    """Per local date of today: the latest apel window close (of any work pattern, in any zone in use) that has
    passed by `now`."""
    static = static_schedule()
    times = {window[1] for info in (*static.patterns.values(), static.default) for hours in info.days.values()
             for window in (hours.apel_pagi, hours.apel_sore) if window is not None}
    if not times:
        return {}
    zones = set(WorkLocation.objects.order_by().values_list("timezone", flat=True).distinct())
    latest: dict[dt.date, dt.datetime] = {}
    for name in zones | {settings.TIME_ZONE}:
        tz = zone(name)
        day = now.astimezone(tz).date()
        for instant in (dt.datetime.combine(day, t, tzinfo=tz) for t in times):
            if instant <= now:
                latest[day] = max(latest.get(day, instant), instant)
    return latest


def refresh_after_apel(now: dt.datetime) -> dict[str, int]:
    """Once an apel window has closed, today's open rows still without an apel verdict are recomputed, so that
    "tidak" (missed) shows within one run of the job instead of at the day's close. Once per close instant:
    a cache marker (Redis in production) keeps the next runs from repeating it."""
    done: dict[str, int] = {}
    for day, instant in sorted(apel_closes(now).items()):
        if not cache.add(f"hadir:presence:apel-refresh:{day.isoformat()}:{instant.isoformat()}", 1, 2 * 86400):
            continue
        ids = list(DailyStatus.objects.filter(date=day, closed=False, is_working_day=True)
                   .filter(Q(apel_pagi="") | Q(apel_sore="")).values_list("employee_id", flat=True))
        n = _refresh(day, ids, "apel_closed")
        if n:
            done[f"{day.isoformat()} (apel)"] = n
    return done


@shared_task(name="hadir.presence.close_days")
def close_days() -> dict[str, int]:
    return close_due_days()
