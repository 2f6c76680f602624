"""/api/approvals over HTTP: inbox, one decision, bulk (all or nothing), Plt/Plh management."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from hadir.approvals.models import ApprovalItem, Delegation
from hadir.audit.models import AuditEntry
from hadir.presence.models import CheckIn, Validity
from hadir.testing import Org

from .helpers import store_checkin


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_and_single_decision(org: Org) -> None:
    row = store_checkin(org.staf, flags=["mock_location"])
    store_checkin(org.staf_bidang)  # the kabid's, not the sekretaris's
    sek = _client(org.sekretaris.user)
    inbox = sek.get("/api/approvals/inbox").json()
    assert inbox["count"] == 1
    item = inbox["items"][0]
    assert item["employee"]["name"] == org.staf.name and item["checkin"]["fraud_flags"] == ["mock_location"]
    assert item["approver_position"] == org.sekretaris.position.name  # type: ignore[union-attr]

    no_reason = sek.post(f"/api/approvals/items/{item['id']}/decision", {"decision": "reject"},
                         content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    bad = sek.post(f"/api/approvals/items/{item['id']}/decision", {"decision": "maybe"},
                   content_type="application/json")
    assert bad.status_code == 422
    done = sek.post(f"/api/approvals/items/{item['id']}/decision",
                    {"decision": "reject", "reason": "Titik lokasi palsu"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "rejected"
    assert CheckIn.objects.get(pk=row.pk).validity == Validity.INVALID
    assert sek.get("/api/approvals/inbox").json()["count"] == 0
    staf = _client(org.staf.user)
    other = ApprovalItem.objects.exclude(pk=item["id"]).get()
    forbidden = staf.post(f"/api/approvals/items/{other.pk}/decision", {"decision": "approve"},
                          content_type="application/json")
    assert forbidden.status_code == 403
    missing = sek.post("/api/approvals/items/999999/decision", {"decision": "approve"},
                       content_type="application/json")
    assert missing.status_code == 404


def test_bulk_all_or_nothing_over_http(org: Org) -> None:
    ids = [ApprovalItem.objects.get(checkin=store_checkin(org.staf_bidang)).pk for _ in range(3)]
    foreign = ApprovalItem.objects.get(checkin=store_checkin(org.guru)).pk
    kabid = _client(org.kabid.user)
    refused = kabid.post("/api/approvals/bulk", {"ids": [*ids, foreign], "decision": "approve"},
                         content_type="application/json")
    assert refused.status_code == 403 and str(foreign) in refused.json()["message"]
    assert not CheckIn.objects.filter(validity=Validity.VALID).exists()
    ok = kabid.post("/api/approvals/bulk", {"ids": ids, "decision": "approve", "reason": "Sesuai"},
                    content_type="application/json")
    assert ok.status_code == 200 and ok.json()["decided"] == 3
    assert CheckIn.objects.filter(validity=Validity.VALID).count() == 3
    assert AuditEntry.objects.filter(action="checkin.valid").count() == 3
    empty = kabid.post("/api/approvals/bulk", {"ids": [], "decision": "approve"}, content_type="application/json")
    assert empty.status_code == 422


def test_delegations_managed_by_operator_in_scope(org: Org) -> None:
    op = _client(org.operator_dinkes)
    today = dt.date.today()
    payload = {"position_id": org.kabid.position_id, "delegate_id": org.sekretaris.pk, "kind": "plh",
               "start_date": today.isoformat(), "end_date": (today + dt.timedelta(days=3)).isoformat(),
               "decree_number": "800/12/DINKES/2026"}
    created = op.post("/api/approvals/delegations", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert AuditEntry.objects.filter(action="delegation.create").exists()
    reversed_dates = op.post("/api/approvals/delegations", {**payload, "end_date": "2000-01-01"},
                             content_type="application/json")
    assert reversed_dates.status_code == 400
    self_delegate = op.post("/api/approvals/delegations", {**payload, "delegate_id": org.kabid.pk},
                            content_type="application/json")
    assert self_delegate.status_code == 400
    other_opd = _client(org.operator_disdik).post("/api/approvals/delegations", payload,
                                                   content_type="application/json")
    assert other_opd.status_code == 404  # out of scope: not even visible
    assert [d["id"] for d in op.get("/api/approvals/delegations").json()] == [created.json()["id"]]
    assert _client(org.operator_disdik).get("/api/approvals/delegations").json() == []
    assert _client(org.staf.user).get("/api/approvals/delegations").status_code == 403
    assert op.delete(f"/api/approvals/delegations/{created.json()['id']}").status_code == 204
    assert not Delegation.objects.exists()


def test_selfie_only_for_the_approver(org: Org) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 120, 80)).save(buf, "JPEG")
    row = store_checkin(org.staf, photo=SimpleUploadedFile("s.jpg", buf.getvalue(), content_type="image/jpeg"))
    item = ApprovalItem.objects.get(checkin=row)
    body = _client(org.sekretaris.user).get("/api/approvals/inbox").json()
    assert body["items"][0]["checkin"]["photo_url"] == f"/persetujuan/{item.pk}/foto/"
    shown = _client(org.sekretaris.user).get(f"/persetujuan/{item.pk}/foto/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    for other in (org.kabid.user, org.guru.user, org.operator_disdik):
        assert _client(other).get(f"/persetujuan/{item.pk}/foto/").status_code == 404


def test_policy_api_scoped_and_audited(org: Org) -> None:
    op = _client(org.operator_dinkes)
    shown = op.get(f"/api/approvals/policies/{org.dinkes.pk}").json()
    assert shown["inherited"] is True and shown["mode"] == "flagged"  # the settings default
    changed = op.put(f"/api/approvals/policies/{org.dinkes.pk}", {"mode": "all", "escalate_after_days": 2},
                     content_type="application/json")
    assert changed.status_code == 200 and changed.json() == {
        "unit_id": org.dinkes.pk, "unit_name": org.dinkes.name, "mode": "all", "escalate_after_days": 2,
        "inherited": False}
    assert AuditEntry.objects.filter(action="approval.policy").count() == 1
    assert store_checkin(org.staf, flags=[]).validity == Validity.PENDING  # "all" now applies to Dinkes
    assert op.get(f"/api/approvals/policies/{org.pemda.pk}").status_code == 404  # the regency is BKPSDM's
    assert op.get(f"/api/approvals/policies/{org.disdik.pk}").status_code == 404
    sub = op.get(f"/api/approvals/policies/{org.dinkes_bidang.pk}")
    assert sub.status_code == 400
    bad = op.put(f"/api/approvals/policies/{org.dinkes.pk}", {"mode": "kadang"}, content_type="application/json")
    assert bad.status_code == 422
    bk = _client(org.admin_bkpsdm)
    assert bk.put(f"/api/approvals/policies/{org.pemda.pk}", {"mode": "apel"},
                  content_type="application/json").json()["mode"] == "apel"
    assert _client(org.staf.user).get(f"/api/approvals/policies/{org.dinkes.pk}").status_code == 403
