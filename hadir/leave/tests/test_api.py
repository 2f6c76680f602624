"""/api/leave over HTTP: multipart request with a surat tugas, quota, listing, cancel, document access."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from hadir.approvals.models import ApprovalItem
from hadir.audit.models import AuditEntry
from hadir.leave.models import LeaveRequest
from hadir.testing import Org

from .test_services import PDF, clear_week


def _client(user: Any, lang: str = "id") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def _dl_form(monday: dt.date, **extra: Any) -> dict[str, Any]:
    return {"kind": "dinas_luar", "start_date": monday.isoformat(), "end_date": monday.isoformat(),
            "reason": "Monitoring imunisasi", "letter_number": "090/77/DINKES/2026",
            "destination": "Puskesmas Sawah Lebar", **extra}


def test_dinas_luar_with_pdf_then_approve_via_approvals_api(org: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    monday = clear_week()
    staf = _client(org.staf.user)
    response = staf.post("/api/leave/requests", _dl_form(monday, document=SimpleUploadedFile(
        "st.pdf", PDF, content_type="application/pdf")))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["working_days"] == 1 and body["document_url"]
    assert body["can_cancel"] is True

    doc = staf.get(body["document_url"])
    assert doc.status_code == 200 and doc["Content-Type"] == "application/pdf"
    assert b"".join(doc.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert _client(org.staf_bidang.user).get(body["document_url"]).status_code == 404  # a colleague: hidden
    assert _client(org.sekretaris.user).get(body["document_url"]).status_code == 200  # the atasan

    sek = _client(org.sekretaris.user)
    inbox = sek.get("/api/approvals/inbox").json()
    assert inbox["count"] == 1 and inbox["items"][0]["leave"]["letter_number"] == "090/77/DINKES/2026"
    item_id = inbox["items"][0]["id"]
    decided = sek.post(f"/api/approvals/items/{item_id}/decision", {"decision": "approve"},
                       content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert staf.get(f"/api/leave/requests/{body['id']}").json()["status"] == "approved"


def test_bad_input_is_a_clear_4xx(org: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    monday = clear_week()
    staf = _client(org.staf.user)
    no_doc = staf.post("/api/leave/requests", _dl_form(monday))
    assert no_doc.status_code == 400 and no_doc.json()["errors"][0]["field"] == "document"
    assert "surat tugas" in no_doc.json()["message"]
    exe = staf.post("/api/leave/requests", _dl_form(monday, document=SimpleUploadedFile("st.pdf", b"MZ\x90\0")))
    assert exe.status_code == 400 and "PDF, JPEG atau PNG" in exe.json()["message"]
    big = staf.post("/api/leave/requests", _dl_form(monday, document=SimpleUploadedFile(
        "st.pdf", PDF + b"0" * (5 * 1024 * 1024))))
    assert big.status_code == 413 and "terlalu besar" in big.json()["message"]
    unknown = staf.post("/api/leave/requests", {**_dl_form(monday), "kind": "liburan"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "kind"
    reversed_dates = staf.post("/api/leave/requests", {
        "kind": "izin_penting", "start_date": (monday + dt.timedelta(days=1)).isoformat(),
        "end_date": monday.isoformat(), "reason": "x"})
    assert reversed_dates.status_code == 400 and "sebelum tanggal mulai" in reversed_dates.json()["message"]
    assert not LeaveRequest.objects.exists()


def test_english_messages_on_request(org: Org) -> None:
    monday = clear_week()
    response = _client(org.staf.user, "en").post("/api/leave/requests", _dl_form(monday))
    assert response.status_code == 400
    assert "assignment letter" in response.json()["message"]


def test_quota_kinds_list_and_cancel(org: Org) -> None:
    monday = clear_week()
    staf = _client(org.staf.user)
    kinds = {k["code"]: k for k in staf.get("/api/leave/kinds").json()}
    assert kinds["dinas_luar"]["lifts_geofence"] and kinds["dinas_luar"]["requires_document"]
    assert "cuti_besar" in kinds  # staf is a PNS
    pppk_kinds = {k["code"] for k in _client(org.staf_bidang.user).get("/api/leave/kinds").json()}
    assert "cuti_besar" not in pppk_kinds and "cltn" not in pppk_kinds

    created = staf.post("/api/leave/requests", {"kind": "cuti_tahunan", "start_date": monday.isoformat(),
                                                "end_date": (monday + dt.timedelta(days=1)).isoformat(),
                                                "reason": "Mudik"})
    assert created.status_code == 201, created.content
    quota = staf.get(f"/api/leave/quota?year={monday.year}").json()
    assert quota["pending"] == 2 and quota["available"] == quota["total"] - quota["used"] - 2
    listed = staf.get("/api/leave/requests?status=pending").json()
    assert [r["id"] for r in listed] == [created.json()["id"]]
    cancelled = staf.post(f"/api/leave/requests/{created.json()['id']}/cancel", {"reason": "Tidak jadi"},
                          content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert ApprovalItem.objects.get().status == "cancelled"
    again = staf.post(f"/api/leave/requests/{created.json()['id']}/cancel", {}, content_type="application/json")
    assert again.status_code == 409


def test_no_employee_account_gets_403(org: Org) -> None:
    response = _client(org.operator_dinkes).get("/api/leave/quota")
    assert response.status_code == 403


def test_labels_follow_accept_language(org: Org) -> None:
    monday = clear_week()
    form = {"kind": "izin_penting", "start_date": monday.isoformat(), "end_date": monday.isoformat(),
            "reason": "Mengurus akta kelahiran anak"}
    assert _client(org.staf.user).post("/api/leave/requests", form).status_code == 201
    english = _client(org.staf.user, "en").get("/api/leave/requests").json()
    assert [(r["kind_label"], r["status_label"]) for r in english] == [
        ("Permission for important reasons", "Awaiting approval")]
    indonesian = _client(org.staf.user, "id").get("/api/leave/requests").json()
    assert [(r["kind_label"], r["status_label"]) for r in indonesian] == [("Izin alasan penting", "Menunggu persetujuan")]


def test_leave_a_man_is_not_entitled_to_is_refused_and_nothing_is_stored(org: Org) -> None:
    org.staf.sex = "L"
    org.staf.save(update_fields=["sex"])
    monday = clear_week()
    before = (LeaveRequest.objects.count(), ApprovalItem.objects.count(), AuditEntry.objects.count())
    form = {"kind": "cuti_melahirkan", "start_date": monday.isoformat(),
            "end_date": (monday + dt.timedelta(days=30)).isoformat(), "reason": "Persalinan"}
    answer = _client(org.staf.user).post("/api/leave/requests", form)
    assert answer.status_code == 400
    assert answer.json()["message"] == "Cuti melahirkan hanya untuk pegawai perempuan."
    assert _client(org.staf.user, "en").post("/api/leave/requests", form).json()["message"] == \
        "Maternity leave is for female employees only."
    assert (LeaveRequest.objects.count(), ApprovalItem.objects.count(), AuditEntry.objects.count()) == before
    offered = _client(org.staf.user).get("/api/leave/kinds")
    assert offered.status_code == 200
    assert "cuti_melahirkan" not in offered.content.decode() and "cuti_tahunan" in offered.content.decode()
