"""Apel pagi / apel sore on the daily status: the pure rule by a table, then compute_day on the database
(ORM, executemany and COPY write paths), then the API fields."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hadir.org.models import Employee
from hadir.presence import daily
from hadir.presence.daily import compute_day, derive_apel, recompute_employee_day
from hadir.presence.models import ApelStatus, CheckIn, DailyStatus, Validity
from hadir.schedules.models import Holiday, HolidayKind, WorkPattern, WorkPatternDay
from hadir.schedules.services import WorkDay
from hadir.testing import MONDAY_0715, Clock, Org, make_employee

WIB = ZoneInfo("Asia/Jakarta")
MON = dt.date(2026, 11, 23)
TUE = dt.date(2026, 11, 24)


def at(h: int, m: int = 0, s: int = 0, day: dt.date = MON) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=WIB)


# Monday 07:30–16:00, apel pagi 07:00–07:45, apel sore 16:00–16:30 (closes include their last minute)
WINDOWS = {"masuk": (at(5, 30), at(16)), "pulang": (at(7, 30), at(23, 59, 59)),
           "apel_pagi": (at(7), at(7, 45, 59)), "apel_sore": (at(16), at(16, 30, 59))}
APEL_DAY = WorkDay(MON, "Asia/Jakarta", True, "", "", at(7, 30), at(16), WINDOWS)
NO_APEL_DAY = WorkDay(MON, "Asia/Jakarta", True, "", "", at(7, 30), at(16),
                      {k: v for k, v in WINDOWS.items() if not k.startswith("apel")})
HOLIDAY = WorkDay(MON, "Asia/Jakarta", False, "Hari Uji", "", None, None, {})

H, T, N = ApelStatus.HADIR, ApelStatus.TIDAK, ApelStatus.NONE

# label, work day, kind, check-in instants, excused, closed, now → expected
RULE_CASES: list[tuple[str, WorkDay, str, list[dt.datetime], bool, bool, dt.datetime, str]] = [
    ("tidak ada jendela apel → tidak berlaku", NO_APEL_DAY, "apel_pagi", [], False, True, at(23), N),
    ("tidak ada jendela, walau presensi apel", NO_APEL_DAY, "apel_pagi", [at(7, 10)], False, True, at(23), N),
    ("hari libur → tidak berlaku", HOLIDAY, "apel_pagi", [at(7, 10)], False, True, at(23), N),
    ("ikut apel di dalam jendela", APEL_DAY, "apel_pagi", [at(7, 10)], False, False, at(7, 11), H),
    ("tepat saat jendela dibuka", APEL_DAY, "apel_pagi", [at(7)], False, False, at(9), H),
    ("menit terakhir jendela (07:45:59)", APEL_DAY, "apel_pagi", [at(7, 45, 59)], False, True, at(23), H),
    ("salah satu presensi di dalam jendela", APEL_DAY, "apel_pagi", [at(6, 50), at(7, 5), at(8)], False, True,
     at(23), H),
    ("presensi sebelum jendela, jendela sudah tutup", APEL_DAY, "apel_pagi", [at(6, 59, 59)], False, False,
     at(9), T),
    ("presensi sesudah jendela → tidak ikut", APEL_DAY, "apel_pagi", [at(7, 46)], False, False, at(9), T),
    ("presensi di luar jendela, jendela masih buka → belum", APEL_DAY, "apel_pagi", [at(6, 50)], False, False,
     at(7, 20), N),
    ("jendela masih buka, belum presensi → belum", APEL_DAY, "apel_pagi", [], False, False, at(7, 20), N),
    ("jendela belum dibuka → belum", APEL_DAY, "apel_sore", [], False, False, at(12), N),
    ("jendela sudah tutup tanpa presensi → tidak ikut", APEL_DAY, "apel_pagi", [], False, False, at(7, 46), T),
    ("jendela tutup pada 07:45:59 → masih belum", APEL_DAY, "apel_pagi", [], False, False, at(7, 45, 59), N),
    ("hari ditutup walau jendela belum tutup → tidak ikut", APEL_DAY, "apel_sore", [], False, True, at(12), T),
    ("presensi apel pagi tidak dihitung untuk apel sore", APEL_DAY, "apel_sore", [at(7, 10)], False, True,
     at(23), T),
    ("apel sore diikuti", APEL_DAY, "apel_sore", [at(16, 10)], False, True, at(23), H),
    ("cuti/izin/sakit/DL → tidak berlaku walau hari ditutup", APEL_DAY, "apel_pagi", [], True, True, at(23), N),
    ("berhalangan walau ikut apel → tidak berlaku", APEL_DAY, "apel_pagi", [at(7, 10)], True, True, at(23), N),
]


@pytest.mark.parametrize(("label", "wd", "kind", "instants", "excused", "closed", "now", "expected"), RULE_CASES,
                         ids=[c[0] for c in RULE_CASES])
def test_derive_apel_table(label: str, wd: WorkDay, kind: str, instants: list[dt.datetime], excused: bool,
                           closed: bool, now: dt.datetime, expected: str) -> None:
    assert derive_apel(wd, kind, instants, excused, closed, now) == expected


# -- compute_day against the database ----------------------------------------------------------------------------


@pytest.fixture
def apel_monday(db: Any) -> None:
    """The default 5-day pattern gets apel pagi 07:00–07:45 and apel sore 16:00–16:30 on Mondays."""
    monday = WorkPatternDay.objects.get(pattern=WorkPattern.objects.get(code="perpres-5-hari"), weekday=0,
                                        ramadan=False)
    monday.apel_pagi_open, monday.apel_pagi_close = dt.time(7), dt.time(7, 45)
    monday.apel_sore_open, monday.apel_sore_close = dt.time(16), dt.time(16, 30)
    monday.save()  # (a save, not .update(): the per-process schedule cache follows saves)


@pytest.fixture(params=[100_000, 0], ids=["orm-upsert", "bulk-upsert"])
def write_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """orm-upsert: bulk_create(update_conflicts); bulk-upsert: COPY on PostgreSQL, executemany on SQLite."""
    monkeypatch.setattr(daily, "COPY_THRESHOLD", request.param)
    return int(request.param)


def checkin(emp: Employee, kind: str, when: dt.datetime, **extra: Any) -> CheckIn:
    return CheckIn.objects.create(employee=emp, kind=kind, occurred_at=when, local_date=when.date(),
                                  verdict=extra.pop("verdict", "accepted"), **extra)


def apel_of(emp: Employee, day: dt.date = MON) -> tuple[str, str]:
    row = DailyStatus.objects.get(employee=emp, date=day)
    return row.apel_pagi, row.apel_sore


def statuses(day: dt.date = MON) -> list[tuple[Any, ...]]:
    return list(DailyStatus.objects.filter(date=day).order_by("employee_id").values_list(
        "employee_id", "status", "first_in", "last_out", "late_minutes", "late_category", "early_minutes",
        "early_category", "missing_in", "missing_out", "closed"))


pytestmark_db = pytest.mark.django_db
pytestmark = pytest.mark.clock(at(12))  # where the tests taking `clock` start, unless marked otherwise


@pytestmark_db
def test_compute_day_apel_over_the_day(org: Org, apel_monday: None, clock: Clock, write_path: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import hadir.leave.facts as leave

    monkeypatch.setattr(leave, "excuses_for", lambda ids, day: {org.sekretaris.pk: ("dl", "ST-7")}
                        if org.sekretaris.pk in ids else {})
    checkin(org.staf, "apel_pagi", at(7, 10))  # apel only: attended, but the status stays "belum"
    checkin(org.kabid, "masuk", at(7, 20))
    checkin(org.kabid, "apel_pagi", at(6, 50))  # before the window (a manual correction, say)
    checkin(org.kadisdik, "apel_pagi", at(7, 20), validity=Validity.PENDING)  # counts until judged
    checkin(org.guru, "apel_pagi", at(7, 20), validity=Validity.INVALID)  # the atasan said no
    checkin(org.kadis, "apel_pagi", at(7, 20), verdict="rejected", reason_code="outside_geofence")
    checkin(org.sekretaris, "apel_pagi", at(7, 20))  # on dinas luar: apel does not apply

    clock.set(at(7, 30))  # apel pagi still open: nobody has missed it yet
    compute_day(MON)
    assert apel_of(org.staf) == (H, N) and apel_of(org.kadisdik) == (H, N)
    assert apel_of(org.kabid) == apel_of(org.guru) == apel_of(org.kadis) == apel_of(org.staf_bidang) == (N, N)
    assert apel_of(org.sekretaris) == (N, N)

    clock.set(at(12))  # apel pagi over, apel sore not begun; rows already exist (the update path)
    compute_day(MON)
    assert apel_of(org.staf) == (H, N) and apel_of(org.kadisdik) == (H, N)
    assert apel_of(org.kabid) == apel_of(org.guru) == apel_of(org.kadis) == apel_of(org.staf_bidang) == (T, N)
    assert apel_of(org.sekretaris) == (N, N)
    # the daily status is what it would be without any apel check-in
    assert DailyStatus.objects.get(employee=org.staf, date=MON).status == "belum"
    assert DailyStatus.objects.get(employee=org.kabid, date=MON).status == "hadir"
    assert DailyStatus.objects.get(employee=org.sekretaris, date=MON).status == "dl"

    checkin(org.staf, "apel_sore", at(16, 10))
    clock.set(at(16, 40))
    compute_day(MON)
    assert apel_of(org.staf) == (H, H)
    assert apel_of(org.kadisdik) == (H, T) and apel_of(org.staf_bidang) == (T, T)

    # closing: statuses move on as usual (belum → tk) and the apel columns stay decided; idempotent
    compute_day(MON, close=True)
    assert DailyStatus.objects.get(employee=org.staf, date=MON).status == "tk"
    assert apel_of(org.staf) == (H, H) and apel_of(org.guru) == (T, T) and apel_of(org.sekretaris) == (N, N)
    before = list(DailyStatus.objects.filter(date=MON).order_by("employee_id").values_list(
        "employee_id", "status", "apel_pagi", "apel_sore", "closed"))
    compute_day(MON)
    after = list(DailyStatus.objects.filter(date=MON).order_by("employee_id").values_list(
        "employee_id", "status", "apel_pagi", "apel_sore", "closed"))
    assert before == after


@pytestmark_db
def test_apel_does_not_change_the_daily_status(org: Org, apel_monday: None, clock: Clock, write_path: int) -> None:
    checkin(org.staf, "masuk", at(7, 45))
    checkin(org.kabid, "masuk", at(7, 10))
    checkin(org.kabid, "pulang", at(15, 30))
    clock.set(at(23))
    compute_day(MON)
    without_apel = statuses()
    for emp in (org.staf, org.kabid, org.guru):
        checkin(emp, "apel_pagi", at(7, 5))
        checkin(emp, "apel_sore", at(16, 5))
    compute_day(MON)
    assert statuses() == without_apel
    assert apel_of(org.staf) == apel_of(org.kabid) == apel_of(org.guru) == (H, H)
    assert apel_of(org.kadis) == (T, T)


@pytestmark_db
def test_close_day_decides_an_open_apel(org: Org, apel_monday: None, clock: Clock, write_path: int) -> None:
    clock.set(at(7, 10))  # an operator closes the day early (hadir close_day)
    checkin(org.staf, "apel_pagi", at(7, 5))
    compute_day(MON, close=True)
    assert apel_of(org.staf) == (H, T) and apel_of(org.kabid) == (T, T)
    assert DailyStatus.objects.get(employee=org.kabid, date=MON).status == "tk"


@pytestmark_db
def test_no_apel_windows_means_empty_apel(org: Org, clock: Clock, write_path: int) -> None:
    checkin(org.staf, "apel_pagi", at(7, 5))  # the default pattern has no apel: nothing to attend
    compute_day(MON, close=True)
    assert set(DailyStatus.objects.filter(date=MON).values_list("apel_pagi", "apel_sore")) == {(N, N)}


@pytestmark_db
def test_holiday_and_weekend_have_no_apel(org: Org, apel_monday: None, clock: Clock, write_path: int) -> None:
    Holiday.objects.create(date=MON, name="Libur Daerah Uji", kind=HolidayKind.LOCAL, unit=org.dinkes)
    checkin(org.staf, "apel_pagi", at(7, 5))
    clock.set(at(23))
    compute_day(MON, close=True)
    assert apel_of(org.staf) == (N, N) and DailyStatus.objects.get(employee=org.staf, date=MON).status == "libur"
    assert apel_of(org.guru) == (T, T)  # Dinas Pendidikan works that day
    compute_day(dt.date(2026, 11, 29), close=True)  # Sunday
    assert set(DailyStatus.objects.filter(date=dt.date(2026, 11, 29)).values_list("apel_pagi", "apel_sore")) \
        == {(N, N)}


@pytestmark_db
def test_check_ins_straddling_the_window(org: Org, apel_monday: None, clock: Clock, write_path: int) -> None:
    """First and last apel check-ins on both sides of the window: the one between them decides."""
    for when in (at(6, 50), at(7, 20), at(8, 30)):
        checkin(org.staf, "apel_pagi", when)
    for when in (at(6, 50), at(8, 30)):
        checkin(org.kabid, "apel_pagi", when)
    for when in (at(6, 50), at(7, 20, 0), at(8, 30)):
        checkin(org.guru, "apel_pagi", when, validity=Validity.INVALID if when == at(7, 20) else "not_required")
    compute_day(MON)
    assert apel_of(org.staf) == (H, N)
    assert apel_of(org.kabid) == (T, N)
    assert apel_of(org.guru) == (T, N)  # the one inside was invalidated
    assert recompute_employee_day(org.staf.pk, MON).apel_pagi == H


@pytestmark_db
def test_recompute_employee_day_and_invalidation(org: Org, apel_monday: None, clock: Clock) -> None:
    assert recompute_employee_day(org.staf.pk, MON).apel_pagi == T  # 12:00: the window closed at 07:45
    c = checkin(org.staf, "apel_pagi", at(7, 5), validity=Validity.PENDING)
    row = recompute_employee_day(org.staf.pk, MON)
    assert (row.apel_pagi, row.apel_sore, row.status) == (H, N, "belum")
    CheckIn.objects.filter(pk=c.pk).update(validity=Validity.INVALID)
    assert recompute_employee_day(org.staf.pk, MON).apel_pagi == T
    CheckIn.objects.filter(pk=c.pk).update(validity=Validity.VALID)
    assert recompute_employee_day(org.staf.pk, MON).apel_pagi == H
    assert recompute_employee_day(org.staf.pk, TUE).apel_pagi == N  # Tuesday has no apel


@pytestmark_db
def test_apel_costs_no_extra_query(org: Org, apel_monday: None, clock: Clock) -> None:
    people = [make_employee(org.dinkes_bidang, locations=[org.loc_dinkes]) for _ in range(30)]
    for i, e in enumerate(people):
        checkin(e, "masuk", at(7, i))
    compute_day(MON)  # warms the per-process copy of the schedule tables
    with CaptureQueriesContext(connection) as without_apel:
        compute_day(MON)
    for i, e in enumerate(people):
        checkin(e, "apel_pagi", at(7, i))
        checkin(e, "apel_sore", at(16, i))
    with CaptureQueriesContext(connection) as with_apel:
        n = compute_day(MON)
    assert len(with_apel) == len(without_apel) <= 10
    assert n == Employee.objects.count()
    assert DailyStatus.objects.filter(date=MON, apel_pagi=H).count() == 30


# -- the API ---------------------------------------------------------------------------------------------------


@pytestmark_db
def test_today_shows_the_apel(api_for: Any, org: Org, apel_monday: None, clock: Clock) -> None:
    clock.set(at(7, 15))
    api = api_for(org.staf.user)
    out = api.get("/today").json()
    assert (out["status"]["apel_pagi"], out["status"]["apel_sore"]) == ("", "")  # no row yet
    checkin(org.staf, "apel_pagi", at(7, 5))
    clock.set(at(12))
    compute_day(MON)
    out = api.get("/today").json()
    assert (out["status"]["apel_pagi"], out["status"]["apel_sore"]) == ("hadir", "")
    assert out["workday"]["windows"]["apel_pagi"]["open"] == "2026-11-23T07:00:00+07:00"


@pytestmark_db
@pytest.mark.clock(MONDAY_0715)
def test_history_counts_missed_apel(api_for: Any, org: Org, clock: Clock) -> None:
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 2), status="hadir", apel_pagi="hadir",
                               apel_sore="tidak")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 3), status="tk", apel_pagi="tidak",
                               apel_sore="tidak")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 4), status="cuti")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 10, 30), status="hadir", apel_pagi="tidak")
    DailyStatus.objects.create(employee=org.kabid, date=dt.date(2026, 11, 2), status="tk", apel_pagi="tidak")
    out = api_for(org.staf.user).get("/history", month="2026-11").json()
    assert [(d["date"], d["apel_pagi"], d["apel_sore"]) for d in out["days"]] == [
        ("2026-11-02", "hadir", "tidak"), ("2026-11-03", "tidak", "tidak"), ("2026-11-04", "", "")]
    assert out["missed_apel"] == 3
    assert out["summary"] == {"hadir": 1, "tk": 1, "cuti": 1}  # statuses only, as before


def test_apel_labels_in_english() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert [str(label) for label in ApelStatus.labels] == ["No assembly", "Attended the assembly",
                                                                "Missed the assembly"]
    assert str(ApelStatus.TIDAK.label) == "Tidak ikut apel"


@pytestmark_db
def test_the_15_minute_job_shows_a_missed_apel_the_same_morning(org: Org, apel_monday: None, clock: Clock,
                                                                 write_path: int) -> None:
    """Without it a missed apel stayed "" on the phone and in the history until the day closed at midnight."""
    from django.core.cache import cache

    from hadir.presence import tasks

    cache.clear()  # the job's once-per-close markers

    def run(h: int, m: int) -> dict[str, int]:
        clock.set(at(h, m))
        return tasks.close_due_days(clock.now)

    assert "2026-11-23 (buka)" in run(6, 0)  # the rows are created, nobody has missed anything yet
    checkin(org.staf, "apel_pagi", at(7, 10))
    checkin(org.kabid, "apel_pagi", at(7, 40))
    assert "2026-11-23 (apel)" not in run(7, 30)  # the window is still open
    done = run(7, 50)
    assert done["2026-11-23 (apel)"] == Employee.objects.count()
    assert apel_of(org.staf) == apel_of(org.kabid) == (H, N)
    assert apel_of(org.guru) == apel_of(org.kadis) == (T, N)
    assert "2026-11-23 (apel)" not in run(8, 5)  # once per closed window
    checkin(org.staf, "apel_sore", at(16, 10))
    assert "2026-11-23 (apel)" in run(16, 35)
    assert apel_of(org.staf) == (H, H) and apel_of(org.kabid) == (H, T)
    assert DailyStatus.objects.get(employee=org.guru, date=MON).status == "belum"  # the day itself is still open
