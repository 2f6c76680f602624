"""Escalation paths closed: who may link accounts to employees, grant roles, shape their own powers, or set the
password of someone who decides for others."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from hadir.org.models import Employee, Position, Role, RoleAssignment
from hadir.org.scoping import can_grant_role, is_approver, link_refusal
from hadir.testing import PASSWORD, Org, make_admin, make_employee


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def employee_form(emp: Employee, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": emp.name, "nip": emp.nip or "", "nik": emp.nik or "", "kind": emp.kind, "sex": emp.sex,
        "birth_date": emp.birth_date.isoformat() if emp.birth_date else "", "unit": emp.unit_id,
        "position": emp.position_id or "", "locations": [loc.pk for loc in emp.locations.all()],
        "tpp_base": emp.tpp_base, "active_from": "", "active_until": "", "is_active": "on", "device_pin": "",
        "user": emp.user_id or "", "phone": "", "email": "",
    }
    data.update(changes)
    return data


def test_operator_cannot_link_accounts(org: Org) -> None:
    """The attack of the issue: an operator links their own account (or one from another OPD) to the head."""
    client = login("op_dinkes")
    kadis = Employee.objects.get(pk=org.kadis.pk)
    old_user = kadis.user_id
    page = client.get(f"/admin/org/employee/{kadis.pk}/change/").content.decode()
    assert 'name="user"' not in page  # read-only for operators
    for account in (org.operator_dinkes, org.guru.user):
        assert account is not None
        answer = client.post(f"/admin/org/employee/{kadis.pk}/change/", employee_form(kadis, user=account.pk))
        assert answer.status_code in (200, 302)
        kadis.refresh_from_db()
        assert kadis.user_id == old_user
    assert link_refusal(org.operator_dinkes, kadis, org.operator_dinkes) == (
        "Hanya admin BKPSDM yang dapat menghubungkan akun login ke data pegawai.")


def test_bkpsdm_links_but_not_super_admin_accounts(org: Org) -> None:
    User = get_user_model()
    newcomer = User.objects.create_user(username="pendatang", password=PASSWORD)
    emp = make_employee(org.dinkes_sekretariat, "Pegawai Baru")
    client = login("bkpsdm")
    found = client.get("/admin/autocomplete/", {
        "app_label": "org", "model_name": "employee", "field_name": "user", "term": "pendatang"}).json()["results"]
    assert [r["id"] for r in found] == [str(newcomer.pk)]
    assert not login("op_dinkes").get("/admin/autocomplete/", {
        "app_label": "org", "model_name": "employee", "field_name": "user", "term": "pendatang"}).json()["results"]
    answer = client.post(f"/admin/org/employee/{emp.pk}/change/", employee_form(emp, user=newcomer.pk))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    emp.refresh_from_db()
    assert emp.user_id == newcomer.pk
    boss = User.objects.create_superuser(username="root2", password=PASSWORD)
    assert link_refusal(org.admin_bkpsdm, emp, boss) == "Akun super-admin hanya dapat dihubungkan oleh super-admin."


def test_account_with_a_role_needs_that_role_to_link(org: Org) -> None:
    """A BKPSDM admin of one OPD's subtree may not link the regency BKPSDM admin's account."""
    narrow = make_admin("bkpsdm_dinkes", Role.ADMIN_BKPSDM, org.dinkes)
    emp = make_employee(org.dinkes_sekretariat, "Pegawai Tanpa Akun")
    refusal = link_refusal(narrow, emp, org.admin_bkpsdm)
    assert refusal is not None and "tidak Anda pegang" in refusal
    assert link_refusal(org.admin_bkpsdm, emp, org.operator_dinkes) is None


def test_operator_cannot_edit_own_employee_record(org: Org) -> None:
    op = org.operator_dinkes
    mine = make_employee(org.dinkes_sekretariat, "Operator Dinkes", position=org.staf.position)
    mine.user = op
    mine.save()
    client = login("op_dinkes")
    answer = client.post(f"/admin/org/employee/{mine.pk}/change/",
                         employee_form(mine, position=org.kadis.position_id))
    assert answer.status_code == 200
    assert "Anda tidak dapat mengubah data kepegawaian Anda sendiri" in answer.content.decode()
    mine.refresh_from_db()
    assert mine.position_id == org.staf.position_id


def test_operator_cannot_put_positions_under_own(org: Org) -> None:
    op = org.operator_dinkes
    mine = make_employee(org.dinkes_sekretariat, "Operator Dinkes", position=org.staf.position)
    mine.user = op
    mine.save()
    client = login("op_dinkes")
    assert org.staf_bidang.position_id is not None
    target = Position.objects.get(pk=org.staf_bidang.position_id)
    answer = client.post(f"/admin/org/position/{target.pk}/change/", {
        "name": target.name, "unit": target.unit_id, "parent": org.staf.position_id, "eselon": target.eselon,
        "code": target.code,
    })
    assert answer.status_code == 200
    assert "atasan jabatan lain" in answer.content.decode()
    target.refresh_from_db()
    assert target.parent_id == org.kabid.position_id


def test_role_grants_limited_to_held_roles(org: Org) -> None:
    assert not can_grant_role(org.operator_dinkes, Role.ADMIN_BKPSDM, org.dinkes)
    assert can_grant_role(org.operator_dinkes, Role.OPERATOR_OPD, org.puskesmas)
    assert not can_grant_role(org.operator_dinkes, Role.OPERATOR_OPD, org.disdik)
    assert can_grant_role(org.admin_bkpsdm, Role.OPERATOR_OPD, org.disdik)
    assert not can_grant_role(org.admin_bkpsdm, Role.SUPER_ADMIN, None)
    narrow = make_admin("bkpsdm_dinkes", Role.ADMIN_BKPSDM, org.dinkes)
    assert not can_grant_role(narrow, Role.ADMIN_BKPSDM, org.pemda)
    # through the admin: a subtree BKPSDM admin cannot widen their own scope to the regency
    narrow.is_staff = True
    narrow.save()
    client = login("bkpsdm_dinkes")
    client.post("/admin/org/roleassignment/add/", {
        "user": narrow.pk, "role": "admin_bkpsdm", "unit": org.pemda.pk,
        "granted_at_0": "2026-11-23", "granted_at_1": "10:00:00",
    })
    assert not RoleAssignment.objects.filter(user=narrow, unit=org.pemda).exists()
    # nor change the regency admin's assignment
    regency = RoleAssignment.objects.get(user=org.admin_bkpsdm)
    assert client.get(f"/admin/org/roleassignment/{regency.pk}/change/").status_code in (302, 403, 404)


def test_operator_cannot_set_an_approvers_password(org: Org) -> None:
    client = login("op_dinkes")
    for emp in (org.kadis, org.sekretaris):
        assert is_approver(emp)
        user = emp.user
        assert user is not None
        answer = client.post(f"/admin/auth/user/{user.pk}/password/", {
            "password1": "Ambil-Alih-2026!", "password2": "Ambil-Alih-2026!"})
        assert answer.status_code == 403
        assert not Client().login(username=user.username, password="Ambil-Alih-2026!")
    # BKPSDM may (a head forgot their password)
    kadis_user = org.kadis.user
    assert kadis_user is not None
    answer = login("bkpsdm").post(f"/admin/auth/user/{kadis_user.pk}/password/", {
        "password1": "Sandi-Kadis-2026!", "password2": "Sandi-Kadis-2026!"})
    assert answer.status_code == 302


def test_operator_cannot_create_an_account_for_a_head(org: Org) -> None:
    kadis = Employee.objects.get(pk=org.kadis.pk)
    old = kadis.user
    kadis.user = None
    kadis.save()
    assert old is not None
    old.delete()
    login("op_dinkes").post("/admin/org/employee/", {"action": "create_accounts", "_selected_action": [kadis.pk]})
    kadis.refresh_from_db()
    assert kadis.user is None
    login("bkpsdm").post("/admin/org/employee/", {"action": "create_accounts", "_selected_action": [kadis.pk]})
    kadis.refresh_from_db()
    assert kadis.user is not None


def test_operator_cannot_appoint_self_acting_head(org: Org) -> None:
    op = org.operator_dinkes
    mine = make_employee(org.dinkes_sekretariat, "Operator Dinkes", position=org.staf.position)
    mine.user = op
    mine.save()
    client = login("op_dinkes")
    answer = client.post("/api/approvals/delegations", {
        "position_id": org.kadis.position_id, "delegate_id": mine.pk, "kind": "plh",
        "start_date": dt.date.today().isoformat(), "end_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
    }, content_type="application/json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "self_appointment"
    assert "diri sendiri" in answer.json()["message"]
    # someone else as Plh: fine, and that someone now counts as an approver
    answer = client.post("/api/approvals/delegations", {
        "position_id": org.kadis.position_id, "delegate_id": org.staf.pk, "kind": "plh",
        "start_date": dt.date.today().isoformat(), "end_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
    }, content_type="application/json")
    assert answer.status_code == 201
    assert is_approver(org.staf)
