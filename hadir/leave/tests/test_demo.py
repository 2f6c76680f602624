"""The demo hooks seed consistent leave and approval data."""

from __future__ import annotations

import random
import uuid

from django.utils import timezone

from hadir.approvals import demo as approvals_demo
from hadir.approvals.models import ApprovalItem, ApprovalPolicy
from hadir.leave import demo as leave_demo
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.presence.models import CheckIn, Validity
from hadir.testing import Org


def test_demo_hooks(org: Org) -> None:
    today = timezone.localdate()
    CheckIn.objects.bulk_create([CheckIn(
        client_uuid=uuid.uuid4(), employee=org.staf, kind="masuk", source="offline", occurred_at=timezone.now(),
        local_date=today, verdict="accepted", validity=Validity.PENDING)])
    lines = approvals_demo.seed(random.Random(1), today)
    assert ApprovalPolicy.objects.filter(unit=org.pemda).exists()
    item = ApprovalItem.objects.get(checkin__employee=org.staf)
    assert item.approver_position_id == org.sekretaris.position_id and lines
    lines = leave_demo.seed(random.Random(2), today)
    assert LeaveRequest.objects.exists() and "pengajuan" in lines[-1]
    for req in LeaveRequest.objects.all():
        assert req.working_days >= 1
        assert (req.status == LeaveStatus.PENDING) == ApprovalItem.objects.filter(leave_request=req).exists()
    assert leave_demo.seed(random.Random(2), today) == ["Data izin/cuti sudah ada; dilewati."]
