"""What follows a stored check-in, done set-based from an outbox kept in the check-in table itself.

The request that stores a check-in does ONE INSERT (with `followup_pending = true`) and nothing else that
writes. Everything derived from the new rows runs here, for a batch of rows at once:

  1. `checkins_recorded` receivers (contract C3): approval items (approvals), the shared-device flag
     and the device's last-seen stamp (mobile), the board cache (web);
  2. the daily status of every touched employee-day: one set-based `compute_day` per date;
  3. the rows are marked done (`followup_pending = false`), in the same transaction as 1–2.

When it runs (HADIR_STATUS_REFRESH):
  "inline"  — right after the check-in's transaction commits, for that row, in the same request
              (development, tests, SQLite; also what "batched" falls back to without Redis);
  "batched" — a Celery task drains the outbox a moment later (HADIR_STATUS_REFRESH_DELAY, default 1 s):
              the request only sets a Redis flag (one round trip) so that at most one flush is queued at a
              time. During the morning rush thousands of check-ins share a handful of flushes.
The 15-minute `close_days` job drains whatever is left (a lost task, a Redis restart): the outbox is in
PostgreSQL, so no acknowledged check-in loses its follow-up. Every step is idempotent, so a batch that is
retried after a crash does no harm.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from hadir.db import redis_client

from .models import CheckIn, CheckInKind, Verdict
from .signals import checkins_recorded

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
FLAG_KEY = "hadir:presence:followup-queued"
# Kinds whose acceptance changes the day's status (pings never do).
STATUS_KINDS = {CheckInKind.MASUK, CheckInKind.PULANG, CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE}


def mode() -> str:
    wanted = str(getattr(settings, "HADIR_STATUS_REFRESH", "inline"))
    return "batched" if wanted == "batched" and bool(settings.REDIS_URL) else "inline"


def delay_seconds() -> float:
    return float(getattr(settings, "HADIR_STATUS_REFRESH_DELAY", 1.0))


def status_days(rows: list[CheckIn]) -> dict[dt.date, list[int]]:
    """The employee-days whose status the rows change: date → sorted employee ids."""
    days: dict[dt.date, set[int]] = defaultdict(set)
    for row in rows:
        if row.verdict == Verdict.ACCEPTED and row.kind in STATUS_KINDS:
            days[row.local_date].add(row.employee_id)
    return {day: sorted(ids) for day, ids in sorted(days.items())}


def process(rows: list[CheckIn]) -> None:
    """Run the follow-ups of `rows` and mark them done, in one transaction (all or nothing)."""
    if not rows:
        return
    from .daily import compute_day

    with transaction.atomic():
        checkins_recorded.send(sender=CheckIn, checkins=rows)
        for day, employee_ids in status_days(rows).items():
            compute_day(day, employee_ids=employee_ids)
        CheckIn.objects.filter(pk__in=[r.pk for r in rows]).update(followup_pending=False)
    for row in rows:
        row.followup_pending = False


def _process_each(rows: list[CheckIn]) -> int:
    """After a failed batch: one row at a time, so one bad row cannot hold back the others."""
    done = 0
    for row in rows:
        try:
            process([row])
            done += 1
        except Exception:
            log.exception("follow-up of CheckIn %s failed; it stays pending for the next pass", row.pk)
    return done


def process_pending(batch_size: int = BATCH_SIZE) -> int:
    """Drain the outbox: every row pending when the call started, in batches of `batch_size`, oldest first.
    Rows locked by a concurrent flush are skipped (PostgreSQL). Returns the number of rows done.

    Rows stored while it runs are left to the flush they queue themselves: chasing them would turn one flush
    into a loop over batches of a few rows each (measured: ~6× the CPU per check-in during a rush)."""
    done, after = 0, 0
    upto = CheckIn.objects.filter(followup_pending=True).aggregate(last=Max("pk"))["last"]
    if upto is None:
        return 0
    while True:
        with transaction.atomic():
            qs = CheckIn.objects.filter(followup_pending=True, pk__gt=after, pk__lte=upto).order_by("pk")
            rows = list(qs.select_for_update(skip_locked=True, of=("self",))[:batch_size])
            if not rows:
                return done
            after = rows[-1].pk
            try:
                with transaction.atomic():  # a savepoint: the claim (row locks) survives a failed batch
                    process(rows)
                done += len(rows)
            except Exception:
                log.exception("follow-up batch of %d check-ins failed; retrying them one by one", len(rows))
                done += _process_each(rows)


def after_commit(row: CheckIn) -> None:
    """Called once the transaction that stored `row` has committed (the check-in is acknowledged)."""
    try:
        if mode() == "inline":
            process([row])
            return
        from hadir.auth import queue_pending_touch

        pipe = redis_client().pipeline(transaction=False)  # one round trip: the request's token touch rides along
        queue_pending_touch(pipe)
        pipe.set(FLAG_KEY, 1, nx=True, ex=60)  # expires: a lost task blocks flushes for ≤ 60 s
        if pipe.execute()[-1]:
            flush.apply_async(countdown=delay_seconds())
    except Exception:  # derived data: the close_days pass drains the outbox anyway
        log.exception("follow-up of CheckIn %s failed or could not be queued", row.pk)


@shared_task(name="hadir.presence.flush_followups", ignore_result=True)
def flush() -> int:
    if mode() == "batched":
        redis_client().delete(FLAG_KEY)  # first: a check-in stored from now on queues the next flush itself
    from hadir.auth import flush_token_touches

    try:
        flush_token_touches()  # the tokens that signed those check-ins (deferred last_used_at)
    except Exception:
        log.exception("could not write the deferred token last-used times; the next flush retries")
    return process_pending()
