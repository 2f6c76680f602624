"""One sheet's rows and the checks every kind shares.

`Context` holds what the checks look things up in (the units in the user's scope, the file's header) and
collects errors into the report; `Row` is one data row as raw values and as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hadir.org.models import Unit
from hadir.org.scoping import admin_paths, path_q

from .cells import CellError, parse_bool
from .columns import COLUMNS
from .reading import Table, cell_text
from .report import ImportReport, RowError

MAX_ERRORS = 1000


@dataclass
class Row:
    number: int
    values: dict[str, object]
    texts: dict[str, str]


class Context:
    """Lookups shared by the kinds: DB rows in scope plus the rows of this file."""

    def __init__(self, kind: str, report: ImportReport, mapping: dict[str, int], headers: list[str],
                 user: Any, update: bool) -> None:
        self.kind, self.report, self.mapping, self.headers = kind, report, mapping, headers
        self.user, self.update = user, update
        self.paths = admin_paths(user) if user is not None else None
        self.labels = {col.key: col.label for col in COLUMNS[kind]}

    def column(self, key: str) -> str:
        index = self.mapping.get(key)
        return self.headers[index] if index is not None else self.labels.get(key, key)

    def error(self, row: int, key: str, message: str, value: str = "") -> None:
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(RowError(row, self.column(key) if key else "", message, value))

    def in_scope_units(self) -> dict[str, Unit]:
        qs = Unit.objects.all() if self.paths is None else Unit.objects.filter(path_q(self.paths))
        return {u.code: u for u in qs}


def table_rows(table: Table, mapping: dict[str, int]) -> Iterator[Row]:
    for number, cells in table.rows:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in mapping.items()}
        texts = {key: cell_text(v) for key, v in values.items()}
        yield Row(number, values, texts)


def required(ctx: Context, row: Row, *keys: str) -> bool:
    ok = True
    for key in keys:
        if not row.texts.get(key):
            ctx.error(row.number, key, _("wajib diisi"))
            ok = False
    return ok


def check_duplicate(ctx: Context, seen: dict[str, int], row: Row, key: str, value: str, label: str) -> bool:
    if value in seen:
        ctx.error(row.number, key, _("%(label)s %(value)s sudah dipakai di baris %(row)d berkas ini")
                  % {"label": label, "value": value, "row": seen[value]}, value)
        return False
    seen[value] = row.number
    return True


def max_length(ctx: Context, row: Row, key: str, limit: int) -> None:
    if len(row.texts.get(key, "")) > limit:
        ctx.error(row.number, key, _("terlalu panjang (maksimal %(max)d karakter)") % {"max": limit})


def model_errors(ctx: Context, row: Row, exc: ValidationError, field_to_key: dict[str, str]) -> None:
    for field_name, messages in exc.message_dict.items():
        key = field_to_key.get(field_name, field_name if field_name in ctx.labels else "")
        for message in messages:
            ctx.error(row.number, key, message)


def yes_no(ctx: Context, row: Row, key: str, default: bool) -> bool:
    try:
        return parse_bool(row.texts.get(key, ""), default)
    except CellError as exc:
        ctx.error(row.number, key, str(exc), row.texts.get(key, ""))
        return default
