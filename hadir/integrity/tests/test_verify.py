"""The verification of check-in selfies (hadir.integrity.tasks): run after the outbox drain, it stores a FaceCheck,
flags suspect check-ins for the atasan and never rejects."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.approvals.models import ApprovalItem
from hadir.audit.models import AuditEntry
from hadir.integrity import services, tasks
from hadir.integrity.models import FaceCheck
from hadir.org.models import Employee
from hadir.org.tokens import issue_token
from hadir.presence.models import CheckIn
from hadir.testing import Clock

from .conftest import DATA, blank, jpeg, phone_selfie, photo, two_faces

pytestmark = pytest.mark.django_db

NEAR_DINKES = (-3.7956312, 102.2592718)


def check_in(employee: Any, selfie: bytes, kind: str = "masuk") -> Any:
    data: dict[str, Any] = {"kind": kind, "client_uuid": str(uuid.uuid4()), "client_time": "2026-11-23T07:15:02+07:00",
            "latitude": NEAR_DINKES[0], "longitude": NEAR_DINKES[1], "accuracy_m": 12.5, "device_id": "android-1",
            "photo": SimpleUploadedFile("selfie.jpg", selfie, content_type="image/jpeg")}
    r = Client().post("/api/presence/checkins", data,
                      headers={"Authorization": f"Bearer {issue_token(employee.user, 'hp')}"})
    assert r.status_code == 201, r.content
    assert r.json()["verdict"] == "accepted"
    return CheckIn.objects.get(client_uuid=data["client_uuid"])


@pytest.fixture
def enrolled(org: Any) -> Any:
    """Dewi (org.staf) enrolled with a photo of Barack Obama (the test photos are of public figures)."""
    upload = SimpleUploadedFile("wajah.jpg", photo("obama.jpg"), content_type="image/jpeg")
    return services.enrol(org.staf, upload, org.operator_dinkes)


@pytest.mark.parametrize(("selfie", "flag", "faces", "routed"), [
    (lambda: phone_selfie("obama3.jpg"), "", 1, False),  # the same person, another photo, sent as a phone does
    (lambda: photo("biden.jpg"), "face_mismatch", 1, True),
    (blank, "no_face", 0, True),
    (two_faces, "multiple_faces", 2, True),
])
def test_selfie_checked_after_check_in(org: Any, enrolled: Any, clock: Clock,
                                       django_capture_on_commit_callbacks: Any, selfie: Any, flag: str, faces: int,
                                       routed: bool) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = check_in(org.staf, selfie())
    row.refresh_from_db()
    check = FaceCheck.objects.get(checkin=row)
    assert (check.flag, check.faces, check.enrolment_id) == (flag, faces, enrolled.pk)
    assert row.verdict == "accepted"  # never rejected by the face match
    if routed:
        assert row.fraud_flags == [flag] and row.validity == "pending"
        item = ApprovalItem.objects.get(checkin=row)
        assert item.employee == org.staf and item.status == "pending"
        assert AuditEntry.objects.filter(action="integrity.face_flag", target_id=str(row.pk)).exists()
    else:
        assert row.fraud_flags == [] and row.validity == "not_required"
        assert not ApprovalItem.objects.filter(checkin=row).exists()


def test_mismatch_keeps_the_distance(org: Any, enrolled: Any, clock: Clock,
                                     django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        same = check_in(org.staf, photo("obama3.jpg"))
        clock.shift(dt.timedelta(hours=9))
        other = check_in(org.staf, photo("biden.jpg"), "pulang")
    near, far = FaceCheck.objects.get(checkin=same), FaceCheck.objects.get(checkin=other)
    assert near.distance is not None and far.distance is not None and near.threshold is not None
    assert near.distance < near.threshold == 0.53 < far.distance
    assert far.flag == "face_mismatch"


def test_not_enrolled_is_no_alarm(org: Any, clock: Clock, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = check_in(org.staf, photo("biden.jpg"))
    row.refresh_from_db()
    assert FaceCheck.objects.get(checkin=row).flag == "not_enrolled"
    assert row.fraud_flags == [] and not ApprovalItem.objects.filter(checkin=row).exists()


def test_verification_is_idempotent(org: Any, enrolled: Any, clock: Clock,
                                    django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = check_in(org.staf, photo("biden.jpg"))
    assert tasks.verify([row.pk]) == []
    CheckIn.objects.filter(pk=row.pk).update(fraud_flags=["face_mismatch"])
    FaceCheck.objects.all().delete()
    tasks.verify([row.pk])  # checked again (its FaceCheck was lost): the flag is not doubled
    row.refresh_from_db()
    assert row.fraud_flags == ["face_mismatch"]
    assert ApprovalItem.objects.filter(checkin=row).count() == 1


def test_lost_task_is_caught_up(org: Any, enrolled: Any, clock: Clock) -> None:
    row = check_in(org.staf, photo("biden.jpg"))  # no commit in a test: the task was never queued
    assert not FaceCheck.objects.exists()
    assert tasks.verify_missing() == 0  # too young: probably still in the queue
    clock.shift(dt.timedelta(minutes=3))
    assert tasks.verify_missing() == 1
    assert FaceCheck.objects.get(checkin=row).flag == "face_mismatch"


def test_check_in_without_selfie_is_not_checked(org: Any, enrolled: Any, clock: Clock,
                                                django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post("/api/presence/checkins", {
            "kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": NEAR_DINKES[0],
            "longitude": NEAR_DINKES[1], "accuracy_m": 10, "device_id": "android-1"},
            headers={"Authorization": f"Bearer {issue_token(org.staf.user, 'hp')}"})
    assert r.status_code == 201
    assert not FaceCheck.objects.exists()


def test_face_flags_have_words() -> None:
    from hadir.presence.fraud import FLAG_LABELS

    assert str(FLAG_LABELS["face_mismatch"]) == "Wajah tidak cocok dengan rekam wajah"


def test_a_selfie_sent_after_its_offline_check_in_is_verified(org: Any, enrolled: Any, clock: Clock,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    headers = {"Authorization": f"Bearer {issue_token(org.staf.user, 'hp')}"}
    item = {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "captured_at": clock.now.isoformat(),
            "latitude": NEAR_DINKES[0], "longitude": NEAR_DINKES[1], "accuracy_m": 12.5, "device_id": "android-1"}
    clock.shift(dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post("/api/presence/checkins/batch", {"items": [item]}, content_type="application/json",
                             headers=headers).status_code == 200
        r = Client().post(f"/api/presence/checkins/{item['client_uuid']}/photo",
                          {"photo": SimpleUploadedFile("s.jpg", photo("biden.jpg"), content_type="image/jpeg")},
                          headers=headers)
    assert r.status_code == 200, r.content
    row = CheckIn.objects.get(client_uuid=str(item["client_uuid"]))
    assert FaceCheck.objects.get(checkin=row).flag == "face_mismatch" and "face_mismatch" in row.fraud_flags


def test_the_atasan_sees_the_selfie_beside_the_enrolled_face(org: Any, enrolled: Any, clock: Clock,
                                                             django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = check_in(org.staf, photo("biden.jpg"))
    item = ApprovalItem.objects.get(checkin=row)
    approver = Employee.objects.get(position_id=item.approver_position_id or 0)  # the atasan it waits for
    assert approver.user is not None
    c = Client()
    c.force_login(approver.user)
    html = c.get("/persetujuan/").content.decode()
    assert f"/persetujuan/{item.pk}/foto/" in html and f"/integritas/persetujuan/{item.pk}/wajah/" in html
    face = c.get(f"/integritas/persetujuan/{item.pk}/wajah/")
    assert face.status_code == 200 and face["Content-Type"] == "image/jpeg"
    other = Client()
    other.force_login(org.guru.user)
    assert other.get(f"/integritas/persetujuan/{item.pk}/wajah/").status_code == 404


def test_the_same_photo_sent_again_is_flagged(org: Any, enrolled: Any, clock: Clock,
                                              django_capture_on_commit_callbacks: Any) -> None:
    """A colleague's phone with Dewi's photo in its gallery: the same picture (re-encoded, resized) on another day
    and for another employee is `reused_photo`; a fresh photo of the same person is not."""
    from PIL import Image

    from hadir.integrity.tasks import REUSED_PHOTO

    with django_capture_on_commit_callbacks(execute=True):
        first = check_in(org.staf, photo("obama3.jpg"))
    clock.shift(dt.timedelta(days=1))
    resized = jpeg(Image.open(DATA / "obama3.jpg").resize((300, 300)), quality=70)
    with django_capture_on_commit_callbacks(execute=True):
        again = check_in(org.staf, resized)
        other = check_in(org.kabid, photo("obama3.jpg"))
        fresh = check_in(org.sekretaris, photo("obama.jpg"))
    for row in (first, again, other, fresh):
        row.refresh_from_db()
    assert REUSED_PHOTO not in first.fraud_flags
    assert REUSED_PHOTO in again.fraud_flags and REUSED_PHOTO in other.fraud_flags
    assert REUSED_PHOTO not in fresh.fraud_flags  # another photo (of the same face) is not a reuse
    assert ApprovalItem.objects.filter(checkin=again).exists()
