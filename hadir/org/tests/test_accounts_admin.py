"""Accounts in the admin: no privilege escalation, scoped account lists, password reset by operators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from hadir.org.models import Employee, Role, RoleAssignment
from hadir.testing import PASSWORD, Org


def account(emp: Employee) -> Any:
    assert emp.user is not None
    return emp.user


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_bkpsdm_cannot_create_super_admins(org: Org) -> None:
    client = login("bkpsdm")
    form = client.get("/admin/org/roleassignment/add/").content.decode()
    assert 'value="operator_opd"' in form and 'value="super_admin"' not in form
    answer = client.post("/admin/org/roleassignment/add/", {
        "user": account(org.staf).pk, "role": "super_admin", "unit": org.pemda.pk,
        "granted_at_0": "2026-11-23", "granted_at_1": "10:00:00",
    })
    assert answer.status_code in (200, 403)
    assert not RoleAssignment.objects.filter(role=Role.SUPER_ADMIN).exists()
    staf = get_user_model().objects.get(pk=account(org.staf).pk)
    assert not staf.is_superuser and not staf.is_staff


def test_bkpsdm_grants_operator_role_with_the_account_picker(org: Org) -> None:
    client = login("bkpsdm")
    found = client.get("/admin/autocomplete/", {
        "app_label": "org", "model_name": "roleassignment", "field_name": "user", "term": org.staf.nip or "",
    })
    assert found.status_code == 200 and [r["id"] for r in found.json()["results"]] == [str(account(org.staf).pk)]
    answer = client.post("/admin/org/roleassignment/add/", {
        "user": account(org.staf).pk, "role": "operator_opd", "unit": org.dinkes.pk,
        "granted_at_0": "2026-11-23", "granted_at_1": "10:00:00",
    })
    assert answer.status_code == 302
    assert login("staf").get("/admin/org/employee/").status_code == 200  # the new operator is in


def test_operator_account_list_is_scoped(org: Org) -> None:
    client = login("op_dinkes")
    page = client.get("/admin/auth/user/").content.decode()

    def link(user: object) -> str:
        return f"/admin/auth/user/{user.pk}/change/"  # type: ignore[attr-defined]

    assert link(account(org.staf)) in page and link(org.operator_dinkes) in page
    assert link(account(org.guru)) not in page and link(org.operator_disdik) not in page
    assert link(org.admin_bkpsdm) not in page
    found = client.get("/admin/autocomplete/", {
        "app_label": "org", "model_name": "employee", "field_name": "user", "term": "",
    }).json()["results"]
    assert {r["text"] for r in found} >= {account(org.staf).username} and account(org.guru).username not in {
        r["text"] for r in found}
    assert client.get(f"/admin/auth/user/{account(org.guru).pk}/change/").status_code in (302, 403, 404)


def test_operator_resets_staff_password_but_not_privileges(org: Org) -> None:
    client = login("op_dinkes")
    user = account(org.staf)
    page = client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "is_superuser" not in page and "user_permissions" not in page and "groups" not in page
    answer = client.post(f"/admin/auth/user/{user.pk}/password/", {
        "password1": "Sandi-Baru-2026!", "password2": "Sandi-Baru-2026!",
    })
    assert answer.status_code == 302
    assert Client().login(username=user.username, password="Sandi-Baru-2026!")
    client.post(f"/admin/auth/user/{user.pk}/change/", {
        "first_name": "Dewi", "last_name": "", "email": "", "is_active": "on",
        "is_superuser": "on", "is_staff": "on",
    })
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff


def test_operator_cannot_touch_admin_accounts_or_own(org: Org) -> None:
    client = login("op_dinkes")
    me = org.operator_dinkes
    assert client.get(f"/admin/auth/user/{me.pk}/password/").status_code == 403
    kadis_user = account(org.kadis)
    RoleAssignment.objects.create(user=kadis_user, role=Role.OPERATOR_OPD, unit=org.dinkes)
    assert client.post(f"/admin/auth/user/{kadis_user.pk}/password/", {
        "password1": "Ambil-Alih-2026!", "password2": "Ambil-Alih-2026!",
    }).status_code == 403
    assert not Client().login(username=kadis_user.username, password="Ambil-Alih-2026!")
    assert client.get("/admin/auth/user/add/").status_code == 403


def test_create_accounts_action(org: Org) -> None:
    emp = Employee.objects.get(pk=org.guru.pk)
    old_user = account(emp)
    emp.user = None
    emp.save()
    old_user.delete()
    answer = login("op_disdik").post("/admin/org/employee/", {
        "action": "create_accounts", "_selected_action": [emp.pk, org.kadisdik.pk],
    })
    assert answer.status_code == 302
    emp.refresh_from_db()
    assert emp.user is not None and emp.user.username == emp.nip and not emp.user.has_usable_password()
    # an operator of another OPD cannot create accounts for Disdik staff
    account(emp).delete()
    login("op_dinkes").post("/admin/org/employee/", {"action": "create_accounts", "_selected_action": [emp.pk]})
    emp.refresh_from_db()
    assert emp.user is None
