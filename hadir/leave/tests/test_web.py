"""The employee's leave page and the atasan's inbox page, server-rendered."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.approvals.models import ApprovalItem
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.testing import Org

from .test_services import PDF, clear_week


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_file_leave_on_the_page_then_approve_in_the_inbox(org: Org) -> None:
    monday = clear_week()
    staf = _client(org.staf.user)
    page = staf.get("/cuti/")
    assert page.status_code == 200 and "Sisa cuti tahunan" in page.content.decode()
    bad = staf.post("/cuti/", {"kind": "dinas_luar", "start_date": monday.isoformat(),
                               "end_date": monday.isoformat(), "reason": "Monev"})
    assert bad.status_code == 200 and "Nomor surat tugas wajib diisi" in bad.content.decode()
    ok = staf.post("/cuti/", {"kind": "dinas_luar", "start_date": monday.isoformat(),
                              "end_date": (monday + dt.timedelta(days=1)).isoformat(), "reason": "Monev",
                              "letter_number": "090/5/2026", "destination": "Kecamatan Muara Bangkahulu",
                              "document": SimpleUploadedFile("st.pdf", PDF, content_type="application/pdf")})
    assert ok.status_code == 302
    req = LeaveRequest.objects.get()
    assert staf.get(f"/cuti/{req.pk}/dokumen/").status_code == 200

    sek = _client(org.sekretaris.user)
    inbox = sek.get("/persetujuan/").content.decode()
    assert org.staf.name in inbox and "090/5/2026" in inbox
    item = ApprovalItem.objects.get(leave_request=req)
    rejected_without_reason = sek.post("/persetujuan/", {"ids": [item.pk], "decision": "reject"}, follow=True)
    assert "Alasan wajib diisi" in rejected_without_reason.content.decode()
    sek.post("/persetujuan/", {"ids": [item.pk], "decision": "approve"})
    req.refresh_from_db()
    assert req.status == LeaveStatus.APPROVED
    assert "Tidak ada item" in sek.get("/persetujuan/").content.decode()


def test_cancel_from_the_page_and_privacy(org: Org) -> None:
    monday = clear_week()
    staf = _client(org.staf.user)
    staf.post("/cuti/", {"kind": "izin_penting", "start_date": monday.isoformat(),
                         "end_date": monday.isoformat(), "reason": "Mengurus KTP"})
    req = LeaveRequest.objects.get()
    assert _client(org.guru.user).post(f"/cuti/{req.pk}/batal/").status_code == 404
    assert staf.post(f"/cuti/{req.pk}/batal/").status_code == 302
    req.refresh_from_db()
    assert req.status == LeaveStatus.CANCELLED
    assert _client(org.operator_dinkes).get("/cuti/").status_code == 403  # no employee record


def test_pages_in_english(org: Org) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(org.staf.user)  # type: ignore[arg-type]
    page = client.get("/cuti/").content.decode()
    assert "Annual leave left" in page and "Submit request" in page and "Official travel" in page
    inbox = Client()
    inbox.cookies["django_language"] = "en"
    inbox.force_login(org.sekretaris.user)  # type: ignore[arg-type]
    assert "No items await your decision." in inbox.get("/persetujuan/").content.decode()
