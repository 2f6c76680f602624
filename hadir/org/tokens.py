"""API tokens for native (Android) clients: issue, look up, record their use. Only a hash of each key is stored.

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

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from hadir.db import aware_timestamp

from .models import ApiToken, Employee

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


@lru_cache(maxsize=2)
def _lookup_sql(vendor: str) -> tuple[str, list[str], list[str]]:
    """The token, its user and the user's employee in one query; (sql, user field names, employee field names)."""
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


def user_for_token(key: str) -> Any:
    """The active user behind a bearer key, with `user.employee` already loaded, or None."""
    sql, user_fields, employee_fields = _lookup_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [hash_token(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used = row[0], row[1]
    n = len(user_fields)
    user = get_user_model().from_db(connection.alias, user_fields, row[2 : 2 + n])
    if not user.is_active:
        return None
    employee = None
    if row[2 + n] is not None:
        employee = Employee.from_db(connection.alias, employee_fields, row[2 + n :])
        Employee._meta.get_field("user").set_cached_value(employee, user)
    Employee._meta.get_field("user").remote_field.set_cached_value(user, employee)  # user.employee: no query
    touch(token_id, aware_timestamp(last_used), timezone.now())
    return user



def touch(token_id: int, last_used: dt.datetime | None, now: dt.datetime) -> None:
    """Record the token's use when the last record is older than TOKEN_TOUCH_SECONDS (one UPDATE, hand-written
    like the lookup: the ORM's UPDATE costs ~0.4 ms CPU, a tenth of a check-in)."""
    if last_used is None or (now - last_used).total_seconds() > TOKEN_TOUCH_SECONDS:
        table = connection.ops.quote_name(ApiToken._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET last_used_at = %s WHERE id = %s",
                           [connection.ops.adapt_datetimefield_value(now), token_id])
