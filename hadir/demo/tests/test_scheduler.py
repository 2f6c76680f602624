"""The demo's periodic jobs (hadir.demo.scheduler): the beat list, run inline when due — once, and not again until
due — with celery's own schedule objects deciding; the real list runs in-process; `hadir demo` starts it."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import pytest
from celery.schedules import crontab
from django.conf import settings

from hadir.approvals.models import ApprovalItem
from hadir.approvals.tests.helpers import store_checkin
from hadir.demo.management.commands import demo as demo_command
from hadir.demo.scheduler import DemoScheduler
from hadir.org.models import UnitKind
from hadir.testing import Clock, Org, make_unit

UTC = dt.UTC


def counting(calls: list[str], name: str) -> Any:
    def task(*args: Any, **kwargs: Any) -> None:
        calls.append(name)
    return task


@pytest.mark.clock(dt.datetime(2026, 11, 23, 0, 15, tzinfo=UTC))  # Monday 07:15 WIB
def test_a_due_job_runs_once_and_not_again_until_due(clock: Clock) -> None:
    calls: list[str] = []
    beat = {
        "hourly": {"task": "t.hourly", "schedule": 3600.0},
        "digest": {"task": "t.digest", "schedule": crontab(hour=3, minute=30), "kwargs": {"day": None}},
    }
    jobs = DemoScheduler(beat, tasks={"t.hourly": counting(calls, "hourly"), "t.digest": counting(calls, "digest")})

    # (when, jobs run in that pass)
    table = [
        (dt.datetime(2026, 11, 23, 0, 15, tzinfo=UTC), ["hourly"]),  # an interval job runs at start; cron waits
        (dt.datetime(2026, 11, 23, 0, 15, tzinfo=UTC), []),  # not twice
        (dt.datetime(2026, 11, 23, 1, 14, tzinfo=UTC), []),
        (dt.datetime(2026, 11, 23, 1, 15, tzinfo=UTC), ["hourly"]),  # due again an hour after its run
        (dt.datetime(2026, 11, 23, 1, 45, tzinfo=UTC), []),
        (dt.datetime(2026, 11, 23, 3, 29, tzinfo=UTC), ["hourly"]),
        (dt.datetime(2026, 11, 23, 3, 30, tzinfo=UTC), ["digest"]),  # its crontab time
        (dt.datetime(2026, 11, 23, 3, 31, tzinfo=UTC), []),
        (dt.datetime(2026, 11, 24, 2, 0, tzinfo=UTC), ["hourly"]),  # one catch-up run after a pause, not 22
        (dt.datetime(2026, 11, 24, 3, 30, tzinfo=UTC), ["hourly", "digest"]),  # the next day's, in list order
    ]
    for when, expected in table:
        clock.set(when)
        ran, wait = jobs.run_due()
        assert ran == expected, when
        assert 1.0 <= wait <= 60.0
    assert calls == ["hourly", "hourly", "hourly", "digest", "hourly", "hourly", "digest"]


@pytest.mark.clock(dt.datetime(2026, 11, 23, 0, 15, tzinfo=UTC))
def test_a_failing_job_is_logged_and_waits_for_its_next_time(clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise RuntimeError("rusak")

    calls: list[str] = []
    jobs = DemoScheduler({"broken": {"task": "t.broken", "schedule": 600.0},
                          "after": {"task": "t.after", "schedule": 600.0}},
                         tasks={"t.broken": broken, "t.after": counting(calls, "after")})
    with caplog.at_level(logging.ERROR, logger="hadir.demo.scheduler"):
        assert jobs.run_due()[0] == ["broken", "after"]  # the next job still runs
    assert "t.broken" in caplog.text and calls == ["after"]
    assert jobs.run_due()[0] == []
    clock.shift(dt.timedelta(minutes=10))
    assert jobs.run_due()[0] == ["broken", "after"]
    assert [(j.runs, j.failures) for j in jobs.jobs] == [(2, 2), (2, 0)]


def test_every_beat_job_has_its_task() -> None:
    """The demo reads the one list production's beat reads; each entry names a task the scheduler can call."""
    jobs = DemoScheduler()
    assert [j.name for j in jobs.jobs] == list(settings.CELERY_BEAT_SCHEDULE)
    for job in jobs.jobs:
        assert callable(jobs.task(job.task)), job.task
    assert {"hadir.approvals.escalate_overdue", "hadir.presence.close_days", "hadir.presence.drain_outbox",
            "hadir.discipline.send_daily_digest", "hadir.presence.purge_personal_data"} <= {j.task for j in jobs.jobs}


def test_the_real_list_runs_inline_and_escalates(org: Org, clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    """Every job of settings.CELERY_BEAT_SCHEDULE runs in-process on a small regency without an error; the
    escalation among them moves an item nobody decided after the policy's 3 days, once."""
    item = ApprovalItem.objects.get(checkin=store_checkin(org.staf))
    assert item.approver_position_id == org.sekretaris.position_id
    jobs = DemoScheduler()
    with caplog.at_level(logging.ERROR):
        first, _wait = jobs.run_due()
        assert "approvals-escalate-overdue" in first
        clock.shift(dt.timedelta(days=3, minutes=5))
        again, _wait = jobs.run_due()
        assert "approvals-escalate-overdue" in again
        assert jobs.run_due()[0] == []
    assert [j.name for j in jobs.jobs if j.failures] == [] and "failed" not in caplog.text
    item.refresh_from_db()
    assert (item.escalation_level, item.approver_position_id) == (1, org.kadis.position_id)


def test_the_thread_runs_jobs_until_stopped() -> None:
    ran = threading.Event()
    jobs = DemoScheduler({"job": {"task": "t.job", "schedule": 3600.0}}, tasks={"t.job": lambda: ran.set()})
    thread = jobs.start()
    assert thread.daemon and ran.wait(5)
    jobs.stop(timeout=5)
    assert not thread.is_alive() and jobs.jobs[0].runs == 1


def test_hadir_demo_serves_with_the_jobs_running(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    served: list[tuple[Any, ...]] = []

    def fake_start(self: DemoScheduler) -> None:
        started.append([j.name for j in self.jobs])

    def fake_call(name: str, *args: Any, **kwargs: Any) -> None:
        if name == "runserver":
            served.append(args)

    monkeypatch.setattr(DemoScheduler, "start", fake_start)
    monkeypatch.setattr(demo_command, "call_command", fake_call)
    make_unit("Pemerintah Kabupaten Contoh", UnitKind.PEMDA)  # a database already seeded: the command just serves
    command = demo_command.Command()
    command.handle(employees=10, seed=1, port=8123, no_serve=False, no_hooks=True, no_jobs=False)
    assert started == [list(settings.CELERY_BEAT_SCHEDULE)] and served == [("127.0.0.1:8123",)]
    command.handle(employees=10, seed=1, port=8123, no_serve=False, no_hooks=True, no_jobs=True)
    assert len(started) == 1 and len(served) == 2
