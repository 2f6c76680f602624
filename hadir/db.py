"""Database helpers for the few hand-written queries on the hot path (check-in, token auth), and its Redis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection


def prepared_statements() -> bool:
    """Server-side binding + prepared statements for hot queries: PostgreSQL, unless behind pgbouncer in
    transaction pooling (DB_PGBOUNCER), where a prepared statement may not exist on the next server."""
    return connection.vendor == "postgresql" and not getattr(settings, "HADIR_DB_PGBOUNCER", False)


@contextmanager
def hot_cursor() -> Iterator[Any]:
    """A cursor for a hand-written query that runs on every check-in or API call.

    On PostgreSQL it binds parameters server-side, so psycopg prepares the statement after a few runs on
    the connection (prepare_threshold) and PostgreSQL stops re-planning it — for the check-in context
    query planning cost as much as running it. Django's ORM keeps client-side binding (it does not generate
    prepareable SQL everywhere, Django ticket #20516). The cursor is wrapped like Django's own: errors are
    translated (IntegrityError stays django.db.IntegrityError), queries are logged under DEBUG and in tests.
    """
    if not prepared_statements():
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)  # type: ignore[call-arg]
    with connection._prepare_cursor(raw) as cursor:  # type: ignore[attr-defined]
        yield cursor


def db_datetime(value: Any) -> dt.datetime | None:
    """A timestamp as a raw cursor returns it, made aware: SQLite hands them back as naive UTC text."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def redis_client() -> Any:
    """The shared Redis connection pool (settings.REDIS_URL) for the flags and buffers the hot path keeps there."""
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)
