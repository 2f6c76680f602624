"""API authentication: session cookie (web/PWA, CSRF-checked) or bearer token (native clients)."""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import logging
import secrets
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from hadir.db import db_datetime, hot_cursor, redis_client
from hadir.org.models import ApiToken

log = logging.getLogger(__name__)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: Any, label: str = "") -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(key), label=label[:100])
    return key


# last_used_at is for admins ("is this token still in use?"): a few minutes' resolution is enough, and most
# requests then write nothing. With Redis (HADIR_TOKEN_TOUCH = "deferred") the request does not write it at all:
# the time goes into a Redis hash and a task writes the whole hash with one UPDATE (the check-in follow-up flush,
# and a beat job every minute) — a phone's first request after a while then costs no commit of its own.
TOKEN_TOUCH_SECONDS = 300
TOUCH_KEY = "hadir:auth:token-last-used"


@lru_cache(maxsize=2)
def _token_sql(vendor: str) -> tuple[str, list[str], list[str]]:
    """The token, its user and the user's employee in ONE hand-written query (every API request runs it)."""
    from django.contrib.auth import get_user_model

    from hadir.org.models import Employee

    q = connection.ops.quote_name
    user_model = get_user_model()
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    employee_fields = [f.attname for f in Employee._meta.concrete_fields]
    columns = ", ".join([f"u.{q(str(f.column))}" for f in user_model._meta.concrete_fields]
                        + [f"e.{q(str(f.column))}" for f in Employee._meta.concrete_fields])
    sql = (f"SELECT t.id, t.last_used_at, {columns} FROM {q(ApiToken._meta.db_table)} t "
           f"JOIN {q(user_model._meta.db_table)} u ON u.id = t.user_id "
           f"LEFT JOIN {q(Employee._meta.db_table)} e ON e.user_id = u.id "
           f"WHERE t.key_hash = %s AND NOT t.revoked")
    return sql, user_fields, employee_fields


def user_for_token(token: str) -> Any:
    """The active user behind a bearer token (with `user.employee` already loaded), or None."""
    from django.contrib.auth import get_user_model

    from hadir.org.models import Employee

    sql, user_fields, employee_fields = _token_sql(connection.vendor)
    with hot_cursor() as cursor:
        cursor.execute(sql, [hash_token(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used = row[0], row[1]
    n = len(user_fields)
    user = get_user_model().from_db(connection.alias, user_fields, row[2 : 2 + n])
    if not user.is_active:
        return None
    employee_values = row[2 + n :]
    employee = None
    if employee_values[0] is not None:
        employee = Employee.from_db(connection.alias, employee_fields, employee_values)
        Employee._meta.get_field("user").set_cached_value(employee, user)
    Employee._meta.get_field("user").remote_field.set_cached_value(user, employee)  # user.employee: no query
    now = timezone.now()
    last_used = db_datetime(last_used)
    if last_used is None or (now - last_used).total_seconds() > TOKEN_TOUCH_SECONDS:
        touch_token(token_id, now)
    return user


def touch_mode() -> str:
    wanted = str(getattr(settings, "HADIR_TOKEN_TOUCH", "direct"))
    return "deferred" if wanted == "deferred" and bool(settings.REDIS_URL) else "direct"


# A deferred touch waits here until the request's own Redis call (a check-in's follow-up flag: one pipeline, one
# round trip) or, if it makes none, until the request ends.
_pending_touch: contextvars.ContextVar[tuple[int, str] | None] = contextvars.ContextVar(
    "hadir_token_touch", default=None)


def touch_token(token_id: int, now: dt.datetime) -> None:
    """Record that the token was used at `now`: in Redis for the next flush, or (no Redis) an UPDATE."""
    if touch_mode() == "deferred":
        _pending_touch.set((token_id, now.isoformat()))
        return
    ApiToken.objects.filter(pk=token_id).update(last_used_at=now)


def _take_pending_touch() -> tuple[int, str] | None:
    pending = _pending_touch.get()
    if pending is not None:
        _pending_touch.set(None)
    return pending


def queue_pending_touch(pipe: Any) -> None:
    """Add the current request's deferred touch, if any, to a Redis pipeline the caller is about to execute."""
    pending = _take_pending_touch()
    if pending is not None:
        pipe.hset(TOUCH_KEY, str(pending[0]), pending[1])


def _send_pending_touch(**kwargs: Any) -> None:
    """request_finished: a touch no Redis call of the request took along goes on its own (or, Redis down, as an
    UPDATE: last_used_at is not worth an error page)."""
    pending = _take_pending_touch()
    if pending is None:
        return
    try:
        redis_client().hset(TOUCH_KEY, str(pending[0]), pending[1])
    except Exception:
        log.warning("Redis unavailable: writing token %s last_used_at directly", pending[0], exc_info=True)
        ApiToken.objects.filter(pk=pending[0]).update(last_used_at=dt.datetime.fromisoformat(pending[1]))


request_finished.connect(_send_pending_touch, dispatch_uid="hadir-auth-pending-token-touch")


def flush_token_touches() -> int:
    """Write the deferred last-used times with one UPDATE; returns how many tokens. A time that arrives while
    this runs for a token already read is dropped (the next request after TOKEN_TOUCH_SECONDS records it)."""
    if touch_mode() != "deferred":
        return 0
    client = redis_client()
    pending = client.hgetall(TOUCH_KEY)
    if not pending:
        return 0
    rows = [ApiToken(pk=int(key), last_used_at=dt.datetime.fromisoformat(value.decode()))
            for key, value in pending.items()]
    ApiToken.objects.bulk_update(rows, ["last_used_at"], batch_size=1000)  # a deleted token: no row, no error
    client.hdel(TOUCH_KEY, *pending.keys())  # only after the UPDATE: a failure keeps them for the next flush
    return len(rows)


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
