"""Limit/offset pagination of the API's list endpoints, through django-ninja's `@paginate`, and the text type
of their filters (ninja's `FilterSchema`).

    @router.get("/entries", response=list[EntryOut])
    @paginate(LimitOffset, default_limit=100, max_limit=1000)
    def list_entries(request, filters: Query[EntryFilter]) -> QuerySet[AuditEntry]:
        return filters.filter(AuditEntry.objects.order_by("-seq"))

`limit` and `offset` are query parameters that ninja validates like any other (1 ≤ limit ≤ max_limit,
0 ≤ offset ≤ MAX_OFFSET; anything else is a 422 naming the parameter) and documents in the OpenAPI
document. The class cuts the page out of what the operation returns and keeps the shape of the answer:

- a queryset, list or any sliceable (see `Rendered`) → its page, answered as a JSON array;
- a dict → the same dict with the page of its `items`; the other keys (`count`, `unread`, …) pass through.

An operation that reads one page by itself (the dashboard reads rank group by rank group) asks for the
parameters with `pass_parameter="page"`, receives them as `page` in its keyword arguments and returns its
page already cut; the class then passes its answer through untouched.

Filters are `FilterSchema`s; a text filter typed `OptionalText` treats an empty value (`?q=`) as no filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Annotated, Any, Protocol

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import BeforeValidator, create_model

# Far beyond any list here, and small enough that OFFSET fits every database's integer (a larger one would
# overflow SQLite's INTEGER or PostgreSQL's bigint: a 500 instead of a 422).
MAX_OFFSET = 1_000_000_000


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


OptionalText = Annotated[str | None, BeforeValidator(_blank_is_none)]


class Page(Schema):
    """The validated pagination parameters (what `pass_parameter` hands to the operation)."""

    limit: int
    offset: int


class Sliceable[T](Protocol):
    def __getitem__(self, window: slice, /) -> Iterable[T]: ...


class Rendered[T, R]:
    """Rows rendered one by one when their page is cut: `Rendered(queryset, item_out)`. Only the page's rows
    are read from the database and rendered."""

    def __init__(self, rows: Sliceable[T], render: Callable[[T], R]) -> None:
        self.rows = rows
        self.render = render

    def __getitem__(self, window: slice) -> list[R]:
        return [self.render(row) for row in self.rows[window]]


@cache
def _input_model(default_limit: int, max_limit: int) -> type[Page]:
    """The parameters with one endpoint's bounds; one model (and OpenAPI schema name) per pair of bounds."""
    return create_model(
        f"PageDefault{default_limit}Max{max_limit}",
        __base__=Page,
        limit=(int, Field(default_limit, ge=1, le=max_limit, description=f"Jumlah baris (1–{max_limit})")),
        offset=(int, Field(0, ge=0, le=MAX_OFFSET, description="Lewati sekian baris pertama")),
    )


class LimitOffset(PaginationBase):
    """`?limit=&offset=`, bounded per endpoint; the endpoint's own response schema stays (no `Paged…` wrapper)."""

    Output = None  # type: ignore[assignment]  # ninja then leaves the operation's response schema alone

    def __init__(self, *, default_limit: int = 100, max_limit: int = 500, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_limit = max_limit
        self.Input = _input_model(default_limit, max_limit)  # type: ignore[assignment]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        if self.pass_parameter:
            return queryset  # the operation cut its page itself
        window = slice(pagination.offset, pagination.offset + pagination.limit)
        if isinstance(queryset, dict):
            return {**queryset, self.items_attribute: list(queryset[self.items_attribute][window])}
        return list(queryset[window])
