"""The daily status derived from check-ins — the pure rule by tables, then the set-based engine."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hadir.org.models import Employee, UnitKind
from hadir.presence import daily
from hadir.presence.daily import DayResult, close_time, compute_day, derive_status, recompute_employee_day
from hadir.presence.models import CheckIn, DailyStatus, Validity
from hadir.schedules.lateness import DEFAULT, LatenessRules
from hadir.schedules.models import Holiday, HolidayKind, PatternAssignment, Shift, ShiftAssignment, WorkPattern
from hadir.schedules.services import WorkDay
from hadir.testing import Clock, Org, make_employee, make_location, make_unit

WIB = ZoneInfo("Asia/Jakarta")
MON = dt.date(2026, 11, 23)
TUE = dt.date(2026, 11, 24)


def at(day: dt.date, h: int, m: int = 0, s: int = 0, tz: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz)


OFFICE = WorkDay(MON, "Asia/Jakarta", True, "", "", at(MON, 7, 30), at(MON, 16),
                 {"masuk": (at(MON, 5, 30), at(MON, 16)), "pulang": (at(MON, 7, 30), at(MON, 23, 59, 59))})
WEEKEND = WorkDay(dt.date(2026, 11, 28), "Asia/Jakarta", False, "", "", None, None, {})
HOLIDAY = WorkDay(MON, "Asia/Jakarta", False, "Hari Uji", "", None, None, {})
NO_GRACE_NO_MISSING = LatenessRules(missing_out_is_psw4=False, missing_in_is_tl4=False)


# (masuk times, pulang times, excuse, rules, closed) → expected fields
CASES: list[tuple[str, WorkDay, list[dt.datetime], list[dt.datetime], Any, LatenessRules, bool, dict[str, Any]]] = [
    ("tepat waktu", OFFICE, [at(MON, 7, 20)], [at(MON, 16, 5)], None, DEFAULT, True,
     {"status": "hadir", "late_minutes": 0, "late_category": "", "early_category": ""}),
    ("masuk tepat 07:30:59", OFFICE, [at(MON, 7, 30, 59)], [at(MON, 16)], None, DEFAULT, True,
     {"status": "hadir", "late_minutes": 0}),
    ("terlambat 1 menit → TL1", OFFICE, [at(MON, 7, 31)], [at(MON, 16)], None, DEFAULT, True,
     {"status": "terlambat", "late_minutes": 1, "late_category": "TL1"}),
    ("terlambat 30 → TL1", OFFICE, [at(MON, 8, 0)], [at(MON, 16)], None, DEFAULT, True,
     {"status": "terlambat", "late_minutes": 30, "late_category": "TL1"}),
    ("terlambat 31 → TL2", OFFICE, [at(MON, 8, 1)], [at(MON, 16)], None, DEFAULT, True,
     {"late_minutes": 31, "late_category": "TL2"}),
    ("terlambat 61 → TL3", OFFICE, [at(MON, 8, 31)], [at(MON, 16)], None, DEFAULT, True,
     {"late_minutes": 61, "late_category": "TL3"}),
    ("terlambat 91 → TL4", OFFICE, [at(MON, 9, 1)], [at(MON, 16)], None, DEFAULT, True,
     {"late_minutes": 91, "late_category": "TL4"}),
    ("masuk pertama yang dihitung", OFFICE, [at(MON, 9, 0), at(MON, 7, 25)], [at(MON, 16)], None, DEFAULT, True,
     {"status": "hadir", "first_in": at(MON, 7, 25)}),
    ("pulang terakhir yang dihitung", OFFICE, [at(MON, 7)], [at(MON, 12), at(MON, 16, 10)], None, DEFAULT, True,
     {"status": "hadir", "last_out": at(MON, 16, 10), "early_minutes": 0}),
    ("pulang 15:00 → PSW2", OFFICE, [at(MON, 7)], [at(MON, 15)], None, DEFAULT, True,
     {"status": "psw", "early_minutes": 60, "early_category": "PSW2"}),
    ("pulang 14:29 → PSW4", OFFICE, [at(MON, 7)], [at(MON, 14, 29)], None, DEFAULT, True,
     {"status": "psw", "early_minutes": 91, "early_category": "PSW4"}),
    ("terlambat dan pulang cepat: status terlambat, kedua kategori", OFFICE, [at(MON, 8)], [at(MON, 15, 45)],
     None, DEFAULT, True, {"status": "terlambat", "late_category": "TL1", "early_category": "PSW1"}),
    ("belum ada presensi, hari belum ditutup", OFFICE, [], [], None, DEFAULT, False,
     {"status": "belum", "missing_in": False, "closed": False}),
    ("tanpa presensi, hari ditutup → TK", OFFICE, [], [], None, DEFAULT, True, {"status": "tk", "closed": True}),
    ("masuk saja, hari belum ditutup", OFFICE, [at(MON, 7)], [], None, DEFAULT, False,
     {"status": "hadir", "missing_out": False, "early_category": ""}),
    ("masuk saja, ditutup → tidak absen pulang = PSW4", OFFICE, [at(MON, 7)], [], None, DEFAULT, True,
     {"status": "psw", "missing_out": True, "early_category": "PSW4"}),
    ("masuk saja, ditutup, aturan tanpa PSW4", OFFICE, [at(MON, 7)], [], None, NO_GRACE_NO_MISSING, True,
     {"status": "hadir", "missing_out": True, "early_category": ""}),
    ("pulang saja → tidak absen masuk = TL4", OFFICE, [], [at(MON, 16)], None, DEFAULT, False,
     {"status": "terlambat", "missing_in": True, "late_category": "TL4", "late_minutes": 0}),
    ("pulang saja, aturan tanpa TL4", OFFICE, [], [at(MON, 16)], None, NO_GRACE_NO_MISSING, True,
     {"status": "hadir", "missing_in": True, "late_category": ""}),
    ("toleransi 5 menit", OFFICE, [at(MON, 7, 35)], [at(MON, 16)], None, LatenessRules(grace_minutes=5), True,
     {"status": "hadir", "late_minutes": 5, "late_category": ""}),
    ("cuti disetujui menimpa TK", OFFICE, [], [], ("cuti", "CUTI/2026/11/7"), DEFAULT, True,
     {"status": "cuti", "excuse_ref": "CUTI/2026/11/7"}),
    ("dinas luar walau terlambat presensi", OFFICE, [at(MON, 10)], [], ("dl", "ST-12"), DEFAULT, True,
     {"status": "dl", "late_category": "", "first_in": at(MON, 10)}),
    ("akhir pekan → libur", WEEKEND, [], [], None, DEFAULT, True, {"status": "libur", "is_working_day": False}),
    ("hari libur walau presensi → libur", HOLIDAY, [at(MON, 8)], [at(MON, 12)], ("cuti", "x"), DEFAULT, True,
     {"status": "libur", "first_in": at(MON, 8), "late_category": ""}),
]


@pytest.mark.parametrize(("label", "wd", "masuk", "pulang", "excuse", "rules", "closed", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_derive_status_table(label: str, wd: WorkDay, masuk: list[dt.datetime], pulang: list[dt.datetime],
                             excuse: Any, rules: LatenessRules, closed: bool, expected: dict[str, Any]) -> None:
    result = derive_status(wd, masuk, pulang, excuse, rules, closed)
    assert isinstance(result, DayResult)
    for name, value in expected.items():
        assert getattr(result, name) == value, name


def test_close_time_office_and_night_shift(settings: Any) -> None:
    settings.HADIR_DAY_CLOSE_GRACE_MINUTES = 60
    assert close_time(OFFICE) == at(TUE, 1, 0)  # local midnight + 1 h
    night = WorkDay(MON, "Asia/Jakarta", True, "", "malam", at(MON, 21), at(TUE, 7),
                    {"masuk": (at(MON, 19), at(TUE, 7)), "pulang": (at(MON, 21), at(TUE, 11))})
    assert close_time(night) == at(TUE, 12, 0)
    assert close_time(WEEKEND) == at(dt.date(2026, 11, 29), 1, 0)


# -- the engine against the database ------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db
pytestmark = pytest.mark.clock(at(MON, 12, 0))  # where the tests taking `clock` start


def checkin(emp: Employee, kind: str, when: dt.datetime, day: dt.date | None = None, **extra: Any) -> CheckIn:
    return CheckIn.objects.create(employee=emp, kind=kind, occurred_at=when, local_date=day or when.date(),
                                  verdict=extra.pop("verdict", "accepted"), **extra)


def status_of(emp: Employee, day: dt.date = MON) -> DailyStatus:
    return DailyStatus.objects.get(employee=emp, date=day)


@pytestmark_db
@pytest.mark.parametrize("copy_threshold", [100_000, 0], ids=["orm-upsert", "copy-upsert-on-postgresql"])
def test_compute_day_whole_regency(org: Org, clock: Clock, monkeypatch: pytest.MonkeyPatch,
                                   copy_threshold: int) -> None:
    monkeypatch.setattr(daily, "COPY_THRESHOLD", copy_threshold)
    checkin(org.staf, "masuk", at(MON, 7, 20))
    checkin(org.staf, "pulang", at(MON, 16, 2))
    checkin(org.kabid, "masuk", at(MON, 8, 15))  # 45 min late → TL2
    checkin(org.kadis, "masuk", at(MON, 7, 0), verdict="rejected", reason_code="outside_geofence")
    checkin(org.guru, "masuk", at(MON, 7, 0), validity=Validity.INVALID)
    checkin(org.kadisdik, "masuk", at(MON, 7, 0), validity=Validity.PENDING)  # counts until judged
    checkin(org.staf_bidang, "masuk", at(MON, 7, 0))
    checkin(org.staf_bidang, "pulang", at(MON, 11, 0))  # 300 min early → PSW4
    checkin(org.sekretaris, "apel_pagi", at(MON, 7, 0))  # apel alone is not attendance
    n = compute_day(MON)
    assert n == Employee.objects.count() == DailyStatus.objects.filter(date=MON).count()
    assert status_of(org.staf).status == "hadir"
    kabid = status_of(org.kabid)
    assert (kabid.status, kabid.late_minutes, kabid.late_category) == ("terlambat", 45, "TL2")
    assert status_of(org.kadis).status == "belum"  # rejected attempt ignored
    assert status_of(org.guru).status == "belum"  # invalidated by the atasan
    assert status_of(org.kadisdik).status == "hadir"
    assert status_of(org.sekretaris).status == "belum"
    sb = status_of(org.staf_bidang)
    assert (sb.status, sb.early_minutes, sb.early_category) == ("psw", 300, "PSW4")
    assert not any(s.closed for s in DailyStatus.objects.filter(date=MON))

    # closing the day: belum → tk, masuk without pulang → missing_out + PSW4
    assert compute_day(MON, close=True) == n
    assert status_of(org.kadis).status == "tk" and status_of(org.guru).status == "tk"
    kabid = status_of(org.kabid)
    assert kabid.closed and kabid.missing_out and kabid.early_category == "PSW4"
    assert kabid.status == "terlambat"  # late takes precedence as the headline; both categories kept
    # idempotent: same events → same rows, no duplicates; a closed day stays closed when recomputed
    before = list(DailyStatus.objects.filter(date=MON).order_by("employee_id").values_list(
        "employee_id", "status", "late_minutes", "late_category", "early_category", "missing_out", "closed"))
    assert compute_day(MON) == n
    after = list(DailyStatus.objects.filter(date=MON).order_by("employee_id").values_list(
        "employee_id", "status", "late_minutes", "late_category", "early_category", "missing_out", "closed"))
    assert before == after


@pytestmark_db
def test_day_closes_by_itself_after_local_midnight_plus_grace(org: Org, clock: Clock, settings: Any) -> None:
    settings.HADIR_DAY_CLOSE_GRACE_MINUTES = 60
    clock.set(at(TUE, 0, 59))
    compute_day(MON)
    assert status_of(org.staf).status == "belum"
    clock.set(at(TUE, 1, 0))
    compute_day(MON)
    assert status_of(org.staf).status == "tk" and status_of(org.staf).closed


@pytestmark_db
def test_time_zones_close_separately(org: Org, clock: Clock, settings: Any) -> None:
    settings.HADIR_DAY_CLOSE_GRACE_MINUTES = 0
    jayapura = make_location(org.disdik, -2.53, 140.71, tz="Asia/Jayapura", name="Kantor WIT")
    papua = make_employee(org.disdik, "Pegawai WIT", locations=[jayapura])
    clock.set(dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC))  # 23:30 WIB, 01:30 WIT next day
    compute_day(MON)
    assert status_of(papua).status == "tk"
    assert status_of(org.staf).status == "belum"


@pytestmark_db
def test_holiday_weekend_and_excuses(org: Org, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    Holiday.objects.create(date=TUE, name="Libur Daerah Uji", kind=HolidayKind.LOCAL, unit=org.dinkes)
    compute_day(TUE, close=True)
    assert status_of(org.staf, TUE).status == "libur" and not status_of(org.staf, TUE).is_working_day
    assert status_of(org.guru, TUE).status == "tk"
    compute_day(dt.date(2026, 11, 29), close=True)  # Sunday
    assert set(DailyStatus.objects.filter(date=dt.date(2026, 11, 29)).values_list("status", flat=True)) == {"libur"}

    import hadir.leave.facts as leave

    monkeypatch.setattr(leave, "excuses_for", lambda ids, day: {org.guru.pk: ("sakit", "IZIN-9")} if org.guru.pk
                        in ids else {})
    compute_day(TUE, close=True)
    guru = status_of(org.guru, TUE)
    assert (guru.status, guru.excuse_ref) == ("sakit", "IZIN-9")


@pytestmark_db
def test_compute_day_query_count_does_not_grow_with_employees(org: Org, clock: Clock,
                                                              django_assert_max_num_queries: Any) -> None:
    for i in range(40):
        e = make_employee(org.dinkes_bidang, locations=[org.loc_dinkes])
        checkin(e, "masuk", at(MON, 7, i))
    compute_day(MON)  # warms the per-process copy of the schedule tables
    with django_assert_max_num_queries(10):
        n = compute_day(MON)
    assert n == Employee.objects.count()
    assert DailyStatus.objects.filter(date=MON, status="terlambat").count() == 9  # 07:31 … 07:39


@pytestmark_db
def test_recompute_employee_day_and_invalidation(org: Org, clock: Clock) -> None:
    row = recompute_employee_day(org.staf.pk, MON)
    assert row.status == "belum"
    c = checkin(org.staf, "masuk", at(MON, 7, 45))
    row = recompute_employee_day(org.staf.pk, MON)
    assert (row.status, row.late_minutes, row.late_category) == ("terlambat", 15, "TL1")
    assert DailyStatus.objects.filter(employee=org.staf).count() == 1
    # the approver marks it invalid → recomputed from events, the check-in no longer counts
    CheckIn.objects.filter(pk=c.pk).update(validity=Validity.INVALID)
    assert recompute_employee_day(org.staf.pk, MON).status == "belum"
    with pytest.raises(Employee.DoesNotExist):
        recompute_employee_day(987654, MON)


@pytestmark_db
def test_night_shift_status(org: Org, clock: Clock) -> None:
    rsud = make_unit("RSUD Contoh", UnitKind.RSUD, org.pemda)
    PatternAssignment.objects.create(pattern=WorkPattern.objects.get(code="shift-24-jam"), unit=rsud)
    nurse = make_employee(rsud, "Perawat", locations=[make_location(rsud, -3.79, 102.26, name="RSUD")])
    ShiftAssignment.objects.create(employee=nurse, date=MON, shift=Shift.objects.get(code="malam", unit=None))
    checkin(nurse, "masuk", at(MON, 21, 10))
    checkin(nurse, "pulang", at(TUE, 6, 40), day=MON)  # the pipeline dates it with the shift's date
    clock.set(at(TUE, 8))
    row = recompute_employee_day(nurse.pk, MON)
    assert (row.status, row.late_minutes, row.late_category) == ("terlambat", 10, "TL1")
    assert (row.early_minutes, row.early_category, row.status) == (20, "PSW1", "terlambat")
    assert not row.closed  # the night shift's pulang window is still open at 08:00
    clock.set(at(TUE, 12, 30))
    assert recompute_employee_day(nurse.pk, MON).closed
    # the day after, no roster line → libur
    assert recompute_employee_day(nurse.pk, TUE).status == "libur"
