"""Bad input is a 4xx with a message, never a 500, and writes nothing: NUL characters anywhere (PostgreSQL
cannot store them), overflowing or negative numbers, wrong types."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hadir.org.models import ApiToken
from hadir.presence.models import CheckIn
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(org: Org) -> str:
    answer = Client().post("/api/auth/token", {"username": "staf", "password": PASSWORD},
                           content_type="application/json")
    assert answer.status_code == 201
    return str(answer.json()["token"])


# (what, method, path, body, content type, status)
NUL_CASES = [
    ("token username in JSON", "post", "/api/auth/token", '{"username": "st\\u0000af", "password": "x"}',
     "application/json", 400),
    ("token username as a form", "post", "/api/auth/token", "username=st%00af&password=x",
     "application/x-www-form-urlencoded", 400),
    ("check-in device_id", "post", "/api/presence/checkins",
     '{"kind": "masuk", "latitude": -3.8, "longitude": 102.26, "device_id": "hp\\u0000-1"}', "application/json", 400),
    ("text filter in the query", "get", "/api/org/employees?q=%00", None, None, 400),
    ("leave reason", "post", "/api/leave/requests",
     '{"kind": "izin_sakit", "start_date": "2026-11-23", "end_date": "2026-11-23", "reason": "demam\\u0000"}', "application/json", 400),
]


@pytest.mark.parametrize(("what", "method", "path", "body", "ctype", "status"), NUL_CASES,
                         ids=[c[0] for c in NUL_CASES])
def test_nul_characters_are_a_400_with_a_message(org: Org, token: str, what: str, method: str, path: str,
                                                 body: str | None, ctype: str | None, status: int) -> None:
    before = (ApiToken.objects.count(), CheckIn.objects.count())
    client = Client(headers={"Authorization": f"Bearer {token}"})
    answer = client.get(path) if method == "get" else client.post(path, body, content_type=ctype or "")
    assert answer.status_code == status
    assert answer.json()["message"] == "Masukan berisi karakter NUL (\\0) yang tidak diizinkan."
    assert (ApiToken.objects.count(), CheckIn.objects.count()) == before


def test_nul_message_in_english_when_asked(org: Org) -> None:
    answer = Client().post("/api/auth/token", '{"username": "\\u0000", "password": "x"}',
                           content_type="application/json", headers={"Accept-Language": "en"})
    assert answer.status_code == 400
    assert answer.json()["message"] == "The input contains a NUL character (\\0), which is not allowed."


def test_login_page_with_nul_is_refused(org: Org) -> None:
    client = Client()
    answer = client.post("/masuk/", "username=staf%00&password=x", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400
    assert "NUL" in answer.content.decode()
    # multipart: Django's form validator refuses the field, the page answers with the form again
    answer = client.post("/masuk/", {"username": "staf\x00", "password": PASSWORD})
    assert answer.status_code == 200 and "_auth_user_id" not in client.session


def test_a_document_with_zero_bytes_is_not_mistaken_for_nul_input(org: Org) -> None:
    """Binary uploads carry NUL bytes; only the text fields of a multipart body are inspected."""
    client = Client()
    assert org.staf.user is not None
    client.force_login(org.staf.user)
    today = timezone.localdate()
    upload = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n\x00\x01\x02\n%%EOF", content_type="application/pdf")
    answer = client.post("/api/leave/requests", {"kind": "izin_sakit", "start_date": today, "end_date": today,
                                                 "reason": "demam", "document": upload})
    assert answer.status_code == 201, answer.content


# (query, status): limit/offset beyond the integer range or of the wrong type → 422 naming the parameter
PAGE_CASES = [
    ("offset=9223372036854775808", 422), ("offset=99999999999999999999999", 422), ("offset=-1", 422),
    ("limit=-1", 422), ("limit=0", 422), ("limit=abc", 422), ("offset=1.5", 422), ("limit=10&offset=0", 200),
]


@pytest.mark.parametrize(("query", "status"), PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_pagination_out_of_range_is_a_422(org: Org, query: str, status: int) -> None:
    client = Client()
    client.force_login(org.admin_bkpsdm)
    answer = client.get(f"/api/org/employees?{query}")
    assert answer.status_code == status, answer.content
    if status == 422:
        assert answer.json()["message"].startswith("Data tidak valid")


def test_wrong_types_are_a_422_with_the_field(org: Org, token: str) -> None:
    answer = Client(headers={"Authorization": f"Bearer {token}"}).post(
        "/api/presence/checkins", {"kind": "masuk", "latitude": "utara", "longitude": []},
        content_type="application/json")
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} >= {"latitude"}
    assert CheckIn.objects.count() == 0


def test_body_over_the_limit_is_a_413(org: Org, token: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    answer = Client(headers={"Authorization": f"Bearer {token}"}).post(
        "/api/presence/checkins", '{"kind": "masuk", "note": "' + "x" * 20_000 + '"}', content_type="application/json")
    assert answer.status_code == 413
    assert answer.json()["message"]


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/approvals/items/3634944795886441066793034317824/decision"),
    ("get", "/api/leave/requests/99999999999999999999999999"),
])
def test_ids_beyond_the_integer_range_are_a_4xx(org: Org, method: str, path: str) -> None:
    client = Client()
    client.force_login(org.admin_bkpsdm)
    answer = client.get(path) if method == "get" else client.post(
        path, {"decision": "approve", "reason": "x"}, content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.content
    assert answer.json()["message"]


def test_bulk_ids_beyond_the_integer_range_are_a_4xx(org: Org) -> None:
    client = Client()
    client.force_login(org.admin_bkpsdm)
    answer = client.post("/api/approvals/bulk", {"decision": "reject", "reason": "x", "ids": [2**96]},
                         content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.content
