"""End-of-day job: open each new day and close each finished one, per time zone.

`close_days` runs every 15 minutes (CELERY_BEAT_SCHEDULE["presence-close-days"]). For each recent date it
recomputes only the employees whose row for that date is missing or still open, and compute_day closes each
of them once their own zone's local midnight (or their night shift's last window) plus
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
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hadir.org.models import Employee
from hadir.presence import daily, followup
from hadir.presence.models import DailyStatus
from hadir.schedules.services import zone

log = logging.getLogger(__name__)

# Indonesia's zones, west to east: the day starts and ends first in WIT.
EARLIEST_ZONE, LATEST_ZONE = "Asia/Jayapura", "Asia/Jakarta"


def open_employee_ids(day: dt.date, *, missing_only: bool = False) -> list[int]:
    """Active employees on `day` without a closed row (or without any row when missing_only)."""
    rows = DailyStatus.objects.filter(employee=OuterRef("pk"), date=day)
    if not missing_only:
        rows = rows.filter(closed=True)
    return list(Employee.objects.active_on(day).filter(~Exists(rows)).values_list("id", flat=True))


def _compute(day: dt.date, ids: list[int]) -> int:
    if not ids:
        return 0
    whole = len(ids) >= Employee.objects.active_on(day).count()
    return daily.compute_day(day, employee_ids=None if whole else ids)


def close_due_days(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the job (the Celery task and tests call this)."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    from hadir.schedules.holiday_calendar import ensure_calendar

    this_year = now.astimezone(zone(LATEST_ZONE)).year
    for year in ensure_calendar([this_year, this_year + 1]):
        done[f"libur nasional {year}"] = 1
    # the safety net of the check-in follow-ups: whatever a lost flush or a Redis restart left behind
    drained = followup.process_pending()
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
        n = _compute(day, open_employee_ids(day))
        if n:
            done[day.isoformat()] = n
    # today (in any zone): create the missing rows so boards show "belum" from the morning on
    for day in sorted({latest_today, earliest_today}):
        n = _compute(day, open_employee_ids(day, missing_only=True))
        if n:
            done[f"{day.isoformat()} (buka)"] = n
    done.update(refresh_after_apel(now))
    if done:
        log.info("close_days: %s", done)
    return done


def apel_closes(now: dt.datetime) -> dict[dt.date, dt.datetime]:
    """Per local date of today: the latest apel window close (of any work pattern, in any zone in use) that has
    passed by `now`."""
    from hadir.org.models import WorkLocation
    from hadir.schedules.services import static_schedule

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
    from django.core.cache import cache
    from django.db.models import Q

    done: dict[str, int] = {}
    for day, instant in sorted(apel_closes(now).items()):
        if not cache.add(f"hadir:presence:apel-refresh:{day.isoformat()}:{instant.isoformat()}", 1, 2 * 86400):
            continue
        ids = list(DailyStatus.objects.filter(date=day, closed=False, is_working_day=True)
                   .filter(Q(apel_pagi="") | Q(apel_sore="")).values_list("employee_id", flat=True))
        n = _compute(day, ids)
        if n:
            done[f"{day.isoformat()} (apel)"] = n
    return done


@shared_task(name="hadir.presence.close_days")
def close_days() -> dict[str, int]:
    return close_due_days()


@shared_task(name="hadir.presence.compute_day")
def compute_day_task(day: str, employee_ids: list[int] | None = None, close: bool = False) -> int:
    """Recompute one date in the background (e.g. after a holiday was added or a roster imported)."""
    return daily.compute_day(dt.date.fromisoformat(day), employee_ids=employee_ids, close=close)
