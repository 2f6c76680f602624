"""API authentication: session cookie (web/PWA, CSRF-checked) or bearer token (native clients)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from hadir.org.models import ApiToken


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: Any, label: str = "") -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(key), label=label[:100])
    return key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token), revoked=False).first()
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


session_auth: APIKeyCookie = SessionAuth()
token_auth = TokenAuth()
API_AUTH = [token_auth, session_auth]
