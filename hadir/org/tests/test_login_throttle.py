"""Password guessing: django-axes locks an account and an address out of the login page and the token endpoint;
ninja's throttling caps the token endpoint per address and authenticated calls per account."""

from __future__ import annotations

from typing import Any

from django.test import Client

from hadir.org.tokens import issue
from hadir.testing import PASSWORD, Org

LIMITS = {"AXES_FAILURE_LIMIT": 3, "HADIR_LOGIN_FAILURES_PER_ADDRESS": 5}


def page_login(username: str, password: str, address: str = "10.0.0.1", **extra: Any) -> Any:
    return Client(REMOTE_ADDR=address).post("/masuk/", {"username": username, "password": password}, **extra)


def token_login(username: str, password: str, address: str = "10.0.0.1", **extra: Any) -> Any:
    return Client(REMOTE_ADDR=address).post("/api/auth/token", {"username": username, "password": password},
                                            content_type="application/json", **extra)


def test_login_page_locks_the_account(org: Org, settings: Any) -> None:
    for name, value in LIMITS.items():
        setattr(settings, name, value)
    for _ in range(2):
        assert page_login("staf", "salah").status_code == 200  # the form again, with its error
    locked = page_login("staf", "salah")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)
    # the right password does not help now, from anywhere
    assert page_login("staf", PASSWORD, address="10.9.9.9").status_code == 429
    # another account from another address signs in
    assert page_login("guru", PASSWORD, address="10.0.0.2").status_code == 302


def test_token_endpoint_counts_failures_and_locks(org: Org, settings: Any) -> None:
    for name, value in LIMITS.items():
        setattr(settings, name, value)
    for _ in range(2):
        answer = token_login("staf", "salah")
        assert answer.status_code == 401 and answer.json()["code"] == "bad_credentials"
    locked = token_login("staf", "salah")
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out" and "Coba lagi dalam 15 menit" in locked.json()["message"]
    assert token_login("staf", PASSWORD, address="10.9.9.9").status_code == 429
    english = token_login("staf", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429 and "Too many failed sign-in attempts" in english.json()["message"]
    # the page shares the count: the account is locked there too
    assert page_login("staf", PASSWORD, address="10.7.7.7").status_code == 429


def test_address_is_locked_across_accounts(org: Org, settings: Any) -> None:
    """Guessing one password each for many accounts from one address: the address's own, higher limit."""
    for name, value in LIMITS.items():
        setattr(settings, name, value)
    for username in ("a1", "a2", "a3", "a4"):
        assert token_login(username, "salah", address="10.0.0.5").status_code == 401
    assert token_login("a5", "salah", address="10.0.0.5").status_code == 429
    assert token_login("guru", PASSWORD, address="10.0.0.5").status_code == 429
    assert token_login("guru", PASSWORD, address="10.0.0.6").status_code == 201


def test_forwarded_for_is_not_trusted_without_a_proxy(org: Org, settings: Any) -> None:
    for name, value in LIMITS.items():
        setattr(settings, name, value)
    for n in range(5):
        token_login(f"b{n}", "salah", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert token_login("guru", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_token_endpoint_rate_per_address(org: Org, settings: Any) -> None:
    settings.HADIR_API_TOKEN_RATE = "3/m"
    for _ in range(3):
        assert token_login("guru", PASSWORD).status_code == 201
    throttled = token_login("guru", PASSWORD)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled" and int(throttled["Retry-After"]) > 0
    assert token_login("guru", PASSWORD, address="10.0.0.2").status_code == 201


def test_authenticated_rate_per_account(org: Org, settings: Any) -> None:
    settings.HADIR_API_USER_RATE = "3/m"
    key = issue(org.staf.user, "HP")[0]
    other = issue(org.guru.user, "HP")[0]
    client = Client()
    for _ in range(3):
        assert client.get("/api/org/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/org/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 429
    assert client.get("/api/org/me", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200
    settings.HADIR_API_USER_RATE = ""
    assert client.get("/api/org/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_check_in_and_today_are_not_rate_limited(org: Org, settings: Any) -> None:
    """The hot path stays out of the per-account rate (its cost measured by bench/checkin.py)."""
    settings.HADIR_API_USER_RATE = "2/m"
    key = issue(org.staf.user, "HP")[0]
    client = Client()
    for _ in range(4):
        assert client.get("/api/presence/today", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
        assert client.post("/api/presence/checkins", {}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 422  # parsed, not throttled
    assert client.get("/api/presence/history", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/presence/history", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/presence/history", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 429
