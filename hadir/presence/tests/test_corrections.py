"""Koreksi presensi, the presence side: who may ask (a table of cases), and what an approved correction does to
the day (a manual check-in, the status recomputed through the outbox, the day marked as corrected)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hadir.errors import Conflict
from hadir.presence import outbox
from hadir.presence.corrections import apply_correction, correction_problems, reject_correction
from hadir.presence.models import CheckIn, Correction, CorrectionStatus, DailyStatus
from hadir.testing import Clock

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)

# (date offset from today, kind, backdate days) → fields with a problem
CASES = [
    (0, "masuk", 30, []),
    (-30, "pulang", 30, []),
    (-31, "masuk", 30, ["date"]),
    (1, "masuk", 30, ["date"]),  # tomorrow
    (0, "apel_pagi", 30, ["kind"]),
    (0, "ping", 30, ["kind"]),
    (-3, "masuk", 2, ["date"]),
]


@pytest.mark.parametrize(("offset", "kind", "backdate", "fields"), CASES)
def test_who_may_ask(offset: int, kind: str, backdate: int, fields: list[str]) -> None:
    problems = correction_problems(MONDAY + dt.timedelta(days=offset), kind, MONDAY, backdate=backdate)
    assert [field for field, _message in problems] == fields
    assert all(message for _field, message in problems)


def test_an_approved_correction_makes_the_day_present_and_marked(org: Any, clock: Clock) -> None:
    outbox.mark_days([(org.staf.pk, MONDAY)], "close_day", close=True)
    outbox.drain()
    assert DailyStatus.objects.get(employee=org.staf, date=MONDAY).status == "tk"  # forgot to scan
    correction = Correction.objects.create(employee=org.staf, date=MONDAY, kind="masuk", time=dt.time(7, 20),
                                           reason="Lupa absen, ikut rapat pagi")
    row = apply_correction(correction, org.sekretaris.user, "Benar, ada di rapat")
    outbox.drain()
    assert (row.source, row.verdict, row.validity, row.local_date) == ("manual", "accepted", "valid", MONDAY)
    assert row.occurred_at == dt.datetime(2026, 11, 23, 0, 20, tzinfo=dt.UTC)  # 07:20 WIB
    day = DailyStatus.objects.get(employee=org.staf, date=MONDAY)
    assert day.first_in == row.occurred_at and day.corrected and day.status in ("hadir", "psw")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.APPROVED and correction.checkin == row
    with pytest.raises(Conflict):
        apply_correction(correction, org.sekretaris.user)  # decided once
    assert CheckIn.objects.filter(source="manual").count() == 1


def test_a_rejected_correction_changes_nothing(org: Any, clock: Clock) -> None:
    correction = Correction.objects.create(employee=org.staf, date=MONDAY, kind="pulang", time=dt.time(16, 5),
                                           reason="Mesin mati")
    reject_correction(correction, org.sekretaris.user, "Tidak ada bukti")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REJECTED and correction.checkin is None
    assert not CheckIn.objects.exists()
