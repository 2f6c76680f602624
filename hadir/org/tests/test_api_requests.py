"""How every router reads a request: the list endpoints' limit/offset, oversized and broken bodies, form data.

Whatever the client sends, the answer is a 4xx with the usual {"message", "errors"} body, never a 500.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.notify.services import notify
from hadir.pagination import MAX_OFFSET
from hadir.presence.models import CheckIn
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db

CSRF = "k" * 32  # an unmasked CSRF secret, as cookie and header


def login(username: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    assert client.login(username=username, password=PASSWORD)
    if csrf:
        client.cookies["csrftoken"] = CSRF
    return client


# (path, who may read it, its largest limit, whether it answers a bare JSON array)
LISTS = [
    ("/api/audit/entries", "bkpsdm", 1000, True),
    ("/api/approvals/inbox", "bkpsdm", 500, False),
    ("/api/leave/requests", "staf", 500, True),
    ("/api/notifications", "staf", 200, False),
    ("/api/org/employees", "bkpsdm", 1000, True),
    ("/api/dashboard/employees", "bkpsdm", 500, False),
]


@pytest.mark.parametrize(("path", "who", "max_limit", "bare"), LISTS, ids=[p[0] for p in LISTS])
def test_limit_and_offset_are_bounded(org: Org, path: str, who: str, max_limit: int, bare: bool) -> None:
    client = login(who)
    ok = client.get(path)
    assert ok.status_code == 200, ok.content
    assert isinstance(ok.json(), list) is bare
    bad = {
        "limit=0": "limit: harus lebih besar atau sama dengan 1",
        f"limit={max_limit + 1}": f"limit: harus lebih kecil atau sama dengan {max_limit}",
        "limit=banyak": "limit: harus berupa bilangan bulat",
        "offset=-1": "offset: harus lebih besar atau sama dengan 0",
        f"offset={10 ** 30}": f"offset: harus lebih kecil atau sama dengan {MAX_OFFSET}",
    }
    for query, message in bad.items():
        r = client.get(f"{path}?{query}")
        assert r.status_code == 422, (query, r.content[:300])
        assert message in r.json()["message"], (query, r.json())
        assert r.json()["errors"][0]["field"] in {"limit", "offset"}
    far = client.get(f"{path}?offset={MAX_OFFSET}&limit={max_limit}")
    assert far.status_code == 200, far.content
    assert (far.json() if bare else far.json()["items"]) == []


def test_pages_keep_the_answer_shape(org: Org) -> None:
    for subject in ("satu", "dua", "tiga"):
        notify(org.staf.user, subject, "")
    client = login("staf")
    first = client.get("/api/notifications?limit=2").json()
    assert first["unread"] == 3 and [i["subject"] for i in first["items"]] == ["tiga", "dua"]
    rest = client.get("/api/notifications?limit=2&offset=2").json()
    assert rest["unread"] == 3 and [i["subject"] for i in rest["items"]] == ["satu"]
    unread = client.get("/api/notifications?unread_only=true&limit=1").json()
    assert len(unread["items"]) == 1

    names = [e["name"] for e in login("bkpsdm").get("/api/org/employees?limit=1000").json()]
    window = login("bkpsdm").get("/api/org/employees?limit=3&offset=2").json()
    assert [e["name"] for e in window] == names[2:5]
    assert [e["name"] for e in login("bkpsdm").get("/api/org/employees?q=dewi").json()] == ["Dewi Lestari"]
    assert len(login("bkpsdm").get("/api/org/employees?q=").json()) == len(names)  # an empty filter filters nothing


def _checkin_fields(**extra: Any) -> dict[str, Any]:
    return {"kind": "masuk", "client_uuid": str(uuid.uuid4()), "latitude": "-3.7956312",
            "longitude": "102.2592718", **extra}


def test_oversized_multipart_is_413(org: Org) -> None:
    huge = _checkin_fields(device_id="x" * (3 * 1024 * 1024))  # form data beyond DATA_UPLOAD_MAX_MEMORY_SIZE
    for client in (login("staf"), login("staf", csrf=True)):  # with the session's CSRF check, the form is read first
        r = client.post("/api/presence/checkins", huge, headers={"X-CSRFToken": CSRF})
        assert r.status_code == 413, r.content[:300]
        assert r.json()["message"] == "Isi permintaan terlalu besar." and r.json()["code"] == "too_large"
    english = login("staf").post("/api/presence/checkins", huge, headers={"Accept-Language": "en"})
    assert english.status_code == 413 and english.json()["message"] == "The request body is too large."
    assert CheckIn.objects.count() == 0


def test_broken_multipart_is_400(org: Org) -> None:
    r = login("staf").post("/api/presence/checkins", b"kind=masuk", content_type="multipart/form-data")  # no boundary
    assert r.status_code == 400, r.content[:300]
    assert r.json()["message"] == "Isi permintaan tidak dapat dibaca." and r.json()["code"] == "bad_body"


def test_form_data_where_json_is_expected(org: Org) -> None:
    """A JSON-only operation sent a form: 400, whether or not the session's CSRF check read the form first."""
    for client in (login("staf"), login("staf", csrf=True)):
        r = client.post("/api/presence/checkins/batch", {"items": "x"}, headers={"X-CSRFToken": CSRF})
        assert r.status_code == 400, r.content[:300]
        assert r.json()["message"] == "Isi permintaan bukan JSON yang valid."


def test_a_form_operation_reads_a_json_object_too(org: Org, settings: Any) -> None:
    settings.HADIR_MOCK_LOCATION_POLICY = "flag"
    r = login("staf").post("/api/presence/checkins", _checkin_fields(accuracy_m=""))  # blank: not sent
    assert r.status_code == 201, r.content[:300]
    body = _checkin_fields(latitude=-3.7956312, longitude=102.2592718, mock_location=True)
    r = login("staf").post("/api/presence/checkins", body, content_type="application/json")
    assert r.status_code == 201, r.content[:300]
    assert CheckIn.objects.get(client_uuid=body["client_uuid"]).mock_location is True


def test_a_file_field_takes_one_file(org: Org) -> None:
    docs = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4 x", content_type="application/pdf") for i in range(2)]
    r = login("staf").post("/api/leave/requests", {"kind": "dinas_luar", "start_date": "2026-11-23",
                                                   "end_date": "2026-11-23", "reason": "x", "document": docs})
    assert r.status_code == 422, r.content[:300]
    assert r.json()["errors"] == [{"field": "document", "message": "Kirim paling banyak satu berkas untuk document."}]
