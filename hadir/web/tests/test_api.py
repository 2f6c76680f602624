"""/api/dashboard: same numbers and scoping as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hadir.presence.models import DailyStatus, DayStatus
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_today_and_employees(org: Org) -> None:
    day = dt.date(2026, 11, 23)
    DailyStatus.objects.create(employee=org.guru, date=day, status=DayStatus.HADIR)
    DailyStatus.objects.create(employee=org.staf, date=day, status=DayStatus.TK)
    r = login("bkpsdm").get("/api/dashboard/today?date=2026-11-23")
    assert r.status_code == 200
    body = r.json()
    assert body["total"]["total"] == 7 and body["total"]["tk"] == 1 and body["total"]["belum"] == 5
    assert [o["name"] for o in body["opds"]] == ["Dinas Kesehatan", "Dinas Pendidikan"]
    r = login("op_disdik").get("/api/dashboard/employees?date=2026-11-23")
    items = r.json()["items"]
    assert r.json()["total"] == 2
    assert [i["name"] for i in items] == ["Drs. Hendra Wijaya", "Rina Marlina, S.Pd"]
    assert items[1]["compliant"] is True and items[0]["category"] == "belum"


def test_scope_and_validation_errors(org: Org) -> None:
    c = login("op_disdik")
    r = c.get(f"/api/dashboard/today?opd={org.dinkes.pk}")
    assert r.status_code == 403 and r.json()["message"] == "OPD ini di luar cakupan Anda."
    assert c.get("/api/dashboard/employees?status=entah").status_code == 422
    assert c.get("/api/dashboard/employees?limit=0").status_code == 422
    r = c.get("/api/dashboard/today?date=kemarin")
    assert r.status_code == 422 and "tanggal" in r.json()["message"]
    assert login("staf").get("/api/dashboard/today").status_code == 403
    r = c.get(f"/api/dashboard/today?opd={org.dinkes.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.json()["message"] == "This office is outside your scope."


def test_absence_and_readiness(org: Org) -> None:
    d = dt.date(2026, 3, 2)  # Monday
    for i in range(3):
        DailyStatus.objects.create(employee=org.guru, date=d + dt.timedelta(days=i), status=DayStatus.TK)
    c = login("bkpsdm")
    items = c.get("/api/dashboard/absence?year=2026").json()["items"]
    assert [(i["name"], i["total_tk"], i["current_streak"]) for i in items] == [("Rina Marlina, S.Pd", 3, 3)]
    assert items[0]["sanction"] == {"name": "Teguran lisan", "level": "ringan"}
    assert c.get("/api/dashboard/absence?year=1990").status_code == 422
    rows = c.get("/api/dashboard/readiness").json()
    assert {r["name"] for r in rows} == {"Dinas Kesehatan", "Dinas Pendidikan"}
    assert all(r["opd_head_filled"] for r in rows)
