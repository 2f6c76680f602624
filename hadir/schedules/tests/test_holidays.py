"""Holiday import from the `holidays` package and the Ramadan estimate."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from hadir.schedules.holiday_calendar import import_national_holidays, national_calendar, ramadan_estimate
from hadir.schedules.models import Holiday, HolidayKind, RamadanPeriod

pytestmark = pytest.mark.django_db


def test_calendar_has_public_holidays_and_cuti_bersama() -> None:
    cal = {(d, name): kind for d, name, kind in national_calendar([2026])}
    assert cal[(dt.date(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia")] == HolidayKind.NATIONAL
    assert cal[(dt.date(2026, 12, 25), "Hari Raya Natal")] == HolidayKind.NATIONAL
    assert cal[(dt.date(2026, 12, 24), "Cuti Bersama Hari Raya Natal")] == HolidayKind.CUTI_BERSAMA


def test_import_is_idempotent_keeps_cancellations_and_local_days() -> None:
    first = import_national_holidays([2026])
    assert first.created >= 20 and first.removed == 0
    local = Holiday.objects.create(date=dt.date(2026, 3, 2), name="HUT Kabupaten", kind=HolidayKind.LOCAL)
    natal = Holiday.objects.get(date=dt.date(2026, 12, 25), imported=True)
    natal.is_active = False
    natal.save()
    stale = Holiday.objects.create(date=dt.date(2026, 7, 7), name="Perkiraan lama", kind=HolidayKind.NATIONAL,
                                   imported=True)
    again = import_national_holidays([2026])
    assert again.created == 0 and again.removed == 1
    assert not Holiday.objects.filter(pk=stale.pk).exists()
    assert Holiday.objects.filter(pk=local.pk).exists()
    assert Holiday.objects.get(pk=natal.pk).is_active is False  # the admin's cancellation stands


def test_import_changes_the_workday() -> None:
    from hadir.schedules.services import ScheduleBook, employee_rows

    import_national_holidays([2026])
    book = ScheduleBook(dt.date(2026, 8, 17), dt.date(2026, 8, 17), [])
    row = next(iter(employee_rows(None, dt.date(2026, 8, 17)).values()), None)
    assert row is None or not book.workday(row, dt.date(2026, 8, 17)).is_working_day
    assert "Hari Kemerdekaan Republik Indonesia" in book.static.holidays[dt.date(2026, 8, 17)][0]


def test_ramadan_estimate_and_command() -> None:
    start, end = ramadan_estimate(2027)  # type: ignore[misc]
    assert end == dt.date(2027, 3, 9) and start == dt.date(2027, 2, 8)
    out = io.StringIO()
    call_command("import_holidays", "--year", "2027", "--ramadan", stdout=out)
    assert "Periode Ramadan 2027" in out.getvalue()
    assert RamadanPeriod.objects.filter(start=dt.date(2027, 2, 8)).exists()
    call_command("import_holidays", "--year", "2027", "--ramadan", stdout=out)
    assert RamadanPeriod.objects.count() == 1
