"""Proofs that scoping holds: an operator of one OPD can neither read nor change another OPD's data,
through the API and through the Django admin; BKPSDM and super-admin see all; plain employees see none."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hadir.org.models import Employee, Position, Role, WorkLocation
from hadir.org.scoping import can_administer_unit, is_bkpsdm, scope_queryset, subordinates, visible_units
from hadir.org.tokens import issue_token
from hadir.testing import PASSWORD, Org, make_admin


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def dinkes_staff(org: Org) -> set[int]:
    return {e.pk for e in (org.kadis, org.sekretaris, org.kabid, org.staf, org.staf_bidang)}


def all_staff(org: Org) -> set[int]:
    return dinkes_staff(org) | {org.kadisdik.pk, org.guru.pk}


# --- the scoping functions themselves ---------------------------------------------------------------

def test_scope_functions(org: Org) -> None:
    op = org.operator_dinkes
    assert set(scope_queryset(op, Employee.objects.all()).values_list("pk", flat=True)) == dinkes_staff(org)
    assert set(visible_units(op)) == {org.dinkes, org.dinkes_sekretariat, org.dinkes_bidang, org.puskesmas}
    assert can_administer_unit(op, org.puskesmas) and not can_administer_unit(op, org.disdik)
    assert not can_administer_unit(op, org.pemda) and not can_administer_unit(op, None)
    assert is_bkpsdm(org.admin_bkpsdm) and not is_bkpsdm(op)
    staf_user = org.staf.user
    assert scope_queryset(staf_user, Employee.objects.all()).count() == 0
    assert set(subordinates(org.kadis)) == {org.sekretaris, org.kabid}
    assert set(subordinates(org.kadis, direct_only=False)) == {org.sekretaris, org.kabid, org.staf, org.staf_bidang}


# --- API --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "expected"), [
    ("op_dinkes", dinkes_staff),
    ("op_disdik", lambda org: {org.kadisdik.pk, org.guru.pk}),
    ("bkpsdm", all_staff),
    ("root", all_staff),
    ("diskominfo", all_staff),
])
def test_api_employee_list_is_scoped(org: Org, who: str, expected: Any) -> None:
    if who == "root":
        get_user_model().objects.create_superuser("root", password=PASSWORD)
    if who == "diskominfo":  # super-admin by role assignment rather than by createsuperuser
        make_admin("diskominfo", Role.SUPER_ADMIN, None)
    rows = client_for(who).get("/api/org/employees?limit=1000").json()
    assert {r["id"] for r in rows} == expected(org)


def test_api_operator_cannot_read_another_opd(org: Org) -> None:
    client = client_for("op_dinkes")
    assert client.get(f"/api/org/employees/{org.staf.pk}").status_code == 200
    answer = client.get(f"/api/org/employees/{org.guru.pk}")
    assert answer.status_code == 404 and "tidak ditemukan" in answer.json()["message"]
    assert client.get(f"/api/org/employees?unit_id={org.disdik.pk}").status_code == 404
    assert client.get("/api/org/employees", {"q": org.guru.name}).json() == []
    assert client.get("/api/org/employees", {"q": org.guru.nip or ""}).json() == []
    units = {u["id"] for u in client.get("/api/org/units").json()}
    assert org.disdik.pk not in units and org.dinkes.pk in units and org.pemda.pk not in units


def test_api_scoping_holds_with_bearer_tokens(org: Org) -> None:
    token = issue_token(org.operator_disdik, "uji")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert {r["id"] for r in client.get("/api/org/employees").json()} == {org.kadisdik.pk, org.guru.pk}
    assert client.get(f"/api/org/employees/{org.kadis.pk}").status_code == 404


def test_api_plain_employee_sees_nobody(org: Org) -> None:
    client = client_for("staf")
    answer = client.get("/api/org/employees")
    assert answer.status_code == 403 and answer.json()["message"]
    assert client.get(f"/api/org/employees/{org.sekretaris.pk}").status_code == 404
    assert client.get("/api/org/units").json() == []
    me = client.get("/api/org/me").json()
    assert me["employee"]["id"] == org.staf.pk and me["roles"] == []


def test_api_anonymous_is_refused(org: Org) -> None:
    assert Client().get("/api/org/employees").status_code == 401
    assert Client().get(f"/api/org/employees/{org.staf.pk}").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer salah").get("/api/org/employees").status_code == 401


# --- Django admin ----------------------------------------------------------------------------------

def test_admin_changelist_hides_other_opd(org: Org) -> None:
    client = client_for("op_dinkes")
    page = client.get("/admin/org/employee/").content.decode()
    assert org.staf.name in page and org.kabid.name in page
    assert org.guru.name not in page and org.kadisdik.name not in page
    units = client.get("/admin/org/unit/").content.decode()
    assert org.puskesmas.name in units and org.disdik.name not in units
    locations = client.get("/admin/org/worklocation/").content.decode()
    assert org.loc_puskesmas.name in locations and org.loc_disdik.name not in locations
    # searching by the other OPD's NIP finds nothing
    assert org.guru.name not in client.get("/admin/org/employee/", {"q": org.guru.nip or ""}).content.decode()


@pytest.mark.parametrize("path", [
    "/admin/org/employee/{guru}/change/",
    "/admin/org/employee/{guru}/delete/",
    "/admin/org/worklocation/{loc}/change/",
    "/admin/org/unit/{disdik}/change/",
    "/admin/org/employee/{guru}/history/",
])
def test_admin_object_pages_of_other_opd_are_refused(org: Org, path: str) -> None:
    url = path.format(guru=org.guru.pk, loc=org.loc_disdik.pk, disdik=org.disdik.pk)
    answer = client_for("op_dinkes").get(url)
    assert answer.status_code in (302, 403, 404)
    assert org.guru.name.encode() not in answer.content and org.loc_disdik.name.encode() not in answer.content


def test_admin_post_change_to_other_opd_is_refused(org: Org) -> None:
    client = client_for("op_dinkes")
    before = Employee.objects.get(pk=org.guru.pk)
    answer = client.post(f"/admin/org/employee/{org.guru.pk}/change/", {
        "name": "Diubah Orang Lain", "nip": before.nip, "nik": before.nik, "kind": before.kind,
        "unit": org.dinkes.pk, "tpp_base": 1, "sex": "L",
    })
    assert answer.status_code in (302, 403, 404)
    after = Employee.objects.get(pk=org.guru.pk)
    assert (after.name, after.unit_id, after.tpp_base) == (before.name, before.unit_id, before.tpp_base)
    client.post(f"/admin/org/employee/{org.guru.pk}/delete/", {"post": "yes"})
    assert Employee.objects.filter(pk=org.guru.pk).exists()
    client.post(f"/admin/org/worklocation/{org.loc_disdik.pk}/change/", {
        "name": "Dipindah", "unit": org.dinkes.pk, "latitude": 0, "longitude": 0, "radius_m": 5000,
        "timezone": "Asia/Jakarta", "is_active": "on",
    })
    loc = WorkLocation.objects.get(pk=org.loc_disdik.pk)
    assert (loc.name, loc.unit_id, loc.radius_m) == (org.loc_disdik.name, org.disdik.pk, 100)


def test_admin_cannot_add_into_other_opd(org: Org) -> None:
    client = client_for("op_dinkes")
    count = Employee.objects.count()
    answer = client.post("/admin/org/employee/add/", {
        "name": "Pegawai Titipan", "nik": "1709011403850001", "kind": "tkk", "unit": org.disdik.pk,
        "tpp_base": 0, "sex": "L", "is_active": "on",
    })
    assert answer.status_code == 200  # the form comes back with an error on `unit`
    assert Employee.objects.count() == count
    positions = Position.objects.count()
    client.post("/admin/org/position/add/", {
        "name": "Jabatan Titipan", "unit": org.disdik.pk, "eselon": "JP", "code": "TITIP",
    })
    assert Position.objects.count() == positions


def test_admin_operator_can_change_own_opd(org: Org) -> None:
    client = client_for("op_dinkes")
    assert client.get(f"/admin/org/employee/{org.staf.pk}/change/").status_code == 200
    loc = org.loc_puskesmas
    answer = client.post(f"/admin/org/worklocation/{loc.pk}/change/", {
        "name": loc.name, "unit": org.puskesmas.pk, "latitude": loc.latitude, "longitude": loc.longitude,
        "radius_m": 150, "timezone": "Asia/Jakarta", "address": "", "is_active": "on",
    })
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert WorkLocation.objects.get(pk=loc.pk).radius_m == 150


@pytest.mark.parametrize("who", ["bkpsdm", "root"])
def test_admin_regency_wide_roles_see_everything(org: Org, who: str) -> None:
    if who == "root":
        get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = client_for(who)
    page = client.get("/admin/org/employee/").content.decode()
    assert org.guru.name in page and org.staf.name in page
    assert client.get(f"/admin/org/employee/{org.guru.pk}/change/").status_code == 200
    assert org.disdik.name in client.get("/admin/org/unit/").content.decode()


def test_admin_is_closed_to_plain_employees(org: Org) -> None:
    client = client_for("staf")
    answer = client.get("/admin/org/employee/")
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    assert client.get(f"/admin/org/unit/{org.dinkes.pk}/change/").status_code == 302
