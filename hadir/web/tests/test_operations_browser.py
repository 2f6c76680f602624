"""In Chromium, per role, from the menu: an operator resets a lost phone and assigns a new terminal; BKPSDM finds
an overdue approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hadir.approvals.models import ApprovalItem, ApprovalPolicy, ItemKind
from hadir.audit.models import AuditEntry
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.org.models import DeviceBinding, hash_device_key
from hadir.terminals.models import Terminal, TerminalStatus
from hadir.testing import Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"



def test_operator_resets_a_phone_and_assigns_a_terminal(page_of: Any, org: Org) -> None:
    binding = DeviceBinding.objects.create(employee=org.staf, key_hash=hash_device_key("p" * 43), user_agent=PHONE)
    terminal = Terminal.objects.create(serial_number="CKJE2026110099", status=TerminalStatus.PENDING,
                                       last_ip="10.1.1.77")
    page = page_of("op_dinkes")
    assert page.url.endswith("/dasbor/")  # admins land on the dashboard

    # a lost phone: Kelola → Perangkat pegawai → find the employee → reset with a reason
    page.click("#nav-manage")
    page.click("#task-devices")
    page.fill("#id_q", "Dewi")
    page.click("#device-filters button")
    row = page.locator(f"tr[data-binding='{binding.pk}']")
    assert "Chrome di Android" in row.inner_text()
    row.locator("input[name=reason]").fill("HP hilang")
    row.locator("button[name=reset]").click()
    page.wait_for_selector("#messages .success")
    assert "HP Dewi Lestari direset" in page.inner_text("#messages")
    assert page.locator(f"tr[data-binding='{binding.pk}']").count() == 0  # no longer an active phone
    binding.refresh_from_db()
    assert binding.revoked_at is not None and binding.revoke_reason == "HP hilang"

    # a new terminal: Kelola → Mesin absensi → serial number from its label → location
    page.click("#nav-manage")
    page.click("#task-terminals")
    page.fill("#id_serial_number", "CKJE2026110099")
    page.select_option("#id_location", str(org.loc_dinkes.pk))
    page.click("#claim-form button")
    page.wait_for_selector("#messages .success")
    assert "CKJE2026110099 ditetapkan" in page.inner_text("#messages")
    terminal.refresh_from_db()
    assert terminal.status == TerminalStatus.ACTIVE and terminal.location == org.loc_dinkes
    assert AuditEntry.objects.filter(action__in=["mobile.device_reset", "terminal.assign"]).count() == 2

    # it is listed on the OPD's terminal page, where it can be retired
    page.goto(page.url.split("/iclock/")[0] + f"/iclock/pantau/{org.dinkes.pk}/")
    row = page.locator("tr[data-sn=CKJE2026110099]")
    row.locator("button[value=disable]").click()
    page.wait_for_selector("#messages .success")
    terminal.refresh_from_db()
    assert terminal.status == TerminalStatus.DISABLED


def test_bkpsdm_finds_an_overdue_approval(page_of: Any, org: Org) -> None:
    ApprovalPolicy.objects.create(unit=org.pemda, escalate_after_days=3)

    def waiting(emp: Any, days: int) -> ApprovalItem:
        start = timezone.localdate() + dt.timedelta(days=2)
        req = LeaveRequest.objects.create(employee=emp, kind="izin_sakit", start_date=start, end_date=start,
                                          reason="Uji", days=1, working_days=1, status=LeaveStatus.PENDING)
        return ApprovalItem.objects.create(kind=ItemKind.LEAVE, leave_request=req, employee=emp,
                                           approver_position=emp.position.parent,
                                           created_at=timezone.now() - dt.timedelta(days=days))

    overdue = waiting(org.guru, 9)
    waiting(org.staf, 1)
    page = page_of("bkpsdm")
    assert page.url.endswith("/dasbor/")  # admins land on the dashboard
    page.click("#nav-manage")
    page.click("#task-overdue")
    page.check("#id_lewat")
    page.click("#overdue-filters button")
    page.wait_for_url("**/dasbor/kelola/persetujuan/?*")
    rows = page.locator("#overdue-table tbody tr").all_inner_texts()
    assert len(rows) == 1
    assert "Rina Marlina" in rows[0] and "lewat batas (3 hari)" in rows[0] and str(overdue.pk) in rows[0]
    assert overdue.approver_position is not None
    assert overdue.approver_position.name in rows[0]  # who to chase
