"""The demo hook makes plausible check-ins and statuses, and runs once."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from hadir.presence.demo import seed
from hadir.presence.models import CheckIn, DailyStatus

pytestmark = pytest.mark.django_db


def test_demo_seed(org: Any) -> None:
    today = dt.date(2026, 11, 20)  # a Friday in the past: every check-in of the window is already "done"
    lines = seed(random.Random(7), today)
    assert len(lines) == 1 and "Presensi contoh" in lines[0]
    accepted = CheckIn.objects.filter(verdict="accepted")
    assert accepted.filter(kind="masuk").values("employee").distinct().count() == 7
    working_days = DailyStatus.objects.filter(employee=org.staf, is_working_day=True).count()
    # back to the 1st of last month, so the TPP demo can compute and close a whole month
    first = DailyStatus.objects.filter(employee=org.staf).order_by("date").first()
    assert first is not None and first.date == dt.date(2026, 10, 1)
    assert 34 <= working_days <= 38  # October's 22 weekdays and 14 of November's
    assert not CheckIn.objects.filter(local_date__gt=today).exists()
    # every accepted row sits inside its fence; statuses exist for the days with check-ins
    for row in accepted.select_related("location")[:50]:
        assert row.location is not None and row.distance_m is not None and row.distance_m <= row.location.radius_m
    assert DailyStatus.objects.filter(status__in=["hadir", "terlambat", "psw"]).exists()
    assert seed(random.Random(7), today) == ["Presensi contoh sudah ada; dilewati."]
