"""What an import returns: how many rows were read, created and updated, and every problem found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: the header is row 1, the first data row is row 2
    column: str  # the column as written in the file ("" when the problem is the whole row/file)
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = _("Baris %(row)d") % {"row": self.row} if self.row else _("Berkas")
        if self.column:
            where += f", {_('kolom')} “{self.column}”"
        shown = f" ({self.value})" if self.value and self.value not in self.message else ""
        return f"{where}: {self.message}{shown}"


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "ok": self.ok, "rows": self.rows, "created": self.created, "updated": self.updated,
            "errors": [{"row": e.row, "column": e.column, "message": e.message, "value": e.value}
                       for e in self.errors],
            "warnings": self.warnings,
        }
