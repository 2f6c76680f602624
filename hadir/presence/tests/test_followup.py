"""The check-in follow-up outbox: inline after commit, or batched through Redis + Celery; retried, drained."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from hadir.presence import followup, tasks
from hadir.presence.models import CheckIn, DailyStatus
from hadir.presence.pipeline import CheckInAttempt, record_checkin
from hadir.presence.signals import checkins_recorded
from hadir.testing import Clock

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def batched(redis_db: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Batched mode against the real Redis; the Celery task is recorded instead of queued."""
    settings.HADIR_STATUS_REFRESH = "batched"
    queued: list[float] = []
    monkeypatch.setattr(followup.flush, "apply_async", lambda countdown: queued.append(countdown))
    return queued


def checkin(emp: Any, **kw: Any) -> CheckIn:
    data: dict[str, Any] = {"kind": "masuk", "client_uuid": uuid.uuid4(), "latitude": -3.7956312,
                            "longitude": 102.2592718, "accuracy_m": 9.0}
    data.update(kw)
    row, created = record_checkin(CheckInAttempt(employee=emp, **data))
    assert created
    return row


def statuses() -> set[tuple[int, str]]:
    return set(DailyStatus.objects.filter(date=MONDAY).values_list("employee_id", "status"))


def test_burst_is_flushed_once(org: Any, clock: Clock, batched: list[float],
                               django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for emp in (org.staf, org.kabid, org.sekretaris):
            checkin(emp)
    assert batched == [followup.delay_seconds()]  # one flush queued for the whole burst
    assert not DailyStatus.objects.exists()  # nothing computed in the requests themselves
    assert CheckIn.objects.filter(followup_pending=True).count() == 3
    assert followup.flush() == 3
    assert statuses() == {(org.staf.pk, "hadir"), (org.kabid.pk, "hadir"), (org.sekretaris.pk, "hadir")}
    assert not CheckIn.objects.filter(followup_pending=True).exists()
    # after a flush the next check-in queues a new one
    with django_capture_on_commit_callbacks(execute=True):
        checkin(org.kadis)
    assert len(batched) == 2 and followup.flush() == 1
    assert followup.flush() == 0


def test_batched_falls_back_to_inline_without_redis(org: Any, clock: Clock, settings: Any,
                                                    django_capture_on_commit_callbacks: Any) -> None:
    settings.HADIR_STATUS_REFRESH = "batched"
    settings.REDIS_URL = ""
    assert followup.mode() == "inline"
    with django_capture_on_commit_callbacks(execute=True):
        row = checkin(org.staf)
    assert statuses() == {(org.staf.pk, "hadir")}
    assert CheckIn.objects.get(pk=row.pk).followup_pending is False


def test_rejected_and_ping_rows_are_done_without_a_status(org: Any, clock: Clock) -> None:
    checkin(org.staf, latitude=-3.70, longitude=102.30)  # outside the radius: rejected
    checkin(org.kabid, kind="ping")
    assert followup.process_pending() == 2
    assert not DailyStatus.objects.exists()
    assert not CheckIn.objects.filter(followup_pending=True).exists()


def test_pending_rows_are_drained_in_batches_and_a_bad_row_holds_back_no_other(
        org: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    emps = [org.staf, org.kabid, org.sekretaris, org.kadis, org.guru]
    rows = [checkin(e) if e != org.guru else checkin(e, latitude=-3.8004123, longitude=102.2655321) for e in emps]
    batches: list[int] = []

    def receiver(sender: Any, checkins: list[CheckIn], **kw: Any) -> None:
        batches.append(len(checkins))
        if any(c.employee_id == org.kabid.pk for c in checkins):
            raise RuntimeError("approver lookup failed")

    checkins_recorded.connect(receiver, dispatch_uid="test-followup-poison")
    try:
        assert followup.process_pending(batch_size=2) == 4  # everyone but the bad row
    finally:
        checkins_recorded.disconnect(dispatch_uid="test-followup-poison")
    assert batches == [2, 1, 1, 2, 1]  # the failed batch was retried row by row; the others went whole
    assert list(CheckIn.objects.filter(followup_pending=True).values_list("pk", flat=True)) == [rows[1].pk]
    assert {e for e, _s in statuses()} == {e.pk for e in emps} - {org.kabid.pk}
    # the next pass (receiver fixed) picks it up
    assert followup.process_pending() == 1 and (org.kabid.pk, "hadir") in statuses()


def test_close_days_is_the_safety_net(org: Any, clock: Clock) -> None:
    checkin(org.staf)  # its after-commit never ran (a lost task, a crashed worker)
    done = tasks.close_due_days(clock.now)
    assert done.get("tindak lanjut") == 1
    assert (org.staf.pk, "hadir") in statuses()


def test_follow_up_reads_only_pending_rows(org: Any, clock: Clock, django_assert_max_num_queries: Any) -> None:
    """A drained outbox costs one indexed query (the partial index on pending rows)."""
    checkin(org.staf)
    followup.process_pending()
    with django_assert_max_num_queries(3):  # savepoint + the SELECT … FOR UPDATE of nothing
        assert followup.process_pending() == 0


def test_rows_stored_during_a_flush_are_left_to_the_next_one(org: Any, clock: Clock,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """One flush takes what was pending when it started; a check-in stored meanwhile queued a flush of its own.
    (Chasing the newcomers made one flush loop over batches of a few rows each during the morning rush.)"""
    checkin(org.staf)
    checkin(org.kabid)
    real = followup.process
    late: list[CheckIn] = []

    def process_and_meanwhile_a_checkin(rows: list[CheckIn]) -> None:
        if not late:
            late.append(checkin(org.sekretaris))
        real(rows)

    monkeypatch.setattr(followup, "process", process_and_meanwhile_a_checkin)
    assert followup.process_pending(batch_size=1) == 2
    assert list(CheckIn.objects.filter(followup_pending=True).values_list("pk", flat=True)) == [late[0].pk]
    assert followup.process_pending() == 1
    assert statuses() == {(org.staf.pk, "hadir"), (org.kabid.pk, "hadir"), (org.sekretaris.pk, "hadir")}
