"""Generic database helpers: for the batch computations (daily status, recaps, ledgers) and the hand-written
queries of the hot path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def chunks(ids: list[int], size: int = 900) -> Iterator[list[int]]:
    """`ids` in slices of at most `size`: IN-lists stay under SQLite's parameter limit and PostgreSQL's plans
    stay cheap."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def fetch_rows(qs: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """All rows of a values_list() queryset. On PostgreSQL the compiled SQL goes straight to the cursor
    (fetchall): for 50,000 rows Django's row-by-row iteration costs about as much as the query itself.
    Elsewhere (SQLite needs Django's value converters) it is plain list(qs)."""
    if connection.vendor != "postgresql":
        return list(qs)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def aware_timestamp(value: Any) -> dt.datetime | None:
    """A timestamp as a cursor returns it, made aware (SQLite hands them back as naive UTC text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]
