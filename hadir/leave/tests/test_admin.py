"""Admin: leave requests are read-only and cancelled through the service; opening balances editable;
the approval admin pages load for an operator in scope."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hadir.audit.models import AuditEntry
from hadir.leave import rules
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.leave.services import LeaveInput, request_leave
from hadir.testing import Org

from .test_services import clear_week


def _staff_client(user: object) -> Client:
    user.is_staff = True  # type: ignore[attr-defined]
    user.is_superuser = True  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_cancel_action_goes_through_the_service(org: Org) -> None:
    monday = clear_week()
    req = request_leave(org.staf, org.staf.user, LeaveInput(rules.IZIN_PENTING, monday, monday, "Urusan"))
    client = _staff_client(org.admin_bkpsdm)
    assert client.get(reverse("admin:leave_leaverequest_add")).status_code == 403
    assert client.get(reverse("admin:leave_leaverequest_change", args=[req.pk])).status_code == 200
    response = client.post(reverse("admin:leave_leaverequest_changelist"),
                           {"action": "cancel_selected", "_selected_action": [req.pk]})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == LeaveStatus.CANCELLED and req.cancelled_by == org.admin_bkpsdm
    assert AuditEntry.objects.filter(action="leave.cancel", target_id=str(req.pk)).exists()


def test_approval_admin_pages_load(org: Org) -> None:
    client = _staff_client(org.admin_bkpsdm)
    for name in ("approvals_approvalpolicy", "approvals_delegation", "approvals_approvalitem",
                 "leave_annualleaveopening"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:approvals_delegation_add")).status_code == 200
    assert LeaveRequest.objects.count() == 0
