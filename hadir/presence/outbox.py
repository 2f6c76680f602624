"""The one refresh path for derived data: an outbox of stale employee-days, drained set-based.

Whatever changes an input of a day's status marks the affected employee-days in the `DirtyDay` outbox, in the same
transaction as its change:

    a check-in (the pipeline)                       hotpath.insert_checkin  one row naming the check-in, written
                                                                            with it (mark_checkin: stored otherwise)
    an approval decision (approvals)                mark_days(pairs)        (employee, date) per check-in decided
    a leave decision or cancellation (leave)        mark_days(pairs)        each day of the request up to today
    a schedule edit: holiday, roster (schedules)    schedule_changed signal → mark_days / mark_dates
    the periodic day close (tasks.close_due_days)   mark_days(…)            the open employee-days of recent dates
    `hadir close_day` (an explicit close)           mark_dates(…, close=True)

After the transaction commits, `request_drain()` makes sure one drain follows:

    inline   (no task queue: tests, the demo, CELERY_TASK_ALWAYS_EAGER) — `drain()` runs right there, after commit;
    batched  (a Celery worker) — a cache flag (`cache.add`, so at most one is queued at a time) queues the `drain`
             task a moment later (HADIR_STATUS_REFRESH_DELAY, default 1 s); during the morning rush thousands
             of check-ins share a handful of drains. A beat job drains every minute as well, so nothing waits
             for long when the flag could not be set (cache down) or a task was lost.

`drain()` takes the rows present when it starts, oldest first, in batches, each batch in one transaction:

    1. the new check-ins named by the rows → `checkins_recorded` signal (approval items, device stamps);
    2. the daily statuses of every named employee-day: one set-based `compute_day` per date (and close flag);
    3. every status that changed gets an audit entry (from what, to what, why: the rows' reasons);
    4. the rows are deleted; after commit the board's cached figures for those dates are invalidated
       (`status_generation`, which every cached board key includes).

A failing batch is retried row by row; a row that still fails is logged and stays in the outbox (nothing is
half-written), so the next drain retries it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from hadir.audit.services import AuditRow, record_rows
from hadir.db import chunks, fetch_rows

from . import daily
from .models import CheckIn, CheckInKind, DailyStatus, DayStatus, DirtyDay, Verdict
from .signals import checkins_recorded

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
DRAIN_QUEUED = "hadir:presence:drain-queued"
# Check-ins of these kinds change the day's status when accepted (pings never do).
STATUS_KINDS = {CheckInKind.MASUK, CheckInKind.PULANG, CheckInKind.APEL_PAGI, CheckInKind.APEL_SORE}


def batched() -> bool:
    """A Celery worker drains the outbox (else every writer drains it itself, after commit)."""
    return not settings.CELERY_TASK_ALWAYS_EAGER


# --- marking -----------------------------------------------------------------------------------


def mark_checkin(row: CheckIn) -> None:
    """A new check-in stored outside the pipeline (which writes its outbox row in the same statement as the
    check-in, hadir/presence/hotpath.py): its follow-ups and its employee-day are due. Call it in the check-in's
    transaction."""
    DirtyDay.objects.create(employee_id=row.employee_id, date=row.local_date, checkin=row, reason="checkin")
    transaction.on_commit(request_drain)


def mark_days(pairs: Iterable[tuple[int, dt.date]], reason: str, *, close: bool = False) -> int:
    """(employee id, date) pairs whose status is stale. Returns how many rows were written."""
    rows = [DirtyDay(employee_id=employee_id, date=day, close=close, reason=reason[:40])
            for employee_id, day in sorted(set(pairs))]
    if rows:
        DirtyDay.objects.bulk_create(rows, batch_size=2000)
        transaction.on_commit(request_drain)
    return len(rows)


def mark_dates(dates: Iterable[dt.date], reason: str, *, close: bool = False) -> int:
    """Dates whose status is stale for every employee (a holiday added, a regency-wide close)."""
    rows = [DirtyDay(employee_id=None, date=day, close=close, reason=reason[:40]) for day in sorted(set(dates))]
    if rows:
        DirtyDay.objects.bulk_create(rows)
        transaction.on_commit(request_drain)
    return len(rows)


# --- draining ----------------------------------------------------------------------------------


def delay_seconds() -> float:
    return float(getattr(settings, "HADIR_STATUS_REFRESH_DELAY", 1.0))


_cache_down_since: float | None = None


def request_drain() -> None:
    """After commit: drain now (inline), or make sure a drain task is queued (batched)."""
    global _cache_down_since
    if not batched():
        drain()
        return
    try:
        queued = cache.add(DRAIN_QUEUED, 1, timeout=60)  # expires: a lost task blocks the next for ≤ 60 s
        if queued:
            drain_task.apply_async(countdown=delay_seconds())
    except Exception as exc:  # the cache/broker is away: the 1-minute beat drain catches up
        now = time.monotonic()
        if _cache_down_since is None or now - _cache_down_since > 300:  # once per outage, not per request
            log.warning("could not queue the outbox drain (%s); the periodic drain will catch up", exc)
        _cache_down_since = now
        return
    _cache_down_since = None


# Why a day was recomputed, in the audit trail's words (DirtyDay.reason codes).
REASONS = {
    "checkin": _("presensi baru"), "approval": _("keputusan atasan atas presensi"),
    "leave_approved": _("izin/cuti/dinas luar disetujui"), "leave_cancelled": _("izin/cuti/dinas luar dibatalkan"),
    "schedule": _("perubahan jadwal atau hari libur"), "day_close": _("penutupan hari"),
    "day_open": _("pembukaan hari"), "apel_closed": _("jam apel berakhir"), "close_day": _("hari ditutup operator"),
    "recompute_day": _("dihitung ulang operator"), "digest": _("rekap harian"),
}


def _statuses(day: dt.date, employee_ids: list[int] | None) -> dict[int, str]:
    qs = DailyStatus.objects.filter(date=day)
    if employee_ids is None:
        return dict(fetch_rows(qs.values_list("employee_id", "status")))
    found: dict[int, str] = {}
    for part in chunks(employee_ids):
        found.update(qs.filter(employee_id__in=part).values_list("employee_id", "status"))
    return found


def _recompute(day: dt.date, employee_ids: list[int] | None, close: bool, why: dict[int | None, set[str]]) -> None:
    """compute_day for one group, and one audit entry per status that changed (from what, to what, why). A row
    that appears as "belum" (the day opened) is not a change."""
    before = _statuses(day, employee_ids)
    daily.compute_day(day, employee_ids=employee_ids, close=close)
    after = _statuses(day, employee_ids)
    changes = []
    for employee_id, status in after.items():
        old = before.get(employee_id, "")
        if status == old or (not old and status == DayStatus.BELUM):
            continue
        codes = sorted(why.get(employee_id, set()) | why.get(None, set()))
        reason = "; ".join(str(REASONS.get(code, code)) for code in codes)
        changes.append(AuditRow("presence.dailystatus", f"{employee_id}:{day.isoformat()}",
                                f"{employee_id} {day.isoformat()}", {"status": old}, {"status": status}, reason))
    record_rows(None, "daily.status", changes)


def _refresh(rows: list[DirtyDay]) -> set[dt.date]:
    """Steps 1 and 2 of a drain for one batch; returns the dates whose statuses were recomputed."""
    checkin_ids = [r.checkin_id for r in rows if r.checkin_id is not None]
    checkins = list(CheckIn.objects.filter(pk__in=checkin_ids).order_by("pk")) if checkin_ids else []
    if checkins:
        checkins_recorded.send(sender=CheckIn, checkins=checkins)
    counts = {c.pk: c.verdict == Verdict.ACCEPTED and c.kind in STATUS_KINDS for c in checkins}
    everyone: dict[tuple[dt.date, bool], bool] = {}
    some: dict[tuple[dt.date, bool], set[int]] = defaultdict(set)
    why: dict[dt.date, dict[int | None, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        if row.checkin_id is not None and not counts.get(row.checkin_id, False):
            continue  # a rejected check-in or a ping: the status does not change
        key = (row.date, row.close)
        why[row.date][row.employee_id].add(row.reason)
        if row.employee_id is None:
            everyone[key] = True
        else:
            some[key].add(row.employee_id)
    for (day, close), ids in sorted(some.items()):
        if not everyone.get((day, close)):
            _recompute(day, sorted(ids), close, why[day])
    for day, close in sorted(everyone):
        _recompute(day, None, close, why[day])
    return {day for day, _close in [*some, *everyone]}


def _process(rows: list[DirtyDay]) -> None:
    """One batch, all or nothing: follow-ups, statuses, the rows deleted; the board invalidated after commit."""
    with transaction.atomic():
        dates = _refresh(rows)
        DirtyDay.objects.filter(pk__in=[r.pk for r in rows]).delete()
        transaction.on_commit(lambda: bump_generations(dates))


def drain(batch_size: int = BATCH_SIZE) -> int:
    """Process every outbox row present when the call starts, oldest first, in batches of `batch_size`
    (rows locked by a concurrent drain are skipped on PostgreSQL). Returns the number of rows processed.

    A batch that fails is retried row by row, so one bad row holds back no other; a row that still fails is
    logged with its traceback and stays in the outbox for the next drain. Rows written while a drain runs are
    left to the drain their writers requested: chasing them would turn one drain into a loop over batches of a
    few rows each."""
    upto = DirtyDay.objects.aggregate(last=Max("pk"))["last"]
    done, after = 0, 0
    while upto is not None:
        with transaction.atomic():  # holds the row locks of the batch until it is done
            rows = list(DirtyDay.objects.filter(pk__gt=after, pk__lte=upto).order_by("pk")
                        .select_for_update(skip_locked=True)[:batch_size])
            if not rows:
                break
            after = rows[-1].pk
            try:
                _process(rows)
                done += len(rows)
            except Exception:
                log.exception("outbox batch of %d rows failed; retrying them one by one", len(rows))
                done += _process_each(rows)
    return done


def _process_each(rows: list[DirtyDay]) -> int:
    ok = 0
    for row in rows:
        try:
            _process([row])
            ok += 1
        except Exception:
            log.exception("outbox row %s (employee %s, %s) failed; it stays for the next drain",
                          row.pk, row.employee_id, row.date)
    return ok


@shared_task(name="hadir.presence.drain_outbox", ignore_result=True)
def drain_task() -> int:
    cache.delete(DRAIN_QUEUED)  # first: a change committed from now on queues the next drain itself
    return drain()


# --- the board's cache -------------------------------------------------------------------------


def _generation_key(day: dt.date) -> str:
    return f"hadir:presence:status-gen:{day.isoformat()}"


def status_generation(day: dt.date) -> int:
    """A number that changes whenever the statuses of `day` were recomputed: part of every cached board key."""
    return int(cache.get(_generation_key(day)) or 0)


def bump_generations(dates: Iterable[dt.date]) -> None:
    for day in dates:
        key = _generation_key(day)
        if not cache.add(key, 1, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, 1, timeout=None)
