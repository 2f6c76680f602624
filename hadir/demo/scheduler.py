"""The periodic jobs for `hadir demo`: settings.CELERY_BEAT_SCHEDULE run in-process, without beat or a worker.

There is ONE list of periodic jobs, settings.CELERY_BEAT_SCHEDULE (escalation, day close, the outbox drain, the
absence digest, terminal health, the retention purge …). In production celery beat sends them to a worker
(docs/deploy.md). The demo serves with runserver and starts no beat: `hadir demo` starts this scheduler in a
daemon thread beside the server instead. It reads the same list and calls the same task functions inline, one
after another (the server keeps answering: SQLite runs in WAL mode, and a job holds the write lock only for its
own short transactions). When a job is due is decided by celery's schedule objects, exactly as beat decides it
(`maybe_schedule` → `schedule` / `crontab`, `.is_due(last_run_at)`), so nothing here knows cron.

Unlike beat, a job with a fixed interval (`schedule`) also runs once when the scheduler starts — a demo is
started and stopped often, and the daily purge or the hourly escalation would otherwise never come round; a
`crontab` job waits for its time, as under beat. The last runs are kept in memory only.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from celery import Celery
from celery.schedules import BaseSchedule, maybe_schedule
from celery.schedules import schedule as interval
from django.conf import settings
from django.db import close_old_connections

from hadir.celery import app as celery_app

log = logging.getLogger(__name__)

MAX_SLEEP = 60.0  # seconds: the thread looks at the list at least this often
MIN_SLEEP = 1.0


@dataclass
class Job:
    """One entry of the beat list, and when the demo last ran it."""

    name: str
    task: str
    schedule: BaseSchedule
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    last_run_at: dt.datetime | None = None  # None: never (an interval job is due at once)
    runs: int = 0
    failures: int = 0
    seconds: float = 0.0  # time spent in the last run

    def is_due(self) -> tuple[bool, float]:
        """(due now, seconds until it should be looked at again), from celery's schedule object."""
        if self.last_run_at is None:
            return True, 0.0
        state = self.schedule.is_due(self.last_run_at)
        return bool(state.is_due), float(state.next)


class DemoScheduler:
    """Runs the due jobs of a beat schedule inline. `run_due()` does one pass (what the thread calls in a loop
    and what tests call with the clock moved); `start()` runs passes in a daemon thread until `stop()`."""

    def __init__(self, beat_schedule: Mapping[str, Mapping[str, Any]] | None = None, *, app: Celery | None = None,
                 tasks: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.app = app or celery_app
        self._tasks = dict(tasks) if tasks is not None else None
        spec: Mapping[str, Mapping[str, Any]] = (settings.CELERY_BEAT_SCHEDULE if beat_schedule is None
                                                 else beat_schedule)
        self.jobs: list[Job] = []
        for name, entry in spec.items():
            sched = maybe_schedule(entry["schedule"], bool(entry.get("relative", False)), self.app)
            if not isinstance(sched, BaseSchedule):
                raise TypeError(f"beat entry {name!r}: unknown schedule {entry['schedule']!r}")
            job = Job(name, str(entry["task"]), sched, tuple(entry.get("args", ())), dict(entry.get("kwargs", {})))
            if not isinstance(sched, interval):  # crontab (and solar): wait for the time, as beat does
                job.last_run_at = sched.now()
            self.jobs.append(job)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def task(self, name: str) -> Callable[..., Any]:
        """The task function behind a beat entry's task name (the one a worker would run)."""
        if self._tasks is not None:
            return self._tasks[name]
        if name not in self.app.tasks:
            self.app.loader.import_default_modules()  # the apps' tasks.py modules (autodiscover_tasks)
        return self.app.tasks[name]

    def run_due(self) -> tuple[list[str], float]:
        """Run every job due now, one after another, in the order of the list. Returns the names run and how many
        seconds to wait before the next pass. A job that fails is logged and waits for its next time."""
        ran: list[str] = []
        wait = MAX_SLEEP
        for job in self.jobs:
            due, _next = job.is_due()
            if due:
                self._run(job)
                ran.append(job.name)
            _due, next_check = job.is_due()
            wait = min(wait, next_check)
        return ran, max(wait, MIN_SLEEP)

    def _run(self, job: Job) -> None:
        job.last_run_at = job.schedule.now()
        job.runs += 1
        started = time.monotonic()
        try:
            self.task(job.task)(*job.args, **job.kwargs)
        except Exception:
            job.failures += 1
            log.exception("demo: periodic job %s (%s) failed; it runs again when next due", job.name, job.task)
        finally:
            job.seconds = time.monotonic() - started

    # --- the thread ------------------------------------------------------------------------------

    def start(self) -> threading.Thread:
        """Run passes in a daemon thread (it dies with the server) until stop()."""
        if self._thread is not None and self._thread.is_alive():
            return self._thread
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="hadir-demo-jobs", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            wait = MAX_SLEEP
            try:
                _ran, wait = self.run_due()
            except Exception:  # the loop itself must survive anything a pass throws
                log.exception("demo: periodic jobs pass failed")
            finally:
                close_old_connections()  # this thread's connection, as Django does after each request
            self._stop.wait(wait)
