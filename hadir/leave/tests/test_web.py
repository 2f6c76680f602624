"""The employee's leave page and the atasan's inbox page, server-rendered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.approvals.models import ApprovalItem
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.org.models import Employee
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
    # no employee record: an operator is sent to the overview of their OPD instead of a personal page
    assert _client(org.operator_dinkes).get("/cuti/")["Location"] == "/cuti/ikhtisar/"


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


def _request(emp: Employee, kind: str, start: dt.date, days: int = 1, status: str = LeaveStatus.PENDING,
             **extra: Any) -> LeaveRequest:
    return LeaveRequest.objects.create(employee=emp, kind=kind, start_date=start,
                                       end_date=start + dt.timedelta(days=days - 1), reason="Uji", days=days,
                                       working_days=days, status=status, **extra)  # type: ignore[misc]


def test_overview_of_leave_and_dl_for_operators_and_bkpsdm(org: Org) -> None:
    """BKPSDM finds a week's dinas luar across the regency; an operator sees only their OPD's; staff may not."""
    monday = dt.date(2026, 11, 16)
    dl_dinkes = _request(org.staf, "dinas_luar", monday + dt.timedelta(days=1), letter_number="090/1/DINKES")
    dl_disdik = _request(org.guru, "dinas_luar", monday + dt.timedelta(days=3), days=2)
    _request(org.kabid, "dinas_luar", monday + dt.timedelta(days=14))  # another week
    _request(org.sekretaris, "cuti_tahunan", monday, days=5, status=LeaveStatus.APPROVED)

    bkpsdm = _client(org.admin_bkpsdm)
    week = {"kind": "dinas_luar", "start": monday.isoformat(), "end": (monday + dt.timedelta(days=6)).isoformat()}
    page = bkpsdm.get("/cuti/ikhtisar/", week)
    assert page.status_code == 200
    shown = {r.pk for r in page.context["rows"]}
    assert shown == {dl_dinkes.pk, dl_disdik.pk}
    assert "090/1/DINKES" in page.content.decode()

    operator = _client(org.operator_dinkes)
    assert {r.pk for r in operator.get("/cuti/ikhtisar/", week).context["rows"]} == {dl_dinkes.pk}
    everything = {r.employee_id for r in operator.get("/cuti/ikhtisar/").context["rows"]}
    assert org.guru.pk not in everything and org.sekretaris.pk in everything

    assert _client(org.staf.user).get("/cuti/ikhtisar/").status_code == 403
    bad = bkpsdm.get("/cuti/ikhtisar/", {"start": "bukan-tanggal", "kind": "piknik"})
    assert bad.status_code == 200 and "Periksa isian filter" in bad.content.decode()


def test_admin_without_employee_record_gets_the_overview_from_the_menu(org: Org) -> None:
    client = _client(org.admin_bkpsdm)
    assert client.get("/cuti/")["Location"] == "/cuti/ikhtisar/"
    html = client.get("/dasbor/").content.decode()
    assert 'id="nav-leave-overview" ' in html or 'id="nav-leave-overview">' in html
    assert "/admin/leave/leaverequest/" not in html
