"""Fixtures for the terminal tests: a live server speaking ADMS and, where a test wants to stay
independent of the presence pipeline, a small recording stand-in for it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from hadir.org.models import Employee, WorkLocation
from hadir.presence.models import CheckIn, Verdict


@dataclass
class FakeAttempt:
    employee: Employee
    kind: str
    source: str = "mobile"
    client_uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: Any = None
    client_time: Any = None
    terminal_sn: str = ""
    location: WorkLocation | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class FakePipeline:
    """Stores accepted CheckIns idempotently on client_uuid, like record_many does."""

    def __init__(self) -> None:
        self.calls: list[list[FakeAttempt]] = []
        self.CheckInAttempt = FakeAttempt

    def record_many(self, attempts: list[FakeAttempt]) -> list[tuple[CheckIn, bool]]:
        self.calls.append(list(attempts))
        out = []
        for a in attempts:
            row = CheckIn.objects.filter(client_uuid=a.client_uuid).first()
            if row is not None:
                out.append((row, False))
                continue
            tz = a.location.timezone if a.location else "Asia/Jakarta"
            import zoneinfo

            row = CheckIn.objects.create(
                client_uuid=a.client_uuid, employee=a.employee, kind=a.kind, source=a.source,
                occurred_at=a.occurred_at, client_time=a.client_time,
                local_date=a.occurred_at.astimezone(zoneinfo.ZoneInfo(tz)).date(), location=a.location,
                terminal_sn=a.terminal_sn, verdict=Verdict.ACCEPTED,
            )
            out.append((row, True))
        return out


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> FakePipeline:
    fake = FakePipeline()
    monkeypatch.setattr("hadir.terminals.services.pipeline", fake)
    return fake


@pytest.fixture
def eager(settings: Any) -> SimpleNamespace:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from hadir.celery import app

    app.conf.task_always_eager = True
    return SimpleNamespace(app=app)
