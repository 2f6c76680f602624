"""Refreshing the daily status after a check-in: inline, or batched through Redis + Celery.

HADIR_STATUS_REFRESH = "inline" (default): the check-in request recomputes its employee-day itself
    (hadir.presence.daily.recompute_employee_day, about ten queries) — simplest, always up to date.
HADIR_STATUS_REFRESH = "batched" (needs REDIS_URL and a Celery worker): the request only adds the employee
    to a Redis set of dirty employee-days (one round trip) and, if no flush is pending for that date,
    schedules one; the flush recomputes the whole set with ONE set-based compute_day (the same few queries
    for 1 or 1,000 employees). During the morning rush this turns thousands of per-request recomputes into
    a handful of batches, at the price of statuses lagging by HADIR_STATUS_REFRESH_DELAY seconds (default 2).
    Without Redis the batched mode falls back to inline.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from typing import Any

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)

DIRTY_KEY = "hadir:presence:dirty:{day}"
PENDING_KEY = "hadir:presence:flush-pending:{day}"


def mode() -> str:
    wanted = str(getattr(settings, "HADIR_STATUS_REFRESH", "inline"))
    return "batched" if wanted == "batched" and bool(settings.REDIS_URL) else "inline"


def delay_seconds() -> float:
    return float(getattr(settings, "HADIR_STATUS_REFRESH_DELAY", 2.0))


@lru_cache(maxsize=1)
def _redis() -> Any:
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def refresh_status(employee_id: int, day: dt.date) -> None:
    """Bring the employee's DailyStatus for `day` up to date (now, or in the next batch)."""
    if mode() == "inline":
        from hadir.presence.daily import recompute_employee_day

        recompute_employee_day(employee_id, day)
        return
    client = _redis()
    dirty, pending = DIRTY_KEY.format(day=day.isoformat()), PENDING_KEY.format(day=day.isoformat())
    pipe = client.pipeline()
    pipe.sadd(dirty, employee_id)
    pipe.expire(dirty, 3 * 86400)
    # the flag expires on its own, so a lost task cannot block refreshes for more than a minute
    pipe.set(pending, 1, nx=True, ex=60)
    _added, _expire, first = pipe.execute()
    if first:
        flush_dirty.apply_async(args=(day.isoformat(),), countdown=delay_seconds())


def take_dirty(day: str) -> list[int]:
    """Atomically take (and clear) the dirty set of a date, and allow the next flush to be scheduled."""
    client = _redis()
    dirty, pending = DIRTY_KEY.format(day=day), PENDING_KEY.format(day=day)
    pipe = client.pipeline(transaction=True)
    pipe.delete(pending)  # first: an arrival after this point schedules its own flush
    pipe.smembers(dirty)
    pipe.delete(dirty)
    _deleted, members, _gone = pipe.execute()
    return sorted(int(m) for m in members)


@shared_task(name="hadir.presence.refresh_dirty", ignore_result=True)
def flush_dirty(day: str) -> int:
    from hadir.presence.daily import compute_day

    ids = take_dirty(day)
    if not ids:
        return 0
    try:
        return compute_day(dt.date.fromisoformat(day), employee_ids=ids)
    except Exception:
        # put them back so the next flush (or the 15-minute close_days pass) retries them
        _redis().sadd(DIRTY_KEY.format(day=day), *ids)
        raise
