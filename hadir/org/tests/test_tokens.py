"""API tokens expire, die with a password change, are listed and revoked by their owner and by BKPSDM (API,
page, admin), never show their key again; the lookup stays one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hadir.org.models import ApiToken
from hadir.org.tokens import issue, user_for_token
from hadir.testing import PASSWORD, Clock, Org, make_admin


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def sign_in(username: str, password: str = PASSWORD, label: str = "HP uji", **extra: Any) -> Any:
    return Client().post("/api/auth/token", {"username": username, "password": password, "label": label},
                         content_type="application/json", **extra)


def test_token_expires_after_the_configured_days(org: Org, clock: Clock, settings: Any) -> None:
    settings.HADIR_API_TOKEN_DAYS = 30
    answer = sign_in("staf")
    assert answer.status_code == 201
    body = answer.json()
    assert set(body) == {"token", "token_type", "id", "expires_at"}
    assert dt.datetime.fromisoformat(body["expires_at"]) == clock.now + dt.timedelta(days=30)
    client = Client()
    assert client.get("/api/org/me", headers=bearer(body["token"])).status_code == 200
    clock.shift(dt.timedelta(days=30, seconds=1))
    assert client.get("/api/org/me", headers=bearer(body["token"])).status_code == 401


def test_zero_days_means_until_revoked(org: Org, settings: Any) -> None:
    settings.HADIR_API_TOKEN_DAYS = 0
    assert sign_in("staf").json()["expires_at"] is None


def test_password_change_revokes_tokens(org: Org) -> None:
    key = sign_in("staf").json()["token"]
    client = Client()
    assert client.get("/api/presence/today", headers=bearer(key)).status_code == 200
    user = org.staf.user
    assert user is not None
    user.set_password("Sandi-Baru-2026!")
    user.save()
    assert client.get("/api/presence/today", headers=bearer(key)).status_code == 401
    assert client.get("/api/auth/tokens", headers=bearer(sign_in("staf", "Sandi-Baru-2026!").json()["token"])).json()


def test_lookup_is_one_query(org: Org) -> None:
    key, _token = issue(org.staf.user, "HP")
    with CaptureQueriesContext(connection) as queries:
        user = user_for_token(key)
    assert user is not None and user.employee.pk == org.staf.pk
    # one SELECT; the first use also writes last_used_at (at most every 5 minutes)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "UPDATE"]
    with CaptureQueriesContext(connection) as queries:
        assert user_for_token(key) is not None
    assert len(queries.captured_queries) == 1


def test_owner_lists_and_revokes_tokens(org: Org) -> None:
    first = sign_in("staf", label="HP lama").json()
    second = sign_in("staf", label="HP baru").json()
    client = Client()
    listed = client.get("/api/auth/tokens", headers=bearer(second["token"])).json()
    assert [t["label"] for t in listed] == ["HP baru", "HP lama"]
    assert listed[0]["current"] and not listed[1]["current"]
    assert all(set(t) == {"id", "label", "created_at", "last_used_at", "expires_at", "current"} for t in listed)
    assert first["token"] not in str(listed) and "hash" not in str(listed)
    # someone else's token: 404, not revoked
    other = sign_in("guru").json()
    assert client.delete(f"/api/auth/tokens/{other['id']}", headers=bearer(second["token"])).status_code == 404
    assert client.get("/api/org/me", headers=bearer(other["token"])).status_code == 200
    assert client.delete(f"/api/auth/tokens/{first['id']}", headers=bearer(second["token"])).status_code == 204
    assert client.get("/api/org/me", headers=bearer(first["token"])).status_code == 401
    assert client.delete(f"/api/auth/tokens/{first['id']}", headers=bearer(second["token"])).status_code == 404


def test_owner_page(org: Org) -> None:
    token = sign_in("staf", label="HP Samsung A14").json()
    client = Client()
    assert client.login(username="staf", password=PASSWORD)
    page = client.get("/akun/token/")
    assert page.status_code == 200 and "HP Samsung A14" in page.content.decode()
    assert token["token"] not in page.content.decode()
    other = sign_in("guru").json()
    assert client.post(f"/akun/token/{other['id']}/cabut/").status_code == 404
    assert client.post(f"/akun/token/{token['id']}/cabut/").status_code == 302
    assert not ApiToken.objects.filter(pk=token["id"], revoked=False).exists()


def test_bkpsdm_lists_and_revokes_in_scope(org: Org) -> None:
    staf = sign_in("staf").json()
    guru = sign_in("guru").json()
    narrow = make_admin("bkpsdm_dinkes", "admin_bkpsdm", org.dinkes)
    narrow_key = issue(narrow, "laptop")[0]
    regency_key = issue(org.admin_bkpsdm, "laptop")[0]
    client = Client()
    listed = client.get("/api/org/tokens", headers=bearer(narrow_key)).json()
    ids = {t["id"] for t in listed}
    assert staf["id"] in ids and guru["id"] not in ids
    assert all("hash" not in k and "token" != k for t in listed for k in t)
    assert client.delete(f"/api/org/tokens/{guru['id']}", headers=bearer(narrow_key)).status_code == 404
    assert client.delete(f"/api/org/tokens/{staf['id']}", headers=bearer(narrow_key)).status_code == 204
    assert client.get("/api/org/me", headers=bearer(staf["token"])).status_code == 401
    assert client.delete(f"/api/org/tokens/{guru['id']}", headers=bearer(regency_key)).status_code == 204
    # operators and staff: not theirs to manage
    op_key = issue(org.operator_dinkes, "laptop")[0]
    assert client.get("/api/org/tokens", headers=bearer(op_key)).status_code == 403
    assert client.delete(f"/api/org/tokens/{staf['id']}", headers=bearer(op_key)).status_code == 403


def test_bkpsdm_revokes_in_the_admin(org: Org) -> None:
    staf = sign_in("staf").json()
    guru = sign_in("guru").json()
    narrow = make_admin("bkpsdm_dinkes", "admin_bkpsdm", org.dinkes)
    narrow.is_staff = True
    narrow.save()
    client = Client()
    assert client.login(username="bkpsdm_dinkes", password=PASSWORD)
    page = client.get("/admin/org/apitoken/").content.decode()
    assert f"/admin/org/apitoken/{staf['id']}/change/" in page
    assert f"/admin/org/apitoken/{guru['id']}/change/" not in page
    detail = client.get(f"/admin/org/apitoken/{staf['id']}/change/").content.decode()
    hashed = ApiToken.objects.get(pk=staf["id"]).key_hash
    assert hashed not in detail and staf["token"] not in detail
    assert client.get(f"/admin/org/apitoken/{guru['id']}/change/").status_code in (302, 404)
    client.post("/admin/org/apitoken/", {"action": "revoke_tokens", "_selected_action": [staf["id"], guru["id"]]})
    assert ApiToken.objects.get(pk=staf["id"]).revoked
    assert not ApiToken.objects.get(pk=guru["id"]).revoked  # outside the admin's scope
    op = Client()
    assert op.login(username="op_dinkes", password=PASSWORD)
    assert op.get("/admin/org/apitoken/").status_code == 403


@pytest.mark.django_db
def test_migration_keeps_old_tokens_alive(org: Org) -> None:
    """Tokens issued before expiry existed get the current password's hash: the upgrade signs no phone out."""
    key, token = issue(org.staf.user, "lama")
    ApiToken.objects.filter(pk=token.pk).update(session_hash="", expires_at=None)
    from importlib import import_module

    from django.apps import apps

    import_module("hadir.org.migrations.0005_apitoken_expiry").fill(apps, None)
    assert user_for_token(key) is not None
    assert ApiToken.objects.get(pk=token.pk).expires_at is not None
