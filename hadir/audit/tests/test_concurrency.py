"""Concurrent writers on PostgreSQL: the chain head lock keeps numbering and links intact."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from hadir.audit.models import AuditEntry
from hadir.audit.services import record, verify_chain
from hadir.org.models import Unit, UnitKind

THREADS = 6
PER_THREAD = 15


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_the_chain(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks matter on PostgreSQL; SQLite serialises writers itself")
    target = Unit.objects.create(name="Pemda Uji", kind=UnitKind.PEMDA, code="PEMDA-UJI")
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                record(None, "test.parallel", target, {}, {"thread": n, "i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.count() == THREADS * PER_THREAD
    report = verify_chain()
    assert report.ok and report.checked == THREADS * PER_THREAD
