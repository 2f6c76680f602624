"""Request → approve by the atasan → the daily status and geofence see it; overlap, quota, cancel."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.approvals.models import ApprovalItem, ItemStatus
from hadir.approvals.services import decide
from hadir.audit.models import AuditEntry
from hadir.audit.services import verify_chain
from hadir.errors import DomainError
from hadir.leave import rules
from hadir.leave.facts import excuses_for, geofence_lifted
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.leave.services import (
    LeaveInput,
    cancel_request,
    quota_for,
    request_leave,
)
from hadir.testing import Org

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def clear_week(weeks_ahead: int = 1) -> dt.date:
    """A Monday at least `weeks_ahead` weeks away whose Monday–Friday has no national holiday."""
    day = dt.date.today() + dt.timedelta(days=7 * weeks_ahead)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    while any((day + dt.timedelta(days=i)) in holidays.country_holidays("ID", years=day.year) for i in range(5)):
        day += dt.timedelta(days=7)
    return day


def _cuti(org: Org, start: dt.date, end: dt.date, kind: str = rules.CUTI_TAHUNAN) -> LeaveRequest:
    return request_leave(org.staf_bidang, org.staf_bidang.user, LeaveInput(kind, start, end, "Urusan keluarga"))


def test_request_approve_flows_into_excuses_and_audit(org: Org) -> None:
    monday = clear_week()
    req = _cuti(org, monday, monday + dt.timedelta(days=6))  # Monday..Sunday: 5 working days
    assert req.status == LeaveStatus.PENDING and req.working_days == 5 and req.days == 7
    item = ApprovalItem.objects.get(leave_request=req)
    assert item.approver_position_id == org.kabid.position_id  # the atasan langsung of staf bidang
    assert excuses_for([org.staf_bidang.pk], monday) == {}  # pending excuses nothing

    with pytest.raises(DomainError) as refused:
        decide(item.pk, org.kadis.user, True)  # not the atasan langsung
    assert refused.value.status == 403
    decide(item.pk, org.kabid.user, True, "Silakan")
    req.refresh_from_db()
    assert req.status == LeaveStatus.APPROVED and req.decided_by == org.kabid.user
    assert excuses_for([org.staf_bidang.pk, org.staf.pk], monday + dt.timedelta(days=2)) == {
        org.staf_bidang.pk: ("cuti", f"CUTI-{req.pk}")
    }
    assert excuses_for([org.staf_bidang.pk], monday - dt.timedelta(days=1)) == {}
    assert not geofence_lifted(org.staf_bidang.pk, monday)  # cuti does not lift the geofence
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["leave.request", "leave.approve"]
    assert verify_chain().ok


def test_dinas_luar_needs_surat_tugas_and_lifts_geofence(org: Org) -> None:
    monday = clear_week()
    base = LeaveInput(rules.DINAS_LUAR, monday, monday + dt.timedelta(days=1), "Rapat koordinasi provinsi")
    with pytest.raises(DomainError, match="Nomor surat tugas"):
        request_leave(org.staf, org.staf.user, base)
    base.letter_number, base.destination = "090/123/DINKES/2026", "Dinkes Provinsi Bengkulu"
    with pytest.raises(DomainError, match="surat tugas"):
        request_leave(org.staf, org.staf.user, base)
    base.document = SimpleUploadedFile("st.pdf", PDF, content_type="application/pdf")
    req = request_leave(org.staf, org.staf.user, base)
    assert str(req.document.name).endswith(".pdf") and req.document_type == "application/pdf"
    decide(ApprovalItem.objects.get(leave_request=req).pk, org.sekretaris.user, True)
    assert geofence_lifted(org.staf.pk, monday) and geofence_lifted(org.staf.pk, monday + dt.timedelta(days=1))
    assert not geofence_lifted(org.staf.pk, monday + dt.timedelta(days=2))
    status, ref = excuses_for([org.staf.pk], monday)[org.staf.pk]
    assert status == "dl" and ref == f"DL-{req.pk} ST 090/123/DINKES/2026"


@pytest.mark.parametrize(
    ("content", "name", "expected_status"),
    [
        (b"MZ\x90\x00 not a pdf", "surat.pdf", 400),  # the name lies: type comes from the content
        (b"\xff\xd8\xff\xe0 truncated jpeg", "foto.jpg", 400),  # JPEG magic but not an image
        (PDF + b"x" * (5 * 1024 * 1024), "besar.pdf", 413),
    ],
)
def test_document_refused(org: Org, content: bytes, name: str, expected_status: int) -> None:
    monday = clear_week()
    data = LeaveInput(rules.DINAS_LUAR, monday, monday, "Monev", "090/1/2026", "Kecamatan Selebar",
                      SimpleUploadedFile(name, content))
    with pytest.raises(DomainError) as exc:
        request_leave(org.staf, org.staf.user, data)
    assert exc.value.status == expected_status and exc.value.field == "document"
    assert not LeaveRequest.objects.exists()


def test_overlap_is_refused_until_cancelled(org: Org) -> None:
    monday = clear_week()
    first = _cuti(org, monday, monday + dt.timedelta(days=2))
    with pytest.raises(DomainError) as exc:
        _cuti(org, monday + dt.timedelta(days=2), monday + dt.timedelta(days=3), rules.IZIN_PENTING)
    assert exc.value.status == 409 and exc.value.code == "overlap"
    cancel_request(first, org.staf_bidang.user, "Batal berangkat")
    assert ApprovalItem.objects.get(leave_request=first).status == ItemStatus.CANCELLED
    second = _cuti(org, monday + dt.timedelta(days=2), monday + dt.timedelta(days=3), rules.IZIN_PENTING)
    assert second.status == LeaveStatus.PENDING


def test_quota_counts_pending_and_refuses_the_excess(org: Org) -> None:
    week1, week2, week3 = clear_week(1), clear_week(3), clear_week(5)
    year = week1.year
    before = quota_for(org.staf_bidang, year)
    a = _cuti(org, week1, week1 + dt.timedelta(days=4))  # 5 working days, pending
    decide(ApprovalItem.objects.get(leave_request=a).pk, org.kabid.user, True)
    if week2.year == year:
        _cuti(org, week2, week2 + dt.timedelta(days=4))  # 5 more, pending
        quota = quota_for(org.staf_bidang, year)
        assert (quota.used, quota.pending) == (5, 5)
        assert quota.available == before.total - 10
        if week3.year == year and before.total == 12:
            with pytest.raises(DomainError) as exc:
                _cuti(org, week3, week3 + dt.timedelta(days=4))  # 5 > 2 left
            assert exc.value.status == 409 and exc.value.code == "quota_exceeded"


def test_approved_leave_cancel_rules(org: Org) -> None:
    monday = clear_week()
    req = _cuti(org, monday, monday)
    decide(ApprovalItem.objects.get(leave_request=req).pk, org.kabid.user, True)
    with pytest.raises(DomainError) as exc:
        cancel_request(req, org.staf.user, "bukan milik saya")
    assert exc.value.status == 403
    cancel_request(req, org.staf_bidang.user, "Tidak jadi")  # before it starts: allowed
    req.refresh_from_db()
    assert req.status == LeaveStatus.CANCELLED
    assert excuses_for([org.staf_bidang.pk], monday) == {}
    with pytest.raises(DomainError) as again:
        cancel_request(req, org.staf_bidang.user, "")
    assert again.value.status == 409


def test_rejection_needs_a_reason(org: Org) -> None:
    req = _cuti(org, clear_week(), clear_week())
    item = ApprovalItem.objects.get(leave_request=req)
    with pytest.raises(DomainError) as exc:
        decide(item.pk, org.kabid.user, False, "  ")
    assert exc.value.status == 400 and exc.value.field == "reason"
    decide(item.pk, org.kabid.user, False, "Sedang ada akreditasi")
    req.refresh_from_db()
    assert req.status == LeaveStatus.REJECTED and req.decision_reason == "Sedang ada akreditasi"


def test_too_old_and_zero_working_days_refused(org: Org) -> None:
    long_ago = dt.date.today() - dt.timedelta(days=30)
    with pytest.raises(DomainError, match="paling lambat"):
        _cuti(org, long_ago, long_ago, rules.IZIN_SAKIT)
    saturday = clear_week() + dt.timedelta(days=5)
    with pytest.raises(DomainError) as exc:
        _cuti(org, saturday, saturday + dt.timedelta(days=1), rules.IZIN_PENTING)
    assert exc.value.code == "no_working_days"


def test_quota_without_history_and_with_an_opening_balance(org: Org) -> None:
    from hadir.leave.models import AnnualLeaveOpening

    year = dt.date.today().year
    assert (quota_for(org.staf, year).carried, quota_for(org.staf, year).total) == (0, 12)  # no books before Hadir
    AnnualLeaveOpening.objects.create(employee=org.staf, year=year, carried_days=6, note="Dari kartu cuti")
    assert quota_for(org.staf, year).total == 18
    assert quota_for(org.staf_bidang, year).total == 12  # PPPK: no carry-over in any case
