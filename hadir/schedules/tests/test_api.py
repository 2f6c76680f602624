"""GET /api/schedules/today, /holidays, /roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hadir.org.models import UnitKind
from hadir.schedules.models import Holiday, HolidayKind, PatternAssignment, Shift, ShiftAssignment, WorkPattern
from hadir.testing import Org, make_employee, make_location, make_unit

pytestmark = pytest.mark.django_db


def client_for(user: Any, lang: str = "id") -> Client:
    c = Client(headers={"Accept-Language": lang})
    c.force_login(user)
    return c


def test_today_for_caller_and_a_given_date(org: Org) -> None:
    c = client_for(org.staf.user)
    r = c.get("/api/schedules/today", {"date": "2026-11-27"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["employee_id"] == org.staf.pk and body["is_working_day"] and body["tz_label"] == "WIB"
    assert body["start"].startswith("2026-11-27T07:30:00+07:00") and body["end"].startswith("2026-11-27T16:30")
    assert body["windows"]["masuk"]["open"].startswith("2026-11-27T05:30") and body["windows"]["masuk"]["label"]
    sat = c.get("/api/schedules/today", {"date": "2026-11-28"}).json()
    assert sat["is_working_day"] is False and sat["windows"] == {} and sat["start"] is None
    assert c.get("/api/schedules/today").status_code == 200


def test_today_other_employees_only_within_scope(org: Org) -> None:
    assert client_for(org.staf.user).get("/api/schedules/today", {"employee_id": org.guru.pk}).status_code == 404
    assert client_for(org.operator_dinkes).get("/api/schedules/today",
                                               {"employee_id": org.guru.pk}).status_code == 404
    assert client_for(org.operator_dinkes).get("/api/schedules/today",
                                               {"employee_id": org.staf.pk}).status_code == 200
    assert client_for(org.admin_bkpsdm).get("/api/schedules/today", {"employee_id": org.guru.pk}).status_code == 200
    # the head of the office sees their staff through the position tree
    assert client_for(org.kadis.user).get("/api/schedules/today", {"employee_id": org.staf.pk}).status_code == 200
    r = client_for(org.operator_dinkes).get("/api/schedules/today")
    assert r.status_code == 404 and "tidak terhubung" in r.json()["message"]


def test_today_bad_input_and_auth(org: Org) -> None:
    c = client_for(org.staf.user)
    r = c.get("/api/schedules/today", {"date": "2026-13-40"})
    assert r.status_code == 422 and "tanggal" in r.json()["message"]
    assert Client().get("/api/schedules/today").status_code == 401
    r = client_for(org.staf.user, "en").get("/api/schedules/today", {"employee_id": org.guru.pk})
    assert r.status_code == 404 and r.json()["message"] == "Employee not found."


def test_today_night_shift(org: Org) -> None:
    rsud = make_unit("RSUD", UnitKind.RSUD, org.pemda)
    PatternAssignment.objects.create(pattern=WorkPattern.objects.get(code="shift-24-jam"), unit=rsud)
    nurse = make_employee(rsud, locations=[make_location(rsud, -3.79, 102.26)], username="perawat")
    ShiftAssignment.objects.create(employee=nurse, date=dt.date(2026, 11, 23), shift=Shift.objects.get(code="malam"))
    body = client_for(nurse.user).get("/api/schedules/today", {"date": "2026-11-23"}).json()
    assert body["shift_name"] == "malam" and body["end"].startswith("2026-11-24T07:00")
    roster = client_for(nurse.user).get("/api/schedules/roster", {"month": "2026-11"}).json()
    assert roster == [{"date": "2026-11-23", "shift": "malam", "shift_name": "Malam", "start": "21:00:00",
                       "end": "07:00:00"}]
    r = client_for(nurse.user).get("/api/schedules/roster", {"month": "2026-13"})
    assert r.status_code == 422 and "month" in r.json()["message"]


def test_holidays_scoped_by_unit(org: Org) -> None:
    Holiday.objects.create(date=dt.date(2026, 8, 17), name="Hari Kemerdekaan", kind=HolidayKind.NATIONAL)
    Holiday.objects.create(date=dt.date(2026, 11, 12), name="Hari Kesehatan Nasional (lokal)",
                           kind=HolidayKind.LOCAL, unit=org.dinkes)
    Holiday.objects.create(date=dt.date(2026, 5, 2), name="Hardiknas (lokal)", kind=HolidayKind.LOCAL,
                           unit=org.disdik)
    Holiday.objects.create(date=dt.date(2026, 6, 1), name="Dibatalkan", is_active=False)
    Holiday.objects.create(date=dt.date(2027, 1, 1), name="Tahun Baru", kind=HolidayKind.NATIONAL)

    def names(user: Any) -> list[str]:
        r = client_for(user).get("/api/schedules/holidays", {"year": 2026})
        assert r.status_code == 200, r.content
        return [h["name"] for h in r.json()["holidays"]]

    assert names(org.staf.user) == ["Hari Kemerdekaan", "Hari Kesehatan Nasional (lokal)"]
    assert names(org.guru.user) == ["Hardiknas (lokal)", "Hari Kemerdekaan"]
    assert names(org.operator_dinkes) == ["Hari Kemerdekaan", "Hari Kesehatan Nasional (lokal)"]
    assert len(names(org.admin_bkpsdm)) == 3
    body = client_for(org.staf.user).get("/api/schedules/holidays", {"year": 2026}).json()
    assert body["holidays"][0]["kind_label"] == "Libur nasional"


@pytest.mark.parametrize(("params", "fragment"), [({}, "wajib diisi"), ({"year": 1999}, "2000"),
                                                   ({"year": "dua ribu"}, "bilangan bulat")])
def test_holidays_bad_year(org: Org, params: dict[str, Any], fragment: str) -> None:
    r = client_for(org.staf.user).get("/api/schedules/holidays", params)
    assert r.status_code == 422 and fragment in r.json()["message"]
