"""Batched status refresh through Redis: one flush per burst, one set-based compute for all of it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from hadir.presence import refresh
from hadir.presence.models import DailyStatus
from hadir.presence.pipeline import CheckInAttempt, record_checkin

from .conftest import Clock

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/11"  # a db number of its own


@pytest.fixture
def batched(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, ...]]]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis not reachable")
    settings.REDIS_URL = REDIS_URL
    settings.HADIR_STATUS_REFRESH = "batched"
    refresh._redis.cache_clear()
    refresh._redis().flushdb()
    scheduled: list[tuple[Any, ...]] = []
    monkeypatch.setattr(refresh.flush_dirty, "apply_async", lambda args, countdown: scheduled.append(args))
    yield scheduled
    refresh._redis().flushdb()
    refresh._redis.cache_clear()


def checkin(emp: Any) -> None:
    record_checkin(CheckInAttempt(employee=emp, kind="masuk", client_uuid=uuid.uuid4(), latitude=-3.7956312,
                                  longitude=102.2592718, accuracy_m=9))


def test_burst_is_flushed_once(org: Any, clock: Clock, batched: list[tuple[Any, ...]],
                               django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for emp in (org.staf, org.kabid, org.sekretaris):
            checkin(emp)
    assert batched == [("2026-11-23",)]  # one flush scheduled for the whole burst
    assert not DailyStatus.objects.exists()  # nothing computed in the requests themselves
    assert refresh.flush_dirty("2026-11-23") == 3
    assert set(DailyStatus.objects.values_list("employee_id", "status")) == {
        (org.staf.pk, "hadir"), (org.kabid.pk, "hadir"), (org.sekretaris.pk, "hadir")}
    # after a flush the next check-in schedules a new one
    with django_capture_on_commit_callbacks(execute=True):
        checkin(org.kadis)
    assert len(batched) == 2 and refresh.flush_dirty("2026-11-23") == 1
    assert refresh.flush_dirty("2026-11-23") == 0


def test_inline_without_redis(org: Any, clock: Clock, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.HADIR_STATUS_REFRESH = "batched"
    settings.REDIS_URL = ""
    assert refresh.mode() == "inline"
    with django_capture_on_commit_callbacks(execute=True):
        checkin(org.staf)
    assert DailyStatus.objects.get(employee=org.staf, date=dt.date(2026, 11, 23)).status == "hadir"
