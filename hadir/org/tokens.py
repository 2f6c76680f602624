"""API tokens for native (Android) clients: issue, look up, record their use. Only a hash of each key is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.utils import timezone

from .models import ApiToken

# last_used_at is for admins ("is this token still in use?"): a few minutes' resolution is enough, so a token
# used again within this many seconds writes nothing.
TOKEN_TOUCH_SECONDS = 300


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: Any, label: str = "") -> str:
    """A new key for `user`; only its hash is stored, so the key is shown once."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(key), label=label[:100])
    return key


def user_for_token(key: str) -> Any:
    """The active user behind a bearer key, with `user.employee` already loaded (one query), or None."""
    token = (ApiToken.objects.filter(key_hash=hash_token(key), revoked=False)
             .select_related("user__employee").first())
    if token is None or not token.user.is_active:
        return None
    touch(token, timezone.now())
    return token.user


def touch(token: ApiToken, now: dt.datetime) -> None:
    """Record the token's use when the last record is older than TOKEN_TOUCH_SECONDS (one UPDATE)."""
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
