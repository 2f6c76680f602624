"""Exactly-once storage under concurrent re-sends (real threads, real transactions; PostgreSQL only)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from hadir.presence.models import CheckIn
from hadir.presence.pipeline import CheckInAttempt, record_checkin, record_many
from hadir.testing import Clock, make_org

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent writers"),
]

THREADS = 8


def run_together(fn: Callable[[], Any], n: int = THREADS) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            out = fn()
            with lock:
                results.append(out)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def attempt(emp: Any, key: uuid.UUID, source: str = "mobile", **kw: Any) -> CheckInAttempt:
    return CheckInAttempt(employee=emp, kind="masuk", source=source, client_uuid=key, latitude=-3.7956312,
                          longitude=102.2592718, accuracy_m=10, **kw)


def test_same_uuid_from_many_threads_is_stored_once(clock: Clock) -> None:
    org = make_org()
    key = uuid.uuid4()
    results, errors = run_together(lambda: record_checkin(attempt(org.staf, key)))
    assert errors == []
    assert CheckIn.objects.filter(client_uuid=key).count() == 1
    row_ids = {row.pk for row, _created in results}
    assert len(row_ids) == 1
    assert sorted(created for _row, created in results) == [False] * (THREADS - 1) + [True]


def test_concurrent_batch_resends_store_each_item_once(clock: Clock) -> None:
    org = make_org()
    keys = [uuid.uuid4() for _ in range(5)]

    def send() -> list[tuple[CheckIn, bool]]:
        return record_many([attempt(org.staf, k, "offline", occurred_at=clock.now) for k in keys])

    results, errors = run_together(send)
    assert errors == []
    assert CheckIn.objects.count() == 5
    created = [c for batch in results for _row, c in batch]
    assert created.count(True) == 5  # each item created by exactly one of the senders
