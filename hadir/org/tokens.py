"""API tokens for native (Android) clients: issue, look up, record their use, list and revoke. Only a hash of each
key is stored; a key is shown once, when it is issued.

A token expires `HADIR_API_TOKEN_DAYS` after it is issued, and dies with a password change: it carries the user's
`get_session_auth_hash()` (Django's documented session-invalidation hash, an HMAC of the password hash) from when
it was issued, and the lookup compares it with the user's current one — no write on password change, no second
query.

`user_for_token` runs on every API request, so it reads the token, its user and the user's employee with ONE
hand-written query and builds the model instances with Django's documented `Model.from_db` — measured by
`bench/checkin.py`, the ORM's select_related of the same three rows cost ~1.5 ms more CPU per request (a third
of a check-in). It is one of the two hand-written queries of the check-in path (the other two statements are in
hadir/presence/hotpath.py); docs/architecture.md lists them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from hadir.db import aware_timestamp

from .models import ApiToken, Employee

# last_used_at is for admins ("is this token still in use?"): a few minutes' resolution is enough, so a token
# used again within this many seconds writes nothing.
TOKEN_TOUCH_SECONDS = 300


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> dt.timedelta | None:
    """How long a new token lives (HADIR_API_TOKEN_DAYS; 0: until revoked)."""
    days = float(getattr(settings, "HADIR_API_TOKEN_DAYS", 30))
    return dt.timedelta(days=days) if days > 0 else None


def issue(user: Any, label: str = "") -> tuple[str, ApiToken]:
    """A new key for `user` and its row; only its hash is stored, so the key is shown once."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    lifetime = token_lifetime()
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(key), label=label[:100], created_at=now,
        expires_at=now + lifetime if lifetime else None, session_hash=user.get_session_auth_hash(),
    )
    return key, token


def issue_token(user: Any, label: str = "") -> str:
    return issue(user, label)[0]


def is_live(token: ApiToken, user: Any, now: dt.datetime | None = None) -> bool:
    """Not revoked, not expired, and issued under the user's current password."""
    now = now or timezone.now()
    return (not token.revoked and (token.expires_at is None or token.expires_at > now)
            and constant_time_compare(token.session_hash, user.get_session_auth_hash()))


def live_tokens(user: Any) -> list[ApiToken]:
    """The user's tokens that still open the API, newest first."""
    rows = ApiToken.objects.filter(user=user, revoked=False).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).order_by("-created_at", "-pk")
    current = user.get_session_auth_hash()
    return [t for t in rows if constant_time_compare(t.session_hash, current)]


def revoke(tokens: QuerySet[ApiToken]) -> int:
    """Revoke these tokens (those not revoked yet); returns how many."""
    return tokens.filter(revoked=False).update(revoked=True, revoked_at=timezone.now())


@lru_cache(maxsize=2)
def _lookup_sql(vendor: str) -> tuple[str, list[str], list[str]]:
    """The token, its user and the user's employee in one query; (sql, user field names, employee field names)."""
    q = connection.ops.quote_name
    user_model = get_user_model()
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    employee_fields = [f.attname for f in Employee._meta.concrete_fields]
    columns = ", ".join([f"u.{q(str(f.column))}" for f in user_model._meta.concrete_fields]
                        + [f"e.{q(str(f.column))}" for f in Employee._meta.concrete_fields])
    sql = (f"SELECT t.id, t.last_used_at, t.expires_at, t.session_hash, {columns} FROM {q(ApiToken._meta.db_table)} t "
           f"JOIN {q(user_model._meta.db_table)} u ON u.id = t.user_id "
           f"LEFT JOIN {q(Employee._meta.db_table)} e ON e.user_id = u.id "
           f"WHERE t.key_hash = %s AND NOT t.revoked")
    return sql, user_fields, employee_fields


def user_for_token(key: str) -> Any:
    """The active user behind a live bearer key, with `user.employee` already loaded, or None. The token's id is
    left on the user as `hadir_token_id` (the token list marks the one in use)."""
    sql, user_fields, employee_fields = _lookup_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [hash_token(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used, expires_at, session_hash = row[0], row[1], row[2], row[3]
    now = timezone.now()
    expires_at = aware_timestamp(expires_at)
    if expires_at is not None and expires_at <= now:
        return None
    n = len(user_fields)
    user = get_user_model().from_db(connection.alias, user_fields, row[4 : 4 + n])
    if not user.is_active or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None  # a password change since the token was issued revokes it
    employee = None
    if row[4 + n] is not None:
        employee = Employee.from_db(connection.alias, employee_fields, row[4 + n :])
        Employee._meta.get_field("user").set_cached_value(employee, user)
    Employee._meta.get_field("user").remote_field.set_cached_value(user, employee)  # user.employee: no query
    setattr(user, "hadir_token_id", token_id)  # noqa: B010
    touch(token_id, aware_timestamp(last_used), now)
    return user



def touch(token_id: int, last_used: dt.datetime | None, now: dt.datetime) -> None:
    """Record the token's use when the last record is older than TOKEN_TOUCH_SECONDS (one UPDATE, hand-written
    like the lookup: the ORM's UPDATE costs ~0.4 ms CPU, a tenth of a check-in)."""
    if last_used is None or (now - last_used).total_seconds() > TOKEN_TOUCH_SECONDS:
        table = connection.ops.quote_name(ApiToken._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET last_used_at = %s WHERE id = %s",
                           [connection.ops.adapt_datetimefield_value(now), token_id])
