"""The schedules demo hook on a seeded regency."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest

from hadir.org.models import Employee, UnitKind
from hadir.org.seed import seed_regency
from hadir.schedules import demo
from hadir.schedules.models import Holiday, PatternAssignment, RamadanPeriod, ShiftAssignment
from hadir.schedules.services import workdays_for

pytestmark = pytest.mark.django_db


def test_demo_seed(settings: object) -> None:
    today = dt.date(2026, 11, 23)
    seed_regency(random.Random(1), today, employees=300)
    t0 = time.monotonic()
    lines = demo.seed(random.Random(2), today)
    assert time.monotonic() - t0 < 20
    assert any("libur nasional" in line for line in lines) and any("sekolah" in line for line in lines)
    assert Holiday.objects.filter(date__year=2027, imported=True).exists()
    assert RamadanPeriod.objects.filter(start__year=2027).exists()
    assert PatternAssignment.objects.filter(unit__kind=UnitKind.SEKOLAH).count() >= 10
    nurses = list(Employee.objects.filter(shift_assignments__date=today).distinct().values_list("id", flat=True))
    assert nurses and ShiftAssignment.objects.filter(date=dt.date(2026, 11, 30)).count() == len(nurses)
    teachers = list(Employee.objects.filter(unit__kind=UnitKind.SEKOLAH).values_list("id", flat=True)[:5])
    saturday = workdays_for(teachers + nurses, dt.date(2026, 11, 28))
    assert all(saturday[t].is_working_day for t in teachers)
    assert {saturday[n].shift_name for n in nurses} <= {"pagi", "siang", "malam", ""}
    assert any(saturday[n].shift_name == "malam" for n in nurses)
