"""The demo hook on the small test organisation."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from hadir.terminals import demo
from hadir.terminals.models import AttLogState, Terminal, TerminalStatus
from hadir.testing import Org


@pytest.mark.django_db
def test_demo_seed(org: Org, fake_pipeline: Any) -> None:
    for i, emp in enumerate([org.staf, org.kabid, org.guru]):
        emp.device_pin = str(5000 + i)
        emp.save()
    lines = demo.seed(random.Random(1), timezone.localdate())
    assert len(lines) == 3 and lines[0].startswith("mesin absensi:")
    pending = Terminal.objects.get(status=TerminalStatus.PENDING)
    assert set(pending.attlogs.values_list("state", flat=True)) == {AttLogState.HELD}
    assert Terminal.objects.filter(status=TerminalStatus.ACTIVE).exists()
    # deterministic for a seed, and a second run of the day is not needed: SNs are unique
    assert Terminal.objects.filter(last_seen__gte=timezone.now() - dt.timedelta(days=2)).count() >= 1
