"""GET /api/presence/today and /api/presence/history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from hadir.presence.models import DailyStatus
from hadir.testing import Clock

from .conftest import WIB

pytestmark = pytest.mark.django_db


def checkin(api: Any, kind: str = "masuk") -> Any:
    return api.post("/checkins", {"kind": kind, "client_uuid": str(uuid.uuid4()), "latitude": -3.7956312,
                                  "longitude": 102.2592718, "accuracy_m": 10})


def test_today_before_and_after_check_in(api_for: Any, org: Any, clock: Clock,
                                         django_capture_on_commit_callbacks: Any) -> None:
    api = api_for(org.staf.user)
    r = api.get("/today")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["date"] == "2026-11-23" and out["tz"] == "Asia/Jakarta" and out["tz_label"] == "WIB"
    assert out["workday"]["is_working_day"] is True
    assert out["workday"]["start"] == "2026-11-23T07:30:00+07:00"
    assert out["workday"]["windows"]["masuk"]["open"] == "2026-11-23T05:30:00+07:00"
    assert out["status"]["status"] == "belum" and out["checkins"] == []
    assert [loc["name"] for loc in out["locations"]] == [org.loc_dinkes.name]

    clock.set(dt.datetime(2026, 11, 23, 7, 42, tzinfo=WIB))
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin(api).status_code == 201  # 12 minutes late
    out = api.get("/today").json()
    assert out["status"]["status"] == "terlambat"
    assert (out["status"]["late_minutes"], out["status"]["late_category"]) == (12, "TL1")
    assert [c["kind"] for c in out["checkins"]] == ["masuk"]
    assert out["checkins"][0]["occurred_at"] == "2026-11-23T07:42:00+07:00"


def test_today_on_a_weekend(api_for: Any, org: Any, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 29, 10, 0, tzinfo=WIB))
    out = api_for(org.staf.user).get("/today").json()
    assert out["workday"]["is_working_day"] is False and out["status"]["status"] == "libur"


def test_today_needs_an_employee(api_for: Any, org: Any, clock: Clock) -> None:
    r = api_for(org.admin_bkpsdm).get("/today")
    assert r.status_code == 403


def test_history(api_for: Any, org: Any, clock: Clock) -> None:
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 2), status="hadir")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 3), status="terlambat", late_minutes=45,
                               late_category="TL2")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 4), status="tk")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 10, 30), status="hadir")
    DailyStatus.objects.create(employee=org.kabid, date=dt.date(2026, 11, 2), status="tk")  # someone else
    out = api_for(org.staf.user).get("/history", month="2026-11").json()
    assert out["month"] == "2026-11"
    assert [(d["date"], d["status"]) for d in out["days"]] == [
        ("2026-11-02", "hadir"), ("2026-11-03", "terlambat"), ("2026-11-04", "tk")]
    assert out["summary"] == {"hadir": 1, "terlambat": 1, "tk": 1}
    assert out["total_late_minutes"] == 45
    assert out["days"][1]["status_label"] == "Terlambat"
    # default: the current month
    assert api_for(org.staf.user).get("/history").json()["month"] == "2026-11"


@pytest.mark.parametrize("month", ["2026-13", "11-2026", "2026-1", "kemarin", "1999-12", "2026-00"])
def test_history_bad_month(api_for: Any, org: Any, clock: Clock, month: str) -> None:
    r = api_for(org.staf.user).get("/history", month=month)
    assert r.status_code == 422
    assert r.json()["message"] == "Bulan harus berformat YYYY-MM, mis. 2026-11."


def test_history_future_month(api_for: Any, org: Any, clock: Clock) -> None:
    r = api_for(org.staf.user).get("/history", month="2027-01")
    assert r.status_code == 422 and r.json()["message"] == "Bulan tidak boleh di masa depan."


def test_my_checkins_of_a_day_include_refusals(api_for: Any, org: Any, clock: Clock) -> None:
    api = api_for(org.staf.user)
    checkin(api)
    api.post("/checkins", {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": -3.70,
                           "longitude": 102.30, "accuracy_m": 10})
    api_for(org.kabid.user).post("/checkins", {"kind": "masuk", "client_uuid": str(uuid.uuid4()),
                                               "latitude": -3.7956312, "longitude": 102.2592718})
    out = api.get("/checkins").json()
    assert [c["verdict"] for c in out] == ["accepted", "rejected"]
    assert out[1]["reason_code"] == "outside_radius"
    assert api.get("/checkins", date="2026-11-22").json() == []
    r = api.get("/checkins", date="23-11-2026")
    assert r.status_code == 422 and "date: bukan tanggal yang valid" in r.json()["message"]


@pytest.mark.parametrize("at", [
    dt.datetime(2026, 11, 22, 23, 30, tzinfo=WIB),  # Sunday night: the night shift has begun
    dt.datetime(2026, 11, 23, 7, 5, tzinfo=WIB),  # Monday morning: still yesterday's night shift
    dt.datetime(2026, 11, 23, 12, 0, tzinfo=WIB),
    dt.datetime(2026, 11, 28, 9, 0, tzinfo=WIB),  # Saturday
    dt.datetime(2026, 12, 25, 9, 0, tzinfo=WIB),  # Christmas
])
def test_today_is_the_work_day_the_check_in_would_get(api_for: Any, org: Any, clock: Clock, at: dt.datetime,
                                                       django_assert_max_num_queries: Any) -> None:
    """GET /today reads the work day through the check-in's own context query; it must agree with the schedule
    service for rosters, weekends and holidays, for staff in WIB and for a teacher at a WITA school."""
    from hadir.schedules.holiday_calendar import import_national_holidays
    from hadir.schedules.models import PatternAssignment, Shift, ShiftAssignment, WorkPattern
    from hadir.schedules.services import workday_at

    import_national_holidays([2026])
    PatternAssignment.objects.create(pattern=WorkPattern.objects.get(uses_roster=True), unit=org.puskesmas)
    malam = Shift.objects.get(code="malam")
    for day in (dt.date(2026, 11, 22), dt.date(2026, 11, 28), dt.date(2026, 12, 25)):
        ShiftAssignment.objects.create(employee=org.staf_bidang, date=day, shift=malam)
    org.loc_disdik.timezone = "Asia/Makassar"
    org.loc_disdik.save()
    clock.set(at)
    for emp in (org.staf, org.staf_bidang, org.guru):
        primary = emp.locations.filter(is_active=True).order_by("id").first()
        expected = workday_at(emp, at, primary)
        api = api_for(emp.user)
        with django_assert_max_num_queries(5):  # token, context, status, check-ins (+ the connection's health check)
            out = api.get("/today").json()
        assert out["date"] == expected.date.isoformat() and out["tz"] == expected.tz, emp
        assert out["workday"]["is_working_day"] is expected.is_working_day
        assert out["workday"]["holiday_name"] == expected.holiday_name
        assert out["workday"]["shift_name"] == expected.shift_name
        assert (out["workday"]["start"] is None) == (expected.start is None)
        if expected.start is not None:
            assert dt.datetime.fromisoformat(out["workday"]["start"]) == expected.start
        if emp == org.guru:
            assert out["tz_label"] == "WITA"
    if at == dt.datetime(2026, 11, 23, 7, 5, tzinfo=WIB):  # the case the roster exists for
        out = api_for(org.staf_bidang.user).get("/today").json()
        assert (out["date"], out["workday"]["shift_name"]) == ("2026-11-22", "malam")


@pytest.mark.parametrize(("lang", "tk", "late", "masuk"), [
    ("en", "Absent without reason", "Late", "Check-in"),
    ("id", "Tanpa keterangan", "Terlambat", "Masuk"),
])
def test_labels_follow_accept_language(api_for: Any, org: Any, clock: Clock, lang: str, tk: str, late: str,
                                       masuk: str) -> None:
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 20), status="terlambat", late_minutes=5,
                               late_category="TL1")
    DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 11, 23), status="tk")
    api = api_for(org.staf.user, lang)
    assert api.get("/today").json()["status"]["status_label"] == tk
    assert [d["status_label"] for d in api.get("/history").json()["days"]] == [late, tk]
    # the schedule's window labels: "Masuk" here is the check-in kind, not the login button
    schedule = api.client.get("/api/schedules/today", {"date": "2026-11-23"}, headers=api._headers())
    assert schedule.status_code == 200, schedule.content
    assert schedule.json()["windows"]["masuk"]["label"] == masuk
