"""Reading an uploaded .xlsx or .csv file into a header row and data rows of raw cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 200_000


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number, raw cells)


def read_upload(upload: IO[bytes], limit: int = 20 * 1024 * 1024) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValueError(_("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": limit // (1024 * 1024)})
    return data


def read_table(data: bytes, filename: str) -> Table:
    """Parse .xlsx or .csv bytes into a header row and data rows (blank rows dropped)."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data)
    if suffix in (".csv", ".txt"):
        return _read_csv(data)
    raise ValueError(_("Format berkas tidak didukung (%(suffix)s); gunakan .xlsx atau .csv.") % {"suffix": suffix or "?"})


def cell_text(value: object) -> str:
    """A raw cell (Excel number, date, bool or text) as the text the checks read."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if value.is_integer():
            return f"{value:.0f}"
        return repr(value)
    return str(value).strip()


def is_number_cell(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read_xlsx(data: bytes) -> Table:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValueError(_("Berkas Excel tidak dapat dibaca: %(error)s") % {"error": exc.__class__.__name__}) from exc
    sheet = wb.worksheets[0]
    rows: list[tuple[int, list[object]]] = []
    headers: list[str] | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        if headers is None:
            headers = [cell_text(v) for v in cells]
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ValueError(_("Berkas terlalu besar (lebih dari %(max)d baris).") % {"max": MAX_ROWS})
    wb.close()
    return Table(headers or [], rows)


def _read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    # Excel in Indonesian locales saves CSV with ';' (the decimal separator is ',').
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            headers = [c.strip() for c in cells]
            continue
        rows.append((number, list(cells)))
        if len(rows) > MAX_ROWS:
            raise ValueError(_("Berkas terlalu besar (lebih dari %(max)d baris).") % {"max": MAX_ROWS})
    return Table(headers or [], rows)
