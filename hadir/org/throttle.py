"""Guessing passwords is slowed down twice over.

1. **django-axes** counts failed logins — the pages (`/masuk/`, `/m/masuk/`, the admin's login: Django's
   LoginView) and the token endpoint (`POST /api/auth/token`: `services.sign_in` calls `authenticate` with the
   request, the way axes documents for non-form logins) — per account and per address, and refuses further
   attempts for `HADIR_LOGIN_LOCKOUT_MINUTES` once either count reaches its limit, before any password is hashed.
   The two limits differ (`HADIR_LOGIN_FAILURES_PER_ACCOUNT`, `HADIR_LOGIN_FAILURES_PER_ADDRESS`): a whole office
   shares one public address behind its router, so the address may fail more often than one account.
2. **django-ninja's throttling** (`ninja.throttling`) caps the request rate of the API: the token endpoint per
   address (`HADIR_API_TOKEN_RATE`), authenticated calls per account (`HADIR_API_USER_RATE`). The check-in and
   today endpoints are left out of the per-account rate (see `PerAccountThrottle`).
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.throttling import SimpleRateThrottle

from hadir.errors import error_body

API_PREFIX = "/api/"


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' backend, first in AUTHENTICATION_BACKENDS: refuses a locked-out account or address before the
    password is checked. A call without a request (Django's test client, a management command) is no HTTP login
    and has nothing to count: it passes on to the next backend instead of failing."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per lockout parameter: AXES_FAILURE_LIMIT (per account) for the
    username, HADIR_LOGIN_FAILURES_PER_ADDRESS for the address. axes compares the largest count of the
    parameters with one limit, so the address's count is scaled to that limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        account_limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = int(getattr(settings, "HADIR_LOGIN_FAILURES_PER_ADDRESS", account_limit))
        worst = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address" and address_limit != account_limit:
                failures = failures * account_limit // address_limit
            worst = max(worst, failures)
        return worst


def _minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(request: HttpRequest) -> str:
    minutes = _minutes(request)
    if not minutes:
        return _("Terlalu banyak percobaan masuk yang gagal. Akun atau alamat ini dikunci; hubungi admin BKPSDM.")
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit, atau hubungi admin "
             "BKPSDM bila Anda lupa kata sandi.") % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: 429 with Retry-After — the API's error shape under /api/, a page elsewhere."""
    message = lockout_message(request)
    response: HttpResponse
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({**error_body(message), "code": "locked_out"}, status=429)
    else:
        response = render(request, "org/locked_out.html", {"message": message}, status=429)
    minutes = _minutes(request)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


class _SettingRate(SimpleRateThrottle):
    """A ninja SimpleRateThrottle whose rate is a setting read on each request ("30/m"; empty: no limit), so tests
    and deployments change it without a restart of the API object. ninja's own keeps the request's key and
    history on the instance, which one API-wide instance shares between a worker's threads (granian runs 2):
    here they live in locals and a thread-local."""

    setting = ""

    def __init__(self) -> None:
        super().__init__("1/s")  # parsed for real per request
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        rate = str(getattr(settings, self.setting, "") or "")
        if not rate:
            return True
        key = self.get_cache_key(request)
        if key is None:
            return True
        num_requests, duration = self.parse_rate(rate)
        assert num_requests is not None and duration is not None
        history: list[float] = self.cache.get(key, [])
        now = time.time()
        while history and history[-1] <= now - duration:
            history.pop()
        self._local.history, self._local.now, self._local.duration = history, now, duration
        if len(history) >= num_requests:
            return False
        history.insert(0, now)
        self.cache.set(key, history, duration)
        return True

    def wait(self) -> float | None:
        history: list[float] = getattr(self._local, "history", [])
        duration = float(getattr(self._local, "duration", 0))
        if not history:
            return duration
        return max(1.0, duration - (float(self._local.now) - history[-1]))


class PerAddressThrottle(_SettingRate):
    """Requests per client address (HADIR_API_TOKEN_RATE) for the token endpoint. The address is REMOTE_ADDR, or
    the proxy's X-Forwarded-For entry behind nginx (NINJA_NUM_PROXIES follows HADIR_TRUST_PROXY)."""

    scope = "token"
    setting = "HADIR_API_TOKEN_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerAccountThrottle(_SettingRate):
    """Requests per signed-in account (HADIR_API_USER_RATE, generous: a client gone wild, a script, a stolen
    token). Anonymous requests are refused by authentication before this runs."""

    scope = "user"
    setting = "HADIR_API_USER_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
