"""The outbox of stale daily statuses: every writer marks it, one drain recomputes set-based and invalidates the
board — inline after commit without a task queue, batched by a Celery task (with Redis) with one."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import pytest

from hadir.presence import outbox, tasks
from hadir.presence.models import CheckIn, DailyStatus, DirtyDay
from hadir.presence.pipeline import CheckInAttempt, record_checkin
from hadir.presence.signals import checkins_recorded
from hadir.schedules.models import Holiday
from hadir.schedules.signals import schedule_changed
from hadir.testing import Clock

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def batched(redis_db: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A task queue is configured (not eager) and the cache is the real Redis; the drain task is recorded
    instead of sent to a broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued: list[float] = []
    monkeypatch.setattr(outbox.drain_task, "apply_async", lambda countdown: queued.append(countdown))
    return queued


def checkin(emp: Any, **kw: Any) -> CheckIn:
    data: dict[str, Any] = {"kind": "masuk", "client_uuid": uuid.uuid4(), "latitude": -3.7956312,
                            "longitude": 102.2592718, "accuracy_m": 9.0}
    data.update(kw)
    row, created = record_checkin(CheckInAttempt(employee=emp, **data))
    assert created
    return row


def statuses(day: dt.date = MONDAY) -> set[tuple[int, str]]:
    return set(DailyStatus.objects.filter(date=day).values_list("employee_id", "status"))


def test_inline_without_a_task_queue(org: Any, clock: Clock, django_capture_on_commit_callbacks: Any) -> None:
    assert not outbox.batched()  # tests and the demo: CELERY_TASK_ALWAYS_EAGER
    with django_capture_on_commit_callbacks(execute=True):
        checkin(org.staf)
    assert statuses() == {(org.staf.pk, "hadir")}
    assert not DirtyDay.objects.exists()


def test_burst_is_drained_once_in_batched_mode(org: Any, clock: Clock, batched: list[float],
                                               django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for emp in (org.staf, org.kabid, org.sekretaris):
            checkin(emp)
    assert batched == [outbox.delay_seconds()]  # one drain queued for the whole burst
    assert not DailyStatus.objects.exists()  # nothing computed in the requests themselves
    assert DirtyDay.objects.count() == 3
    assert outbox.drain_task() == 3
    assert statuses() == {(org.staf.pk, "hadir"), (org.kabid.pk, "hadir"), (org.sekretaris.pk, "hadir")}
    assert not DirtyDay.objects.exists()
    # after a drain the next check-in queues a new one
    with django_capture_on_commit_callbacks(execute=True):
        checkin(org.kadis)
    assert len(batched) == 2 and outbox.drain_task() == 1
    assert outbox.drain_task() == 0


def test_drain_invalidates_the_board_of_the_days_it_recomputed(org: Any, clock: Clock,
                                                                django_capture_on_commit_callbacks: Any) -> None:
    before = outbox.status_generation(MONDAY)
    checkin(org.staf)
    assert outbox.status_generation(MONDAY) == before  # not yet: only marked
    with django_capture_on_commit_callbacks(execute=True):  # after the drain's transaction commits
        outbox.drain()
    assert outbox.status_generation(MONDAY) > before
    assert outbox.status_generation(MONDAY + dt.timedelta(days=1)) == 0


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: each writer's drain runs after commit
def test_cached_board_shows_the_new_figures_at_once(clock: Clock) -> None:
    from hadir.org.scoping import BoardScope
    from hadir.testing import make_org
    from hadir.web.board import Filters, compute_board

    org = make_org()
    before = compute_board(BoardScope(None), MONDAY, Filters())  # cached now
    assert before.total.hadir == 0 and before.total.tk == 0
    checkin(org.staf)  # no task queue: drained right after the INSERT committed
    outbox.mark_days([(org.kabid.pk, MONDAY)], "test", close=True)  # an explicit close: tk
    after = compute_board(BoardScope(None), MONDAY, Filters())
    assert (after.total.hadir, after.total.tk) == (1, 1)  # not the cached figures of before


def test_rejected_and_ping_rows_are_done_without_a_status(org: Any, clock: Clock) -> None:
    checkin(org.staf, latitude=-3.70, longitude=102.30)  # outside the radius: rejected
    checkin(org.kabid, kind="ping")
    assert outbox.drain() == 2
    assert not DailyStatus.objects.exists()
    assert not DirtyDay.objects.exists()


def test_a_bad_row_holds_back_no_other(org: Any, clock: Clock) -> None:
    emps = [org.staf, org.kabid, org.sekretaris, org.kadis, org.guru]
    rows = [checkin(e) if e != org.guru else checkin(e, latitude=-3.8004123, longitude=102.2655321) for e in emps]
    batches: list[int] = []

    def receiver(sender: Any, checkins: list[CheckIn], **kw: Any) -> None:
        batches.append(len(checkins))
        if any(c.employee_id == org.kabid.pk for c in checkins):
            raise RuntimeError("approver lookup failed")

    checkins_recorded.connect(receiver, dispatch_uid="test-outbox-poison")
    try:
        assert outbox.drain(batch_size=2) == 4  # everyone but the bad row
    finally:
        checkins_recorded.disconnect(dispatch_uid="test-outbox-poison")
    assert batches == [2, 1, 1, 2, 1]  # the failed batch was retried row by row; the others went whole
    assert list(DirtyDay.objects.values_list("checkin_id", flat=True)) == [rows[1].pk]
    assert {e for e, _s in statuses()} == {e.pk for e in emps} - {org.kabid.pk}
    # the next drain (receiver fixed) picks it up
    assert outbox.drain() == 1 and (org.kabid.pk, "hadir") in statuses()


def test_close_days_is_the_safety_net(org: Any, clock: Clock) -> None:
    checkin(org.staf)  # its after-commit drain never ran (a lost task, a crashed worker)
    done = tasks.close_due_days(clock.now)
    assert done.get("tindak lanjut") == 1
    assert (org.staf.pk, "hadir") in statuses()


def test_an_empty_outbox_costs_one_query(org: Any, clock: Clock, django_assert_max_num_queries: Any) -> None:
    checkin(org.staf)
    outbox.drain()
    with django_assert_max_num_queries(1):
        assert outbox.drain() == 0


def test_rows_stored_during_a_drain_are_left_to_the_next_one(org: Any, clock: Clock,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """One drain takes what was there when it started; a check-in stored meanwhile requested a drain of its own.
    (Chasing the newcomers made one drain loop over batches of a few rows each during the morning rush.)"""
    checkin(org.staf)
    checkin(org.kabid)
    real = outbox._refresh
    late: list[CheckIn] = []

    def refresh_and_meanwhile_a_checkin(rows: list[DirtyDay]) -> set[dt.date]:
        if not late:
            late.append(checkin(org.sekretaris))
        return real(rows)

    monkeypatch.setattr(outbox, "_refresh", refresh_and_meanwhile_a_checkin)
    assert outbox.drain(batch_size=1) == 2
    assert list(DirtyDay.objects.values_list("checkin_id", flat=True)) == [late[0].pk]
    assert outbox.drain() == 1
    assert statuses() == {(org.staf.pk, "hadir"), (org.kabid.pk, "hadir"), (org.sekretaris.pk, "hadir")}


def test_a_holiday_added_afterwards_marks_everyone(org: Any, clock: Clock) -> None:
    checkin(org.staf)
    outbox.drain()
    assert statuses() == {(org.staf.pk, "hadir")}
    Holiday.objects.create(date=MONDAY, name="Libur daerah")
    schedule_changed.send(sender=Holiday, day=MONDAY, employee_ids=None)
    assert list(DirtyDay.objects.values_list("employee_id", "date")) == [(None, MONDAY)]
    outbox.drain()
    assert (org.staf.pk, "libur") in statuses() and (org.kabid.pk, "libur") in statuses()


def test_close_marks_close_the_day(org: Any, clock: Clock) -> None:
    outbox.mark_days([(org.staf.pk, MONDAY)], "test")
    outbox.drain()
    assert statuses() == {(org.staf.pk, "belum")}  # 07:15: the day is under way
    outbox.mark_days([(org.staf.pk, MONDAY)], "test", close=True)
    outbox.drain()
    assert DailyStatus.objects.get(employee=org.staf, date=MONDAY).closed
    assert statuses() == {(org.staf.pk, "tk")}


def test_cache_down_is_logged_once_and_the_check_in_stands(org: Any, clock: Clock, settings: Any,
                                                           caplog: pytest.LogCaptureFixture,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    outbox._cache_down_since = None
    with caplog.at_level(logging.WARNING, logger="hadir.presence.outbox"):
        with django_capture_on_commit_callbacks(execute=True):
            checkin(org.staf)
            checkin(org.kabid)
    assert CheckIn.objects.count() == 2 and DirtyDay.objects.count() == 2  # acknowledged, kept for the beat drain
    assert sum("could not queue" in r.getMessage() for r in caplog.records) == 1
    outbox._cache_down_since = None


def test_drain_is_a_beat_job(settings: Any) -> None:
    from hadir.celery import app

    assert "hadir.presence.drain_outbox" in app.tasks
    entry = settings.CELERY_BEAT_SCHEDULE["presence-drain-outbox"]
    assert entry["task"] == "hadir.presence.drain_outbox" and float(entry["schedule"]) <= 60


def test_every_status_change_is_in_the_audit_trail(org: Any, clock: Clock) -> None:
    from hadir.audit.models import AuditEntry
    from hadir.audit.services import verify_chain

    outbox.mark_dates([MONDAY], "day_open")
    outbox.drain()
    assert not AuditEntry.objects.filter(action="daily.status").exists()  # rows opened as belum: no change
    checkin(org.staf)
    outbox.mark_days([(org.kabid.pk, MONDAY)], "close_day", close=True)
    outbox.drain()
    entries = {e.target_id: e for e in AuditEntry.objects.filter(action="daily.status")}
    staf, kabid = entries[f"{org.staf.pk}:{MONDAY}"], entries[f"{org.kabid.pk}:{MONDAY}"]
    assert (staf.before, staf.after, staf.reason) == ({"status": "belum"}, {"status": "hadir"}, "presensi baru")
    assert (kabid.before, kabid.after, kabid.reason) == ({"status": "belum"}, {"status": "tk"},
                                                         "hari ditutup operator")
    assert staf.actor_name == "sistem" and len(entries) == 2
    outbox.mark_days([(org.staf.pk, MONDAY)], "close_day")  # recomputed, unchanged: no entry
    outbox.drain()
    assert AuditEntry.objects.filter(action="daily.status").count() == 2
    assert verify_chain().ok
