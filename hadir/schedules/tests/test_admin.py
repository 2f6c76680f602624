"""Schedules in the Django admin: who may change what, holiday import, roster scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hadir.schedules.models import Holiday, Shift, ShiftAssignment, WorkPattern
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client(headers={"Accept-Language": "id"})
    assert client.login(username=username, password=PASSWORD)
    return client


def test_bkpsdm_manages_patterns_and_imports_holidays(org: Org) -> None:
    c = login("bkpsdm")
    for url in ["/admin/schedules/workpattern/", "/admin/schedules/holiday/", "/admin/schedules/shift/",
                "/admin/schedules/shiftassignment/", "/admin/schedules/ramadanperiod/",
                "/admin/schedules/latenessruleset/", "/admin/schedules/workpattern/add/"]:
        assert c.get(url).status_code == 200, url
    default = WorkPattern.objects.get(is_default=True)
    page = c.get(f"/admin/schedules/workpattern/{default.pk}/change/").content.decode()
    assert "Jumat" in page and "Ramadan" in page
    assert "Impor libur nasional" in c.get("/admin/schedules/holiday/").content.decode()
    r = c.post("/admin/schedules/holiday/impor/", follow=True)
    assert r.status_code == 200 and "baru" in r.content.decode()
    year = dt.date.today().year
    assert Holiday.objects.filter(imported=True, date__year=year).count() >= 15
    assert Holiday.objects.filter(imported=True, date__year=year + 1).count() >= 15


def test_operator_reads_patterns_and_keeps_only_own_roster(org: Org) -> None:
    c = login("op_dinkes")
    assert c.get("/admin/schedules/workpattern/").status_code == 200
    default = WorkPattern.objects.get(is_default=True)
    page = c.get(f"/admin/schedules/workpattern/{default.pk}/change/").content.decode()
    assert 'name="name"' not in page  # view only
    assert c.post("/admin/schedules/holiday/impor/").status_code == 403
    assert c.get("/admin/schedules/holiday/add/").status_code == 403
    pagi = Shift.objects.get(code="pagi", unit=None)
    r = c.post("/admin/schedules/shiftassignment/add/", {"employee": org.staf.pk, "date": "2026-12-01",
                                                          "shift": pagi.pk})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ShiftAssignment.objects.filter(employee=org.staf, date=dt.date(2026, 12, 1)).exists()
    # an employee of another OPD is not a valid choice for this operator
    r = c.post("/admin/schedules/shiftassignment/add/", {"employee": org.guru.pk, "date": "2026-12-01",
                                                          "shift": pagi.pk})
    assert r.status_code == 200 and not ShiftAssignment.objects.filter(employee=org.guru).exists()
    other = ShiftAssignment.objects.create(employee=org.guru, date=dt.date(2026, 12, 2), shift=pagi)
    assert c.get(f"/admin/schedules/shiftassignment/{other.pk}/change/").status_code in (302, 404)
    listing = c.get("/admin/schedules/shiftassignment/").content.decode()
    assert org.staf.name in listing and org.guru.name not in listing
    # global shifts are visible, not editable, for an operator
    assert c.get("/admin/schedules/shift/").status_code == 200
    assert 'name="start"' not in c.get(f"/admin/schedules/shift/{pagi.pk}/change/").content.decode()


def test_operator_builds_a_month_of_roster_from_a_rotation(org: Org) -> None:
    c = login("op_dinkes")
    assert "/admin/schedules/shiftassignment/rotasi/" in c.get("/admin/schedules/shiftassignment/").content.decode()
    page = c.get("/admin/schedules/shiftassignment/rotasi/")
    assert page.status_code == 200 and "pagi,pagi,siang,siang,malam,-,-" in page.content.decode()
    data = {"unit": org.dinkes_sekretariat.pk, "month": "2026-12", "rotation": "pagi,siang,malam,-"}
    r = c.post("/admin/schedules/shiftassignment/rotasi/", data)
    assert r.status_code == 200 and 'id="roster-coverage"' in r.content.decode()
    staff = [org.sekretaris.pk, org.staf.pk]
    rows = ShiftAssignment.objects.filter(employee_id__in=staff, date__month=12)
    assert rows.count() == 2 * 31
    assert {r.shift.code if r.shift else None for r in rows} == {"pagi", "siang", "malam", None}
    # again without "replace": the existing lines are kept
    r = c.post("/admin/schedules/shiftassignment/rotasi/", {**data, "rotation": "malam"})
    assert "0 baris baru" in r.content.decode() and rows.filter(shift__code="malam").count() < 62
    r = c.post("/admin/schedules/shiftassignment/rotasi/", {**data, "rotation": "malam", "replace": "on"})
    assert rows.filter(shift__code="malam").count() == 62
    # bad rotation / bad month / a unit outside the operator's OPD
    r = c.post("/admin/schedules/shiftassignment/rotasi/", {**data, "rotation": "pagi,sore"})
    assert "Kode shift tidak dikenal: sore" in r.content.decode()
    r = c.post("/admin/schedules/shiftassignment/rotasi/", {**data, "month": "12-2026"})
    assert "YYYY-MM" in r.content.decode()
    r = c.post("/admin/schedules/shiftassignment/rotasi/", {**data, "unit": org.disdik.pk})
    assert r.status_code == 200 and not ShiftAssignment.objects.filter(employee=org.guru).exists()
    assert login("staf").get("/admin/schedules/shiftassignment/rotasi/").status_code == 302  # not staff
