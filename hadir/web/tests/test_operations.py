"""Daily operations in the dashboard (docs/operations.md): each role does its routine tasks on its own pages, in
its own scope, with an audit entry; a request outside the scope gets a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hadir.approvals.models import ApprovalItem, ApprovalPolicy, Delegation, ItemKind
from hadir.audit.models import AuditEntry
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.org.models import DeviceBinding, Role, hash_device_key
from hadir.terminals.models import Terminal, TerminalStatus
from hadir.testing import PASSWORD, Org, make_admin, make_location
from hadir.web.manage import tasks_for

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"


def client_for(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def bind(employee: Any, key: str) -> DeviceBinding:
    return DeviceBinding.objects.create(employee=employee, key_hash=hash_device_key(key), user_agent=PHONE)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who sees which task -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "present", "absent"), [
    # (the permission table of docs/operations.md, read by a user: what is on the Kelola page)
    ("op_dinkes", {"devices", "terminals", "overdue", "leave", "correction", "employees", "import", "locations",
                   "shifts", "policy", "acting", "tpp"}, {"audit", "roles", "patterns", "holidays", "tpp_rules",
                                                         "tpp_bases"}),
    ("bkpsdm", {"devices", "terminals", "overdue", "leave", "correction", "employees", "import", "locations",
                "shifts", "patterns", "holidays", "policy", "acting", "roles", "audit", "tpp", "tpp_rules",
                "tpp_bases"}, set()),
    ("kadis", set(), {"devices", "terminals", "policy"}),  # a head approves; they do not administer
    ("staf", set(), {"devices"}),
])
def test_tasks_per_role(org: Org, username: str, present: set[str], absent: set[str]) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    keys = {t.key for t in tasks_for(user)}
    assert present <= keys
    assert not (absent & keys)
    c = client_for(username)
    page = c.get("/dasbor/kelola/")
    assert page.status_code == (200 if present else 403)
    for task in tasks_for(user):  # every link on the page opens for this role
        assert c.get(task.url).status_code == 200, task.url


def test_menu_shows_kelola_only_to_admin_roles(org: Org) -> None:
    assert 'id="nav-manage"' in client_for("op_dinkes").get("/dasbor/").content.decode()
    assert 'id="nav-manage"' not in client_for("kadis").get("/dasbor/").content.decode()


# --- phones ----------------------------------------------------------------------------------------------------


def test_operator_resets_a_phone_in_their_opd_with_an_audit_entry(org: Org) -> None:
    binding = bind(org.staf, "k" * 43)
    c = client_for("op_dinkes")
    listed = c.get("/dasbor/kelola/perangkat/", {"q": "Dewi"})
    assert "Dewi Lestari" in listed.content.decode() and "Chrome di Android" in listed.content.decode()

    missing_reason = c.post("/dasbor/kelola/perangkat/", {"binding": binding.pk, "reason": ""}, follow=True)
    assert "Tuliskan alasan reset" in " ".join(messages_of(missing_reason))
    binding.refresh_from_db()
    assert binding.revoked_at is None

    done = c.post("/dasbor/kelola/perangkat/", {"binding": binding.pk, "reason": "HP hilang"}, follow=True)
    assert "HP Dewi Lestari direset" in " ".join(messages_of(done))
    binding.refresh_from_db()
    assert binding.revoked_at is not None and binding.revoked_by == org.operator_dinkes
    assert binding.revoke_reason == "HP hilang"
    entry = AuditEntry.objects.get(action="mobile.device_reset")
    assert entry.reason == "HP hilang" and entry.actor_name == "op_dinkes"


def test_reset_of_a_phone_outside_ones_opd_is_refused_and_changes_nothing(org: Org) -> None:
    binding = bind(org.guru, "g" * 43)  # Dinas Pendidikan
    c = client_for("op_dinkes")
    assert "Rina Marlina" not in c.get("/dasbor/kelola/perangkat/").content.decode()
    refused = c.post("/dasbor/kelola/perangkat/", {"binding": binding.pk, "reason": "coba"}, follow=True)
    assert "tidak ditemukan di unit yang Anda kelola" in " ".join(messages_of(refused))
    binding.refresh_from_db()
    assert binding.revoked_at is None
    assert not AuditEntry.objects.filter(action="mobile.device_reset").exists()
    # and BKPSDM may (the regency)
    client_for("bkpsdm").post("/dasbor/kelola/perangkat/", {"binding": binding.pk, "reason": "ganti HP"})
    binding.refresh_from_db()
    assert binding.revoked_at is not None


def test_shared_phone_filter(org: Org) -> None:
    bind(org.staf, "s" * 43)
    DeviceBinding.objects.create(employee=org.kabid, key_hash=hash_device_key("s" * 43), user_agent=PHONE,
                                 revoked_at=timezone.now())
    bind(org.sekretaris, "x" * 43)
    page = client_for("op_dinkes").get("/dasbor/kelola/perangkat/", {"tampil": "bersama"}).content.decode()
    assert "Dewi Lestari" in page and "Budi Santoso" in page and "Siti Aminah" not in page


@pytest.mark.parametrize("bad", ["", "abc", "99999999", "1e9"])
def test_reset_with_a_bad_id_is_a_message_not_an_error(org: Org, bad: str) -> None:
    response = client_for("op_dinkes").post("/dasbor/kelola/perangkat/", {"binding": bad, "reason": "x"},
                                            follow=True)
    assert response.status_code == 200
    assert "tidak ditemukan" in " ".join(messages_of(response))


# --- terminals -------------------------------------------------------------------------------------------------


def pending(sn: str) -> Terminal:
    return Terminal.objects.create(serial_number=sn, status=TerminalStatus.PENDING, last_ip="10.1.1.50")


def test_operator_claims_a_new_terminal_by_its_serial_number(org: Org) -> None:
    t = pending("CKJE2026000001")
    c = client_for("op_dinkes")
    done = c.post("/iclock/pantau/", {"serial_number": "CKJE2026000001", "location": org.loc_dinkes.pk,
                                      "name": "Lobi"}, follow=True)
    assert "ditetapkan" in " ".join(messages_of(done))
    t.refresh_from_db()
    assert t.status == TerminalStatus.ACTIVE and t.unit == org.dinkes and t.location == org.loc_dinkes
    assert t.name == "Lobi"
    assert AuditEntry.objects.filter(action="terminal.assign").count() == 1


def test_assigning_a_terminal_to_another_opds_location_is_refused(org: Org) -> None:
    t = pending("CKJE2026000002")
    c = client_for("op_dinkes")
    refused = c.post("/iclock/pantau/", {"serial_number": t.serial_number, "location": org.loc_disdik.pk},
                     follow=True)
    assert "Lokasi kerja tidak ditemukan di unit yang Anda kelola" in " ".join(messages_of(refused))
    t.refresh_from_db()
    assert t.status == TerminalStatus.PENDING and t.unit is None
    assert not AuditEntry.objects.filter(action="terminal.assign").exists()


def test_bkpsdm_assigns_a_pending_terminal_from_its_row(org: Org) -> None:
    t = pending("CKJE2026000003")
    c = client_for("bkpsdm")
    page = c.get("/iclock/pantau/").content.decode()
    assert 'data-sn="CKJE2026000003"' in page
    c.post("/iclock/pantau/", {"terminal": t.pk, "location": org.loc_disdik.pk})
    t.refresh_from_db()
    assert t.status == TerminalStatus.ACTIVE and t.unit == org.disdik


def test_operator_retires_and_moves_a_terminal_in_their_opd_only(org: Org) -> None:
    t = Terminal.objects.create(serial_number="CKJE2026000004", unit=org.dinkes, location=org.loc_dinkes,
                                status=TerminalStatus.ACTIVE)
    other = Terminal.objects.create(serial_number="CKJE2026000005", unit=org.disdik, location=org.loc_disdik,
                                    status=TerminalStatus.ACTIVE)
    c = client_for("op_dinkes")
    c.post(f"/iclock/pantau/{org.dinkes.pk}/", {"terminal": t.pk, "action": "disable"})
    t.refresh_from_db()
    assert t.status == TerminalStatus.DISABLED
    assert AuditEntry.objects.filter(action="terminal.update").count() == 1

    second = make_location(org.dinkes, -3.79, 102.26, name="Gudang Farmasi")
    c.post(f"/iclock/pantau/{org.dinkes.pk}/", {"terminal": t.pk, "action": "move", "location": second.pk})
    t.refresh_from_db()
    assert t.location == second

    # another OPD's terminal, posted through one's own OPD page: not found, unchanged
    refused = c.post(f"/iclock/pantau/{org.dinkes.pk}/", {"terminal": other.pk, "action": "disable"}, follow=True)
    assert "tidak ditemukan" in " ".join(messages_of(refused))
    other.refresh_from_db()
    assert other.status == TerminalStatus.ACTIVE
    # and another OPD's page is not there for this operator
    assert c.get(f"/iclock/pantau/{org.disdik.pk}/").status_code == 404


# --- approvals: overdue, policy, Plt/Plh ------------------------------------------------------------------------


def pending_leave_item(emp: Any, days_ago: int) -> ApprovalItem:
    start = timezone.localdate() + dt.timedelta(days=3)
    req = LeaveRequest.objects.create(employee=emp, kind="izin_sakit", start_date=start, end_date=start,
                                      reason="Uji", days=1, working_days=1, status=LeaveStatus.PENDING)
    return ApprovalItem.objects.create(kind=ItemKind.LEAVE, leave_request=req, employee=emp,
                                       approver_position=emp.position.parent,
                                       created_at=timezone.now() - dt.timedelta(days=days_ago))


def test_overdue_approvals_by_age_and_scope(org: Org) -> None:
    ApprovalPolicy.objects.create(unit=org.pemda, escalate_after_days=3)
    old = pending_leave_item(org.staf, 10)
    fresh = pending_leave_item(org.kabid, 1)
    disdik = pending_leave_item(org.guru, 12)
    bkpsdm = client_for("bkpsdm")
    rows = bkpsdm.get("/dasbor/kelola/persetujuan/").context["rows"]
    assert [r["item"].pk for r in rows] == [disdik.pk, old.pk, fresh.pk]  # oldest first
    assert [r["late"] for r in rows] == [True, True, False]
    late = bkpsdm.get("/dasbor/kelola/persetujuan/", {"lewat": "1"}).context["rows"]
    assert {r["item"].pk for r in late} == {disdik.pk, old.pk}
    operator_rows = client_for("op_dinkes").get("/dasbor/kelola/persetujuan/").context["rows"]
    assert {r["item"].pk for r in operator_rows} == {old.pk, fresh.pk}


def test_policy_page_sets_the_opd_policy_with_an_audit_entry(org: Org) -> None:
    c = client_for("op_dinkes")
    page = c.get("/dasbor/kelola/kebijakan/")
    assert [r["unit"] for r in page.context["rows"]] == [org.dinkes]  # the operator's OPD, not the regency
    c.post("/dasbor/kelola/kebijakan/", {"unit": org.dinkes.pk, "mode": "all", "escalate_after_days": 5})
    policy = ApprovalPolicy.objects.get(unit=org.dinkes)
    assert (policy.mode, policy.escalate_after_days) == ("all", 5)
    assert AuditEntry.objects.filter(action="approval.policy").count() == 1

    for bad in ({"unit": org.disdik.pk, "mode": "all", "escalate_after_days": 5},   # another OPD
                {"unit": org.dinkes.pk, "mode": "all", "escalate_after_days": 0},   # out of range
                {"unit": org.dinkes.pk, "mode": "nonsense", "escalate_after_days": 5},
                {"unit": "x", "mode": "all", "escalate_after_days": "lima"}):
        response = c.post("/dasbor/kelola/kebijakan/", bad, follow=True)
        assert response.status_code == 200 and messages_of(response)
    assert not ApprovalPolicy.objects.filter(unit=org.disdik).exists()
    policy.refresh_from_db()
    assert policy.escalate_after_days == 5


def test_plt_plh_appointed_and_revoked_in_scope(org: Org) -> None:
    c = client_for("op_dinkes")
    today = timezone.localdate()
    assert org.kadis.position is not None
    form = {"position": org.kadis.position.pk, "delegate": org.sekretaris.pk, "kind": "plh",
            "start_date": today.isoformat(), "end_date": (today + dt.timedelta(days=5)).isoformat(),
            "decree_number": "800/12/DINKES"}
    assert c.post("/dasbor/kelola/plt-plh/", form).status_code == 302
    d = Delegation.objects.get()
    assert (d.delegate, d.kind, d.created_by) == (org.sekretaris, "plh", org.operator_dinkes)
    assert AuditEntry.objects.filter(action="delegation.create").count() == 1

    refused = c.post("/dasbor/kelola/plt-plh/", {**form, "delegate": org.guru.pk})  # another OPD's employee
    assert refused.status_code == 400 and "Pegawai tidak ditemukan" in refused.content.decode()
    backwards = c.post("/dasbor/kelola/plt-plh/", {**form, "end_date": "2020-01-01"})
    assert backwards.status_code == 400
    assert Delegation.objects.count() == 1

    other = make_admin("op_disdik2", Role.OPERATOR_OPD, org.disdik)
    assert other is not None
    client_for("op_disdik2").post("/dasbor/kelola/plt-plh/", {"revoke": d.pk})
    assert Delegation.objects.count() == 1  # not theirs to revoke
    c.post("/dasbor/kelola/plt-plh/", {"revoke": d.pk})
    assert Delegation.objects.count() == 0
    assert AuditEntry.objects.filter(action="delegation.delete").count() == 1


def test_correction_on_behalf_of_staff_without_a_phone(org: Org, settings: Any) -> None:
    settings.HADIR_CORRECTION_EVIDENCE_REQUIRED = False
    c = client_for("op_dinkes")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    form = {"employee": org.staf.pk, "date": yesterday.isoformat(), "kind": "masuk", "time": "07:25",
            "reason": "Mesin rusak"}
    assert c.post("/dasbor/kelola/koreksi/", form).status_code == 302
    item = ApprovalItem.objects.get(kind=ItemKind.CORRECTION)
    assert item.employee == org.staf and item.correction is not None
    assert item.correction.filed_by == org.operator_dinkes

    refused = c.post("/dasbor/kelola/koreksi/", {**form, "employee": org.guru.pk})
    assert refused.status_code == 400
    bad_time = c.post("/dasbor/kelola/koreksi/", {**form, "time": "25:99"})
    assert bad_time.status_code == 400 and "Jam tidak valid" in bad_time.content.decode()
    assert ApprovalItem.objects.filter(kind=ItemKind.CORRECTION).count() == 1


def test_admin_fallback_pages_open_for_the_roles(org: Org) -> None:
    bind(org.staf, "a" * 43)
    for username in ("op_dinkes", "bkpsdm"):
        c = client_for(username)
        for url in ("/admin/org/devicebinding/", "/admin/mobile/shareddevicebinding/", "/admin/terminals/terminal/",
                    "/admin/leave/leaverequest/", "/admin/approvals/delegation/", "/admin/approvals/approvalpolicy/"):
            assert c.get(url).status_code == 200, (username, url)
    listed = client_for("op_disdik").get("/admin/org/devicebinding/").content.decode()
    assert "Dewi Lestari" not in listed


def test_kelola_speaks_english_when_asked(org: Org) -> None:
    c = client_for("op_dinkes")
    c.post("/i18n/setlang/", {"language": "en", "next": "/dasbor/kelola/"})
    html = c.get("/dasbor/kelola/").content.decode()
    assert "Staff phones (reset a phone)" in html and "Pending approvals" in html and ">Manage<" in html
    bad = c.post("/dasbor/kelola/perangkat/", {"binding": "0", "reason": "x"}, follow=True)
    assert "Device binding not found in the units you administer" in " ".join(messages_of(bad))


def test_operator_edits_a_location_of_their_opd_with_an_audit_entry(org: Org) -> None:
    c = client_for("op_dinkes")
    page = c.get("/dasbor/kelola/lokasi/").content.decode()
    assert org.loc_dinkes.name in page and f'data-location="{org.loc_disdik.pk}"' not in page
    form = {"location": org.loc_dinkes.pk, "name": org.loc_dinkes.name, "latitude": "-3.7960",
            "longitude": "102.2590", "radius_m": "150", "timezone": "Asia/Jakarta", "address": "", "is_active": "on"}
    assert c.post("/dasbor/kelola/lokasi/", form).status_code == 302
    org.loc_dinkes.refresh_from_db()
    assert org.loc_dinkes.radius_m == 150
    entry = AuditEntry.objects.get(action="org.location_update")
    assert entry.before["radius_m"] == 100 and entry.after["radius_m"] == 150
    bad = c.post("/dasbor/kelola/lokasi/", {**form, "latitude": "123"})
    assert bad.status_code == 400
    other = c.post("/dasbor/kelola/lokasi/", {**form, "location": org.loc_disdik.pk, "radius_m": "5000"},
                   follow=True)
    assert "tidak ditemukan" in " ".join(messages_of(other))
    org.loc_disdik.refresh_from_db()
    assert org.loc_disdik.radius_m == 100
