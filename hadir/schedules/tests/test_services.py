"""The work day of an employee (patterns, Ramadan, holidays, rosters, time zones)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hadir.org.models import UnitKind
from hadir.schedules.models import (
    Holiday,
    HolidayKind,
    PatternAssignment,
    RamadanPeriod,
    Shift,
    ShiftAssignment,
    WorkPattern,
    WorkPatternDay,
)
from hadir.schedules.services import (
    PERPRES_DEFAULT,
    ScheduleBook,
    WorkDay,
    employee_rows,
    pick_workday,
    workday_at,
    workday_for,
    workdays_for,
)
from hadir.testing import Org, make_employee, make_location, make_unit

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
MON = dt.date(2026, 11, 23)  # a Monday with no holiday
FRI = dt.date(2026, 11, 27)
SAT = dt.date(2026, 11, 28)
SUN = dt.date(2026, 11, 29)


def at(day: dt.date, h: int, m: int = 0, tz: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=tz)


pytestmark = pytest.mark.django_db


# -- default Perpres 21/2023 pattern ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "working", "start", "end"),
    [
        (MON, True, (7, 30), (16, 0)),
        (dt.date(2026, 11, 24), True, (7, 30), (16, 0)),
        (dt.date(2026, 11, 26), True, (7, 30), (16, 0)),  # Thursday
        (FRI, True, (7, 30), (16, 30)),  # Friday ends half an hour later
        (SAT, False, None, None),
        (SUN, False, None, None),
    ],
)
def test_default_pattern_perpres_21_2023(org: Org, day: dt.date, working: bool, start: Any, end: Any) -> None:
    wd = workday_for(org.staf, day)
    assert wd.date == day and wd.tz == "Asia/Jakarta"
    assert wd.is_working_day is working
    assert wd.shift_name == "" and wd.holiday_name == ""
    if working:
        assert wd.start == at(day, *start) and wd.end == at(day, *end)
        assert wd.windows["masuk"][0] == at(day, 5, 30)
        assert wd.windows["pulang"][1] == at(day, 23, 59).replace(second=59, microsecond=999999)
        assert "apel_pagi" not in wd.windows
    else:
        assert wd.start is None and wd.end is None and wd.windows == {}


def test_builtin_default_used_when_database_has_none(org: Org) -> None:
    WorkPattern.objects.all().delete()
    wd = workday_for(org.staf, FRI)
    assert wd.pattern_name == PERPRES_DEFAULT.name
    assert (wd.start, wd.end) == (at(FRI, 7, 30), at(FRI, 16, 30))


def test_time_zone_of_location_wita_and_wit(org: Org) -> None:
    makassar = make_location(org.disdik, -5.14, 119.43, tz="Asia/Makassar", name="Kantor WITA")
    jayapura = make_location(org.disdik, -2.53, 140.71, tz="Asia/Jayapura", name="Kantor WIT")
    e = make_employee(org.disdik, locations=[makassar])
    wd = workday_for(e, MON)
    assert wd.tz == "Asia/Makassar" and wd.start == at(MON, 7, 30, WITA)
    assert wd.start.astimezone(dt.UTC).hour == 23  # 07:30 WITA is 23:30 UTC the day before
    wd2 = workday_for(e, MON, location=jayapura)
    assert wd2.tz == "Asia/Jayapura" and wd2.start == at(MON, 7, 30, WIT)


def test_ramadan_hours_override(org: Org) -> None:
    RamadanPeriod.objects.create(name="Ramadan 1448 H", start=dt.date(2026, 11, 20), end=dt.date(2026, 12, 19))
    wd = workday_for(org.staf, MON)
    assert wd.ramadan and (wd.start, wd.end) == (at(MON, 8), at(MON, 15))
    fri = workday_for(org.staf, FRI)
    assert (fri.start, fri.end) == (at(FRI, 8), at(FRI, 15, 30))
    after = workday_for(org.staf, dt.date(2026, 12, 21))
    assert not after.ramadan and after.start == at(dt.date(2026, 12, 21), 7, 30)


def test_national_holiday_and_cuti_bersama_are_days_off(org: Org) -> None:
    Holiday.objects.create(date=MON, name="Hari Uji Nasional", kind=HolidayKind.NATIONAL)
    Holiday.objects.create(date=FRI, name="Cuti Bersama Uji", kind=HolidayKind.CUTI_BERSAMA)
    for day, name in [(MON, "Hari Uji Nasional"), (FRI, "Cuti Bersama Uji")]:
        wd = workday_for(org.staf, day)
        assert not wd.is_working_day and wd.holiday_name == name and wd.windows == {}


def test_local_holiday_scoped_to_unit_subtree(org: Org) -> None:
    Holiday.objects.create(date=MON, name="HUT Dinas Kesehatan", kind=HolidayKind.LOCAL, unit=org.dinkes)
    assert not workday_for(org.staf, MON).is_working_day  # sekretariat is under dinkes
    assert workday_for(org.guru, MON).is_working_day  # disdik is not
    cancelled = Holiday.objects.create(date=FRI, name="Dibatalkan", is_active=False)
    assert workday_for(org.staf, cancelled.date).is_working_day


def test_six_day_school_pattern_on_unit_and_most_specific_wins(org: Org) -> None:
    six = WorkPattern.objects.get(code="sekolah-6-hari")
    PatternAssignment.objects.create(pattern=six, unit=org.disdik)
    wd = workday_for(org.guru, SAT)
    assert wd.is_working_day and (wd.start, wd.end) == (at(SAT, 7, 30), at(SAT, 13))
    assert workday_for(org.staf, SAT).is_working_day is False  # dinkes keeps the default
    # a deeper unit overrides the OPD's pattern
    sd = make_unit("SD Negeri 1", UnitKind.SEKOLAH, org.disdik)
    late = WorkPattern.objects.create(code="siang", name="Masuk siang")
    WorkPatternDay.objects.create(pattern=late, weekday=5, start=dt.time(9), end=dt.time(12))
    PatternAssignment.objects.create(pattern=late, unit=sd)
    teacher = make_employee(sd, locations=[org.loc_disdik])
    assert workday_for(teacher, SAT).start == at(SAT, 9)
    # a location assignment beats any unit assignment
    five = WorkPattern.objects.get(code="perpres-5-hari")
    PatternAssignment.objects.create(pattern=five, location=org.loc_disdik)
    assert workday_for(teacher, SAT).is_working_day is False
    assert workday_for(org.guru, SAT).is_working_day is False


def test_assignment_validity_dates(org: Org) -> None:
    six = WorkPattern.objects.get(code="sekolah-6-hari")
    PatternAssignment.objects.create(pattern=six, unit=org.disdik, valid_from=dt.date(2026, 12, 1))
    assert not workday_for(org.guru, SAT).is_working_day
    assert workday_for(org.guru, dt.date(2026, 12, 5)).is_working_day


def test_apel_windows_when_configured(org: Org) -> None:
    five = WorkPattern.objects.get(code="perpres-5-hari")
    monday = WorkPatternDay.objects.get(pattern=five, weekday=0, ramadan=False)
    monday.apel_pagi_open, monday.apel_pagi_close = dt.time(7, 0), dt.time(7, 45)
    monday.save()  # (a save, not .update(): the per-process cache follows saves)
    wd = workday_for(org.staf, MON)
    assert wd.windows["apel_pagi"][0] == at(MON, 7) and wd.in_window("apel_pagi", at(MON, 7, 45))
    assert not wd.in_window("apel_pagi", at(MON, 7, 46))
    assert "apel_pagi" not in workday_for(org.staf, dt.date(2026, 11, 24)).windows


# -- rosters and night shifts ---------------------------------------------------------------------------------

@pytest.fixture
def rsud(org: Org) -> dict[str, Any]:
    unit = make_unit("RSUD Contoh", UnitKind.RSUD, org.pemda)
    loc = make_location(unit, -3.79, 102.26, name="RSUD")
    PatternAssignment.objects.create(pattern=WorkPattern.objects.get(code="shift-24-jam"), unit=unit)
    nurse = make_employee(unit, "Perawat", locations=[loc])
    shifts = {s.code: s for s in Shift.objects.filter(unit__isnull=True)}
    return {"unit": unit, "nurse": nurse, "shifts": shifts, "loc": loc}


def test_roster_shifts_pagi_siang_malam(rsud: dict[str, Any]) -> None:
    nurse, s = rsud["nurse"], rsud["shifts"]
    ShiftAssignment.objects.create(employee=nurse, date=MON, shift=s["pagi"])
    ShiftAssignment.objects.create(employee=nurse, date=dt.date(2026, 11, 24), shift=s["siang"])
    ShiftAssignment.objects.create(employee=nurse, date=dt.date(2026, 11, 25), shift=s["malam"])
    ShiftAssignment.objects.create(employee=nurse, date=dt.date(2026, 11, 26), shift=None)
    pagi = workday_for(nurse, MON)
    assert pagi.shift_name == "pagi" and (pagi.start, pagi.end) == (at(MON, 7), at(MON, 14))
    siang = workday_for(nurse, dt.date(2026, 11, 24))
    assert siang.shift_name == "siang" and siang.end == at(dt.date(2026, 11, 24), 21)
    malam = workday_for(nurse, dt.date(2026, 11, 25))
    assert malam.shift_name == "malam" and malam.end == at(dt.date(2026, 11, 26), 7)
    assert malam.windows["pulang"][1] == at(dt.date(2026, 11, 26), 11)
    off = workday_for(nurse, dt.date(2026, 11, 26))
    assert not off.is_working_day and off.shift_name == ""
    # roster pattern: no roster line → day off, even on a weekday
    assert not workday_for(nurse, dt.date(2026, 11, 30)).is_working_day


def test_shift_on_holiday_is_worked(rsud: dict[str, Any]) -> None:
    Holiday.objects.create(date=SUN, name="Libur Uji", kind=HolidayKind.NATIONAL)
    ShiftAssignment.objects.create(employee=rsud["nurse"], date=SUN, shift=rsud["shifts"]["pagi"])
    wd = workday_for(rsud["nurse"], SUN)
    assert wd.is_working_day and wd.holiday_name == "Libur Uji"


def test_workday_at_night_shift_pulang_belongs_to_yesterday(rsud: dict[str, Any]) -> None:
    nurse, s = rsud["nurse"], rsud["shifts"]
    tue, wed = dt.date(2026, 11, 24), dt.date(2026, 11, 25)
    ShiftAssignment.objects.create(employee=nurse, date=tue, shift=s["malam"])
    assert workday_at(nurse, at(tue, 20, 45)).date == tue  # masuk before the night shift
    assert workday_at(nurse, at(wed, 6, 50)).date == tue  # pulang after it
    assert workday_at(nurse, at(wed, 6, 50).astimezone(dt.UTC)).date == tue  # any zone of `at`
    # malam followed by pagi: until 07:00 the night shift is still running, after it today's has begun
    ShiftAssignment.objects.create(employee=nurse, date=wed, shift=s["pagi"])
    assert workday_at(nurse, at(wed, 6, 50)).date == tue
    assert workday_at(nurse, at(wed, 7, 20)).date == wed
    assert workday_at(nurse, at(wed, 13, 0)).date == wed


def test_workday_at_office_day(org: Org) -> None:
    assert workday_at(org.staf, at(MON, 7, 10)).date == MON
    assert workday_at(org.staf, at(MON, 0, 30)).date == MON  # just past midnight: today's date
    with pytest.raises(ValueError):
        workday_at(org.staf, dt.datetime(2026, 11, 23, 7))


def test_pick_workday_pure() -> None:
    tue, wed = dt.date(2026, 11, 24), dt.date(2026, 11, 25)
    night = WorkDay(tue, "Asia/Jakarta", True, "", "malam", at(tue, 21), at(wed, 7),
                    {"masuk": (at(tue, 19), at(wed, 7)), "pulang": (at(tue, 21), at(wed, 11))})
    office = WorkDay(wed, "Asia/Jakarta", True, "", "", at(wed, 7, 30), at(wed, 16),
                     {"masuk": (at(wed, 5, 30), at(wed, 16)), "pulang": (at(wed, 7, 30), at(wed, 23, 59))})
    off = WorkDay(wed, "Asia/Jakarta", False, "", "", None, None, {})
    assert pick_workday(night, off, at(wed, 8)) is night
    assert pick_workday(night, off, at(wed, 12)) is off  # past yesterday's pulang window
    assert pick_workday(night, office, at(wed, 6, 0)) is night  # 1 h after end vs 1.5 h before start
    assert pick_workday(night, office, at(wed, 7, 25)) is office  # 25 min after end vs 5 min before start
    assert pick_workday(office, office, at(wed, 8)) is office  # office day never claims the next date


def test_workdays_for_is_set_based(org: Org, django_assert_max_num_queries: Any, rsud: dict[str, Any]) -> None:
    six = WorkPattern.objects.get(code="sekolah-6-hari")
    PatternAssignment.objects.create(pattern=six, unit=org.disdik)
    ShiftAssignment.objects.create(employee=rsud["nurse"], date=SAT, shift=rsud["shifts"]["malam"])
    for _ in range(30):
        make_employee(org.dinkes, locations=[org.loc_dinkes])
    ids = list(org.dinkes.employees.values_list("id", flat=True)) + [org.guru.pk, rsud["nurse"].pk, 999999]
    with django_assert_max_num_queries(10):
        days = workdays_for(ids, SAT)
    assert 999999 not in days
    assert days[org.guru.pk].is_working_day and days[rsud["nurse"].pk].shift_name == "malam"
    assert not days[org.kadis.pk].is_working_day
    # same answers as the one-by-one path
    for emp_id in (org.guru.pk, org.kadis.pk, rsud["nurse"].pk):
        from hadir.org.models import Employee

        assert days[emp_id] == workday_for(Employee.objects.get(pk=emp_id), SAT)


def test_employee_without_location_uses_default_zone(org: Org) -> None:
    e = make_employee(org.dinkes)
    rows = employee_rows([e.pk], MON)
    assert rows[e.pk].location_id is None and rows[e.pk].tz == "Asia/Jakarta"
    book = ScheduleBook(MON, MON, [e.pk])
    assert book.workday(rows[e.pk], MON).is_working_day


def test_only_one_default_pattern_and_unique_global_shift_codes(org: Org) -> None:
    from django.core.exceptions import ValidationError

    six = WorkPattern.objects.get(code="sekolah-6-hari")
    six.is_default = True
    six.save()
    assert list(WorkPattern.objects.filter(is_default=True)) == [six]
    assert workday_for(org.staf, SAT).is_working_day  # everyone without an assignment now works Saturdays
    dup = Shift(code="pagi", name="Pagi lagi", start=dt.time(6), end=dt.time(13))
    with pytest.raises(ValidationError):
        dup.full_clean()
    Shift(code="pagi", name="Pagi RSUD", start=dt.time(6), end=dt.time(13), unit=org.dinkes).full_clean()


def test_first_active_location_decides_the_zone(org: Org) -> None:
    rows = employee_rows([org.staf_bidang.pk], MON)  # dinkes office, then the puskesmas
    assert rows[org.staf_bidang.pk].location_id == org.loc_dinkes.pk
    org.loc_dinkes.is_active = False
    org.loc_dinkes.save()
    assert employee_rows([org.staf_bidang.pk], MON)[org.staf_bidang.pk].location_id == org.loc_puskesmas.pk
    assert employee_rows([org.staf.pk], MON)[org.staf.pk].location_id == org.loc_dinkes.pk  # inactive, only one
