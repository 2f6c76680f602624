"""POST /api/integrity/enrolments: who may enrol whom, the photo's refusals (4xx, nothing stored), re-enrolment."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.audit.models import AuditEntry
from hadir.integrity.models import FaceEnrolment
from hadir.org.tokens import issue_token

from .conftest import blank, photo, two_faces

pytestmark = pytest.mark.django_db


def post(user: Any, employee_id: Any, data: bytes | None, *, name: str = "wajah.jpg", lang: str = "id") -> Any:
    fields: dict[str, Any] = {"employee_id": employee_id}
    if data is not None:
        fields["photo"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return Client().post("/api/integrity/enrolments", fields,
                         headers={"Authorization": f"Bearer {issue_token(user, 'test')}", "Accept-Language": lang})


def stored_files() -> list[str]:
    folder = settings.MEDIA_ROOT / "wajah"
    return sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_operator_enrols_an_employee_of_their_opd(org: Any) -> None:
    r = post(org.operator_dinkes, org.staf.pk, photo("obama.jpg"))
    assert r.status_code == 201, r.content
    out = r.json()
    row = FaceEnrolment.objects.get()
    assert out == {"id": row.pk, "employee_id": org.staf.pk, "status": "approved", "source": "upload"}
    assert row.employee == org.staf and row.created_by == org.operator_dinkes
    assert row.decided_by == org.operator_dinkes and len(row.embedding) == 128
    assert (settings.MEDIA_ROOT / str(row.photo.name)).exists()
    assert set(AuditEntry.objects.filter(target_id=str(row.pk)).values_list("action", flat=True)) == {
        "face_enrolment.create", "face_enrolment.approve"}


def test_bkpsdm_admin_enrols_anyone(org: Any) -> None:
    r = post(org.admin_bkpsdm, org.guru.pk, photo("biden.jpg"))
    assert r.status_code == 201 and r.json()["status"] == "approved"


def test_re_enrolment_replaces_the_old_face_and_is_logged(org: Any) -> None:
    first = post(org.operator_dinkes, org.staf.pk, photo("obama.jpg")).json()["id"]
    second = post(org.admin_bkpsdm, org.staf.pk, photo("obama3.jpg")).json()["id"]
    statuses = dict(FaceEnrolment.objects.values_list("pk", "status"))
    assert statuses == {first: "replaced", second: "approved"}
    entry = AuditEntry.objects.get(action="face_enrolment.replace")
    assert entry.target_id == str(first) and entry.after["replaced_by"] == second
    assert entry.actor_name == org.admin_bkpsdm.username


@pytest.mark.parametrize(("image", "status", "code", "words"), [
    (blank, 422, "no_face", "Tidak ada wajah"),
    (two_faces, 422, "multiple_faces", "Terdeteksi 2 wajah"),
    (lambda: b"%PDF-1.4 surat", 422, "photo_type", "JPEG, PNG, atau WebP"),
    (lambda: b"", 422, "photo_empty", "kosong"),
])
def test_refused_photo_stores_nothing(org: Any, image: Any, status: int, code: str, words: str) -> None:
    r = post(org.operator_dinkes, org.staf.pk, image())
    assert r.status_code == status, r.content
    body = r.json()
    assert words in body["message"], body
    assert body["code"] == code
    assert not FaceEnrolment.objects.exists() and not stored_files()
    assert not AuditEntry.objects.filter(action__startswith="face_enrolment").exists()


def test_too_big_photo(org: Any, settings: Any) -> None:
    settings.HADIR_PHOTO_MAX_BYTES = 10_000
    r = post(org.operator_dinkes, org.staf.pk, photo("obama.jpg"))
    assert r.status_code == 413 and "melebihi batas" in r.json()["message"]
    assert not FaceEnrolment.objects.exists() and not stored_files()


def test_english_message(org: Any) -> None:
    r = post(org.operator_dinkes, org.staf.pk, two_faces(), lang="en")
    assert r.status_code == 422
    assert r.json()["message"] == "2 faces were detected in the photo. An enrolment photo must show one face only."


@pytest.mark.parametrize(("who", "whom", "status"), [
    ("operator_disdik", "staf", 404),  # another OPD's employee: not revealed
    ("operator_dinkes", "guru", 404),
    ("operator_dinkes", 999_999, 404),  # nobody
    ("staf", "staf", 403),  # an employee may not enrol (not even themself)
    ("kadis", "staf", 403),  # nor the head: enrolment is the operators' and BKPSDM's job
])
def test_scope(org: Any, who: str, whom: Any, status: int) -> None:
    user = getattr(org, who)
    user = getattr(user, "user", user)
    employee_id = getattr(org, whom).pk if isinstance(whom, str) else whom
    r = post(user, employee_id, photo("obama.jpg"))
    assert r.status_code == status, r.content
    assert not FaceEnrolment.objects.exists() and not stored_files()


def test_missing_photo_and_bad_employee_id(org: Any) -> None:
    assert post(org.operator_dinkes, org.staf.pk, None).status_code == 422
    assert post(org.operator_dinkes, "abc", photo("obama.jpg")).status_code == 422
    assert not FaceEnrolment.objects.exists()


def test_anonymous_is_401(org: Any) -> None:
    r = Client().post("/api/integrity/enrolments", {"employee_id": org.staf.pk})
    assert r.status_code == 401


def get(user: Any, path: str) -> Any:
    return Client().get(f"/api/integrity/enrolments{path}",
                        headers={"Authorization": f"Bearer {issue_token(user, 'test')}"})


def test_photo_streamed_only_in_scope(org: Any) -> None:
    enrolment_id = post(org.operator_dinkes, org.staf.pk, photo("obama.jpg")).json()["id"]
    r = get(org.operator_dinkes, f"/{enrolment_id}/photo")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"
    assert get(org.operator_dinkes, f"/{enrolment_id}").json()["status"] == "approved"
    assert get(org.operator_disdik, f"/{enrolment_id}/photo").status_code == 404
    assert get(org.staf.user, f"/{enrolment_id}/photo").status_code == 403
