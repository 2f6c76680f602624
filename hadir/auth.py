"""API authentication: session cookie (web/PWA, CSRF-checked) or bearer token (native clients)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from hadir.org.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


session_auth: APIKeyCookie = SessionAuth()
token_auth = TokenAuth()
API_AUTH = [token_auth, session_auth]
