"""Koreksi presensi through the API: filed by the employee or by an operator for staff without a phone, limited
per month, decided in the approval tiers; an approved one makes the day present and marks it corrected."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from hadir.approvals.models import ApprovalItem, ApprovalPolicy
from hadir.audit.models import AuditEntry
from hadir.org.tokens import issue_token
from hadir.presence import outbox
from hadir.presence.models import Correction, DailyStatus
from hadir.testing import Clock, Org

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)  # the clock's day (07:15 WIB)
FRIDAY = dt.date(2026, 11, 20)


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(buf, format="PNG")
    return SimpleUploadedFile("absen.png", buf.getvalue(), content_type="image/png")


def api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user)}"})


def file(user: Any, day: dt.date = FRIDAY, kind: str = "masuk", time: str = "07:20", evidence: Any = "png",
         **extra: Any) -> Any:
    data: dict[str, Any] = {"date": day.isoformat(), "kind": kind, "time": time, "reason": "Lupa absen", **extra}
    if evidence == "png":
        data["evidence"] = png()
    elif evidence is not None:
        data["evidence"] = evidence
    return api(user).post("/api/approvals/corrections", data)


def test_filed_decided_and_the_day_is_present_and_marked(org: Org, clock: Clock) -> None:
    outbox.mark_days([(org.staf.pk, FRIDAY)], "close_day", close=True)
    outbox.drain()
    assert DailyStatus.objects.get(employee=org.staf, date=FRIDAY).status == "tk"
    r = file(org.staf.user)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["time"], body["filed_by_someone_else"]) == ("pending", "07:20:00", False)
    inbox = api(org.sekretaris.user).get("/api/approvals/inbox").json()["items"]  # the direct atasan
    [item] = [i for i in inbox if i["kind"] == "correction"]
    assert item["correction"]["reason"] == "Lupa absen" and item["correction"]["evidence_url"]
    evidence = api(org.sekretaris.user).get(item["correction"]["evidence_url"])
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/png"
    decided = api(org.sekretaris.user).post(f"/api/approvals/items/{item['id']}/decision",
                                            {"decision": "approve"}, content_type="application/json")
    assert decided.status_code == 200, decided.content
    outbox.drain()
    day = DailyStatus.objects.get(employee=org.staf, date=FRIDAY)
    assert day.status != "tk" and day.corrected and day.first_in is not None
    assert api(org.staf.user).get(f"/api/approvals/corrections/{body['id']}").json()["status"] == "approved"
    assert {"correction.file", "correction.approve"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_operator_files_for_staff_in_their_opd_only(org: Org, clock: Clock) -> None:
    r = file(org.operator_dinkes, employee_id=org.staf.pk)
    assert r.status_code == 201 and r.json()["filed_by_someone_else"] is True
    other = file(org.operator_dinkes, employee_id=org.guru.pk)  # Dinas Pendidikan
    assert other.status_code == 404
    assert Correction.objects.count() == 1


BAD = [
    ({"day": MONDAY + dt.timedelta(days=1)}, 400, "date"),  # tomorrow
    ({"day": MONDAY - dt.timedelta(days=40)}, 400, "date"),  # too late
    ({"kind": "apel_pagi"}, 422, "kind"),
    ({"time": "25:00"}, 422, "time"),
    ({"evidence": None}, 400, "evidence"),
    ({"evidence": SimpleUploadedFile("x.pdf", b"<html>bukan pdf</html>")}, 400, "evidence"),
]


@pytest.mark.parametrize(("kw", "status", "field"), BAD)
def test_bad_input_is_refused_and_nothing_is_stored(org: Org, clock: Clock, kw: dict[str, Any], status: int,
                                                    field: str) -> None:
    r = file(org.staf.user, **kw)
    assert r.status_code == status, r.content
    assert field in r.content.decode()
    assert not Correction.objects.exists() and not ApprovalItem.objects.exists()


def test_the_monthly_limit_the_regency_sets(org: Org, clock: Clock) -> None:
    ApprovalPolicy.objects.create(unit=org.pemda, correction_monthly_limit=2)
    assert file(org.staf.user, day=dt.date(2026, 11, 16)).status_code == 201
    assert file(org.staf.user, day=dt.date(2026, 11, 17)).status_code == 201
    third = file(org.staf.user, day=dt.date(2026, 11, 18))
    assert third.status_code == 409 and "Batas koreksi" in third.json()["message"]
    assert file(org.staf.user, day=dt.date(2026, 10, 30)).status_code == 201  # another month
    assert file(org.staf.user, day=dt.date(2026, 10, 30)).status_code == 409  # the same one twice


def test_cancel_and_who_sees_a_correction(org: Org, clock: Clock) -> None:
    created = file(org.staf.user).json()
    assert api(org.guru.user).get(f"/api/approvals/corrections/{created['id']}").status_code == 404
    assert api(org.operator_disdik).get(f"/api/approvals/corrections/{created['id']}/evidence").status_code == 404
    assert api(org.operator_dinkes).get(f"/api/approvals/corrections/{created['id']}").status_code == 200
    cancelled = api(org.staf.user).post(f"/api/approvals/corrections/{created['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert not ApprovalItem.objects.filter(status="pending").exists()
    again = api(org.staf.user).post(f"/api/approvals/corrections/{created['id']}/cancel")
    assert again.status_code == 409
