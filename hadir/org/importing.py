"""Import of units, positions (jabatan), work locations and employees from .xlsx or .csv files.

The file's first row holds the column names (Indonesian, see docs/import.md; case, spaces and
punctuation don't matter). Every row is checked first and every problem is reported with its
row number, column and a clear message; only when the whole file is clean is anything written,
in one transaction (all-or-nothing).

Existing records (same kode / NIP / NIK) are an error unless `update=True`, in which case they
are updated. With a `user`, the import is scoped: units outside the user's OPD subtree are
treated as unknown, and the user needs the matching add/change permission.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .identity import IdentityError, parse_nik, parse_nip
from .models import (
    Employee,
    EmployeeKind,
    Eselon,
    Position,
    Sex,
    TimeZoneChoice,
    Unit,
    UnitKind,
    WorkLocation,
)
from .scoping import admin_paths, path_q

# progress(items, description, total) -> items; the command line passes a tqdm bar
Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]

KINDS = ("units", "positions", "locations", "employees")
KIND_ALIASES = {
    "units": "units", "unit": "units", "unit-kerja": "units",
    "positions": "positions", "jabatan": "positions",
    "locations": "locations", "lokasi": "locations", "lokasi-kerja": "locations",
    "employees": "employees", "pegawai": "employees",
}
MAX_ROWS = 200_000
MAX_ERRORS = 1000


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


class ImportAborted(Exception):
    """Raised inside the write transaction to roll everything back."""


# --- reading files ------------------------------------------------------------------------------------

def normalise_header(text: object) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split())


def _cell_text(value: object) -> str:
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


def _is_number_cell(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number, raw cells)


def read_table(data: bytes, filename: str) -> Table:
    """Parse .xlsx or .csv bytes into a header row and data rows (blank rows dropped)."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data)
    if suffix in (".csv", ".txt"):
        return _read_csv(data)
    raise ValueError(_("Format berkas tidak didukung (%(suffix)s); gunakan .xlsx atau .csv.") % {"suffix": suffix or "?"})


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

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
            headers = [_cell_text(v) for v in cells]
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


# --- column specs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical Indonesian column name (as documented)
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: dict[str, list[Column]] = {
    "units": [
        Column("code", "Kode", ("kode unit",), True),
        Column("name", "Nama", ("nama unit", "nama unit kerja", "unit kerja"), True),
        Column("kind", "Jenis", ("jenis unit",), True),
        Column("parent", "Kode Induk", ("induk", "kode unit induk")),
        Column("is_active", "Aktif"),
    ],
    "positions": [
        Column("code", "Kode", ("kode jabatan",), True),
        Column("name", "Nama Jabatan", ("jabatan", "nama"), True),
        Column("unit", "Kode Unit", ("unit",), True),
        Column("parent", "Kode Atasan", ("kode jabatan atasan", "atasan", "atasan langsung")),
        Column("eselon", "Eselon", ("eselon jenis", "jenis jabatan")),
        Column("is_head", "Kepala Unit", ("kepala",)),
    ],
    "locations": [
        Column("code", "Kode", ("kode lokasi",)),
        Column("name", "Nama", ("nama lokasi", "lokasi"), True),
        Column("unit", "Kode Unit", ("unit",), True),
        Column("latitude", "Lintang", ("latitude", "lat"), True),
        Column("longitude", "Bujur", ("longitude", "lon", "lng", "long"), True),
        Column("radius_m", "Radius", ("radius m", "radius meter", "radius (m)")),
        Column("timezone", "Zona Waktu", ("zona", "timezone")),
        Column("address", "Alamat"),
        Column("is_active", "Aktif"),
    ],
    "employees": [
        Column("name", "Nama", ("nama pegawai", "nama lengkap"), True),
        Column("nip", "NIP", ("ni pppk", "nip ni pppk")),
        Column("nik", "NIK"),
        Column("kind", "Jenis Pegawai", ("jenis", "status kepegawaian", "status pegawai"), True),
        Column("sex", "Jenis Kelamin", ("jk", "l p")),
        Column("birth_date", "Tanggal Lahir", ("tgl lahir",)),
        Column("unit", "Kode Unit", ("unit", "kode unit kerja"), True),
        Column("position", "Kode Jabatan", ("jabatan",)),
        Column("locations", "Kode Lokasi", ("lokasi", "lokasi kerja", "kode lokasi kerja")),
        Column("tpp_base", "TPP Dasar", ("tpp", "tpp dasar rp", "tpp dasar (rp)")),
        Column("active_from", "Aktif Sejak", ("tmt", "mulai aktif")),
        Column("active_until", "Aktif Sampai", ("akhir aktif",)),
        Column("device_pin", "PIN Mesin", ("pin", "pin mesin absensi", "pin absensi")),
        Column("phone", "Telepon", ("no hp", "hp", "nomor hp", "telepon hp")),
        Column("email", "Email", ("e mail", "surel")),
        Column("is_active", "Aktif"),
    ],
}


def _map_headers(kind: str, headers: list[str], report: ImportReport) -> dict[str, int]:
    """column key → index in the row; missing required columns and duplicates go to the report."""
    lookup: dict[str, str] = {}
    for col in COLUMNS[kind]:
        for name in (col.label, *col.aliases):
            lookup[normalise_header(name)] = col.key
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = lookup.get(normalise_header(header))
        if key is None:
            if header.strip():
                report.warnings.append(_("Kolom “%(column)s” tidak dikenal dan diabaikan.") % {"column": header})
            continue
        if key in mapping:
            report.errors.append(RowError(1, header, _("Kolom ini muncul lebih dari sekali.")))
            continue
        mapping[key] = index
    for col in COLUMNS[kind]:
        if col.required and col.key not in mapping:
            report.errors.append(RowError(1, col.label, _("Kolom wajib tidak ada di baris judul.")))
    return mapping


# --- value parsing (pure) -----------------------------------------------------------------------------

class CellError(ValueError):
    pass


TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "x", "v", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "tidak aktif", "salah"}


def parse_bool(text: str, default: bool) -> bool:
    word = text.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("harus “ya” atau “tidak”"))


MONTHS_ID = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11, "desember": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9,
    "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12, "may": 5,
}


def parse_date(value: object) -> dt.date | None:
    """Excel dates, 2026-01-31, 31-01-2026, 31/01/2026, 31.01.2026 or '31 Januari 2026'."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
        if m and m[2].lower() in MONTHS_ID:
            return dt.date(int(m[3]), MONTHS_ID[m[2].lower()], int(m[1]))
    except ValueError as exc:
        raise CellError(_("tanggal tidak ada di kalender")) from exc
    raise CellError(_("bukan tanggal yang dikenali (gunakan HH-BB-TTTT, mis. 31-01-2026)"))


def parse_rupiah(text: str) -> int:
    """'Rp 3.500.000', '3500000', '3,500,000' or '3.500.000,00' → 3500000 (integer rupiah)."""
    cleaned = re.sub(r"(?i)^rp\.?", "", text.strip()).replace(" ", "")
    cleaned = re.sub(r"[.,]00$", "", cleaned) if re.search(r"\d[.,]\d{3}[.,]00$|^\d+[.,]00$", cleaned) else cleaned
    if not cleaned:
        return 0
    if not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", cleaned):
        raise CellError(_("bukan jumlah rupiah yang valid (tulis tanpa desimal, mis. 3.500.000)"))
    return int(re.sub(r"[.,]", "", cleaned))


def parse_coordinate(value: object, low: float, high: float) -> float:
    if _is_number_cell(value):
        number = float(value)  # type: ignore[arg-type]
    else:
        text = str(value or "").strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # Indonesian decimal comma
        try:
            number = float(text)
        except ValueError as exc:
            raise CellError(_("harus berupa angka desimal, mis. -3.7956")) from exc
    if not low <= number <= high:
        raise CellError(_("harus di antara %(low)s dan %(high)s") % {"low": low, "high": high})
    return number


def _choice(text: str, choices: Iterable[tuple[str, Any]], aliases: Mapping[str, str] | None = None) -> str:
    """Match a cell against choice values and labels (Indonesian and the current language)."""
    word = normalise_header(text)
    options = list(choices)
    with translation.override("id"):
        indonesian = [(value, str(label)) for value, label in options]
    for (value, label), (_v, label_id) in zip(options, indonesian, strict=True):
        if word in (normalise_header(value), normalise_header(str(label)), normalise_header(label_id)):
            return value
    if aliases and word in aliases:
        return aliases[word]
    raise CellError(_("harus salah satu dari: %(options)s") % {"options": ", ".join(str(label) for _v, label in options)})


EMPLOYEE_KIND_ALIASES = {
    "honorer": EmployeeKind.TKK, "non asn": EmployeeKind.TKK, "tenaga kerja kontrak": EmployeeKind.TKK,
    "pppk pw": EmployeeKind.PPPK_PARUH_WAKTU, "pppk paruh waktu": EmployeeKind.PPPK_PARUH_WAKTU,
    "paruh waktu": EmployeeKind.PPPK_PARUH_WAKTU,
}
SEX_ALIASES = {"laki laki": Sex.L, "pria": Sex.L, "l": Sex.L, "perempuan": Sex.P, "wanita": Sex.P, "p": Sex.P}
TIMEZONE_ALIASES = {"wib": TimeZoneChoice.WIB, "wita": TimeZoneChoice.WITA, "wit": TimeZoneChoice.WIT}
ESELON_ALIASES = {
    "iia": Eselon.II_A, "iib": Eselon.II_B, "iiia": Eselon.III_A, "iiib": Eselon.III_B, "iva": Eselon.IV_A,
    "ivb": Eselon.IV_B, "fungsional": Eselon.FUNGSIONAL, "jf": Eselon.FUNGSIONAL, "pelaksana": Eselon.PELAKSANA,
    "jp": Eselon.PELAKSANA, "non asn": Eselon.NON_ASN, "na": Eselon.NON_ASN,
}


def parse_eselon(text: str) -> str:
    squashed = re.sub(r"[^a-z]", "", text.lower())
    if squashed in ESELON_ALIASES:
        return ESELON_ALIASES[squashed]
    return _choice(text, Eselon.choices, ESELON_ALIASES)


def identity_text(value: object, label: str) -> str:
    """NIP/NIK cell as text; a long number typed into an Excel number cell has lost its last digits."""
    if _is_number_cell(value) and len(_cell_text(value)) > 15:
        raise CellError(_(
            "%(label)s tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; "
            "format kolom sebagai Teks lalu ketik ulang"
        ) % {"label": label})
    text = re.sub(r"[\s.\-']", "", _cell_text(value))
    return text


# --- the import itself --------------------------------------------------------------------------------

@dataclass
class _Row:
    number: int
    values: dict[str, object]
    texts: dict[str, str]


class _Context:
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


def _rows(table: Table, mapping: dict[str, int]) -> Iterator[_Row]:
    for number, cells in table.rows:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in mapping.items()}
        texts = {key: _cell_text(v) for key, v in values.items()}
        yield _Row(number, values, texts)


def _no_progress(items: Iterable[Any], desc: str, total: int) -> Iterable[Any]:
    return items


def run_import(kind: str, data: bytes, filename: str, *, user: Any = None, update: bool = False,
               create_accounts: bool = False, initial_password: str = "",
               progress: Progress | None = None) -> ImportReport:
    """Check every row, then write all of them in one transaction, or nothing."""
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ValueError(_("Jenis impor tidak dikenal: %(kind)s") % {"kind": kind})
    report = ImportReport(kind=kind)
    progress = progress or _no_progress
    if user is not None:
        model = {"units": "unit", "positions": "position", "locations": "worklocation", "employees": "employee"}[kind]
        needed = [f"org.add_{model}"] + ([f"org.change_{model}"] if update else [])
        if admin_paths(user) == [] or not all(user.has_perm(p) for p in needed):
            report.errors.append(RowError(0, "", _("Anda tidak berhak mengimpor data ini.")))
            return report
    try:
        table = read_table(data, filename)
    except ValueError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    if not table.headers:
        report.errors.append(RowError(0, "", _("Berkas kosong: baris pertama harus berisi nama kolom.")))
        return report
    mapping = _map_headers(kind, table.headers, report)
    report.rows = len(table.rows)
    if report.errors:
        return report
    if not table.rows:
        report.errors.append(RowError(0, "", _("Berkas tidak berisi baris data.")))
        return report
    ctx = _Context(kind, report, mapping, table.headers, user, update)
    rows = list(progress(_rows(table, mapping), _("Memeriksa"), len(table.rows)))
    planner = {"units": _plan_units, "positions": _plan_positions, "locations": _plan_locations,
               "employees": _plan_employees}[kind]
    writer = planner(ctx, rows)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            writer(progress, create_accounts, initial_password)
            if report.errors:
                raise ImportAborted
    except ImportAborted:
        report.created = report.updated = 0
    except IntegrityError as exc:
        report.created = report.updated = 0
        report.errors.append(RowError(0, "", _("Data bentrok saat disimpan; tidak ada yang ditulis (%(error)s).")
                                      % {"error": str(exc).splitlines()[0][:200]}))
    return report


Writer = Callable[[Progress, bool, str], None]


def _required(ctx: _Context, row: _Row, *keys: str) -> bool:
    ok = True
    for key in keys:
        if not row.texts.get(key):
            ctx.error(row.number, key, _("wajib diisi"))
            ok = False
    return ok


def _check_duplicate(ctx: _Context, seen: dict[str, int], row: _Row, key: str, value: str, label: str) -> bool:
    if value in seen:
        ctx.error(row.number, key, _("%(label)s %(value)s sudah dipakai di baris %(row)d berkas ini")
                  % {"label": label, "value": value, "row": seen[value]}, value)
        return False
    seen[value] = row.number
    return True


def _max_length(ctx: _Context, row: _Row, key: str, limit: int) -> None:
    if len(row.texts.get(key, "")) > limit:
        ctx.error(row.number, key, _("terlalu panjang (maksimal %(max)d karakter)") % {"max": limit})


def _model_errors(ctx: _Context, row: _Row, exc: ValidationError, field_to_key: dict[str, str]) -> None:
    for field_name, messages in exc.message_dict.items():
        key = field_to_key.get(field_name, field_name if field_name in ctx.labels else "")
        for message in messages:
            ctx.error(row.number, key, message)


def _bool(ctx: _Context, row: _Row, key: str, default: bool) -> bool:
    try:
        return parse_bool(row.texts.get(key, ""), default)
    except CellError as exc:
        ctx.error(row.number, key, str(exc), row.texts.get(key, ""))
        return default


# units ------------------------------------------------------------------------------------------------

def _write_parent_first(
    ctx: _Context, progress: Progress, planned: dict[str, tuple[_Row, dict[str, Any]]],
    done: dict[str, Any], save: Callable[[str, _Row, dict[str, Any], Any], Any],
) -> None:
    """Save tree rows (units, positions) parents before children; `save(code, row, plan, parent)` writes one.

    `done` starts with the rows already in the database and collects what is saved, so a child finds its
    parent whether it came from the file or was there before."""
    remaining = dict(planned)
    bar = iter(progress(range(len(remaining)), _("Menyimpan"), len(remaining)))
    while remaining:
        ready = [c for c, (_r, p) in remaining.items() if not p["parent"] or p["parent"] not in remaining]
        if not ready:
            raise ImportAborted
        for code in ready:
            row, plan = remaining.pop(code)
            parent = done.get(plan["parent"]) if plan["parent"] else None
            done[code] = save(code, row, plan, parent)
            if plan["existing"]:
                ctx.report.updated += 1
            else:
                ctx.report.created += 1
            next(bar, None)


def _plan_units(ctx: _Context, rows: list[_Row]) -> Writer:
    all_units = {u.code: u for u in Unit.objects.all()}
    scoped = ctx.in_scope_units()
    seen: dict[str, int] = {}
    planned: dict[str, tuple[_Row, dict[str, Any]]] = {}
    for row in rows:
        if not _required(ctx, row, "code", "name", "kind"):
            continue
        code, name = row.texts["code"], row.texts["name"]
        _max_length(ctx, row, "code", 40)
        _max_length(ctx, row, "name", 200)
        if not _check_duplicate(ctx, seen, row, "code", code, _("Kode")):
            continue
        try:
            kind = _choice(row.texts["kind"], UnitKind.choices)
        except CellError as exc:
            ctx.error(row.number, "kind", str(exc), row.texts["kind"])
            continue
        existing = all_units.get(code)
        if existing is not None and (not ctx.update or code not in scoped):
            ctx.error(row.number, "code", _("kode unit %(code)s sudah terdaftar") % {"code": code}
                      + ("" if code not in scoped else _(" (centang/aktifkan mode perbarui untuk mengubahnya)")), code)
            continue
        parent_code = row.texts.get("parent", "")
        if kind == UnitKind.PEMDA:
            if parent_code:
                ctx.error(row.number, "parent", _("unit Pemda tidak boleh memiliki induk"))
            if ctx.paths is not None:
                ctx.error(row.number, "kind", _("hanya super-admin yang dapat membuat unit Pemda"))
        elif not parent_code:
            ctx.error(row.number, "parent", _("wajib diisi (kode unit induk)"))
        is_active = _bool(ctx, row, "is_active", True)
        planned[code] = (row, {"name": name, "kind": kind, "parent": parent_code, "is_active": is_active,
                               "existing": existing})
    # parents: a unit in scope, or a row of this file (in any order); no cycles
    for code, (row, plan) in planned.items():
        parent = plan["parent"]
        if not parent:
            continue
        if parent not in planned and parent not in scoped:
            ctx.error(row.number, "parent", _("kode induk %(code)s tidak dikenal") % {"code": parent}, parent)
            continue
        node, hops = parent, 0
        while node in planned and hops <= len(planned):
            if node == code:
                ctx.error(row.number, "parent", _("induk membentuk lingkaran (unit menjadi induk dirinya sendiri)"))
                break
            node, hops = planned[node][1]["parent"], hops + 1

    def save_unit(code: str, row: _Row, plan: dict[str, Any], parent: Unit | None) -> Unit:
        unit = plan["existing"] or Unit(code=code)
        unit.name, unit.kind, unit.is_active = plan["name"], plan["kind"], plan["is_active"]
        unit.parent = parent
        try:
            unit.full_clean(exclude=["parent"], validate_unique=False)
        except ValidationError as exc:
            _model_errors(ctx, row, exc, {"parent": "parent", "name": "name", "kind": "kind"})
            raise ImportAborted from exc
        unit.save()
        return unit

    def write(progress: Progress, _accounts: bool, _password: str) -> None:
        _write_parent_first(ctx, progress, planned, dict(scoped), save_unit)
    return write


# positions --------------------------------------------------------------------------------------------

def _plan_positions(ctx: _Context, rows: list[_Row]) -> Writer:
    units = ctx.in_scope_units()
    existing_all = {p.code: p for p in Position.objects.select_related("unit")}
    scoped_codes = {c for c, p in existing_all.items() if p.unit.code in units}
    seen: dict[str, int] = {}
    planned: dict[str, tuple[_Row, dict[str, Any]]] = {}
    for row in rows:
        if not _required(ctx, row, "code", "name", "unit"):
            continue
        code = row.texts["code"]
        _max_length(ctx, row, "code", 40)
        _max_length(ctx, row, "name", 200)
        if not _check_duplicate(ctx, seen, row, "code", code, _("Kode")):
            continue
        unit = units.get(row.texts["unit"])
        if unit is None:
            ctx.error(row.number, "unit", _("kode unit %(code)s tidak dikenal") % {"code": row.texts["unit"]},
                      row.texts["unit"])
            continue
        existing = existing_all.get(code)
        if existing is not None and (not ctx.update or code not in scoped_codes):
            ctx.error(row.number, "code", _("kode jabatan %(code)s sudah terdaftar") % {"code": code}, code)
            continue
        eselon = Eselon.PELAKSANA
        if row.texts.get("eselon"):
            try:
                eselon = Eselon(parse_eselon(row.texts["eselon"]))
            except CellError as exc:
                ctx.error(row.number, "eselon", str(exc), row.texts["eselon"])
        planned[code] = (row, {"name": row.texts["name"], "unit": unit, "parent": row.texts.get("parent", ""),
                               "eselon": eselon, "is_head": _bool(ctx, row, "is_head", False),
                               "existing": existing})
    for code, (row, plan) in planned.items():
        parent = plan["parent"]
        if not parent:
            continue
        if parent == code:
            ctx.error(row.number, "parent", _("jabatan tidak boleh menjadi atasan dirinya sendiri"))
            continue
        if parent not in planned and parent not in scoped_codes:
            ctx.error(row.number, "parent", _("kode atasan %(code)s tidak dikenal") % {"code": parent}, parent)
            continue
        node, hops = parent, 0
        while node in planned and hops <= len(planned):
            node, hops = planned[node][1]["parent"], hops + 1
            if node == code:
                ctx.error(row.number, "parent", _("atasan membentuk lingkaran"))
                break

    def save_position(code: str, _row: _Row, plan: dict[str, Any], parent: Position | None) -> Position:
        pos = plan["existing"] or Position(code=code)
        pos.name, pos.unit, pos.eselon, pos.is_head = plan["name"], plan["unit"], plan["eselon"], plan["is_head"]
        pos.parent = parent
        pos.save()
        return pos

    def write(progress: Progress, _accounts: bool, _password: str) -> None:
        _write_parent_first(ctx, progress, planned, dict(existing_all), save_position)
    return write


# locations --------------------------------------------------------------------------------------------

def _plan_locations(ctx: _Context, rows: list[_Row]) -> Writer:
    units = ctx.in_scope_units()
    by_code = {loc.code: loc for loc in WorkLocation.objects.exclude(code=None).select_related("unit")}
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    plans: list[tuple[_Row, WorkLocation, bool]] = []
    for row in rows:
        if not _required(ctx, row, "name", "unit", "latitude", "longitude"):
            continue
        _max_length(ctx, row, "name", 200)
        _max_length(ctx, row, "code", 40)
        _max_length(ctx, row, "address", 300)
        code = row.texts.get("code", "")
        if code and not _check_duplicate(ctx, seen_codes, row, "code", code, _("Kode")):
            continue
        unit = units.get(row.texts["unit"])
        if unit is None:
            ctx.error(row.number, "unit", _("kode unit %(code)s tidak dikenal") % {"code": row.texts["unit"]},
                      row.texts["unit"])
            continue
        _check_duplicate(ctx, seen_names, row, "name", f"{unit.code}/{row.texts['name']}", _("Lokasi"))
        existing = by_code.get(code) if code else None
        if existing is not None and (not ctx.update or existing.unit.code not in units):
            ctx.error(row.number, "code", _("kode lokasi %(code)s sudah terdaftar") % {"code": code}, code)
            continue
        loc = existing or WorkLocation(code=code or None)
        loc.name, loc.unit, loc.address = row.texts["name"], unit, row.texts.get("address", "")
        try:
            loc.latitude = parse_coordinate(row.values["latitude"], -11.5, 6.5)  # Indonesia's extent
        except CellError as exc:
            ctx.error(row.number, "latitude", str(exc), row.texts["latitude"])
        try:
            loc.longitude = parse_coordinate(row.values["longitude"], 94.5, 141.5)
        except CellError as exc:
            ctx.error(row.number, "longitude", str(exc), row.texts["longitude"])
        radius_text = row.texts.get("radius_m", "").lower().removesuffix("m").strip()
        if radius_text:
            if not radius_text.isdigit() or not 10 <= int(radius_text) <= 5000:
                ctx.error(row.number, "radius_m", _("harus bilangan bulat meter antara 10 dan 5000"),
                          row.texts["radius_m"])
            else:
                loc.radius_m = int(radius_text)
        if row.texts.get("timezone"):
            try:
                loc.timezone = _choice(row.texts["timezone"], TimeZoneChoice.choices, TIMEZONE_ALIASES)
            except CellError as exc:
                ctx.error(row.number, "timezone", str(exc), row.texts["timezone"])
        loc.is_active = _bool(ctx, row, "is_active", True)
        plans.append((row, loc, existing is not None))

    def write(progress: Progress, _accounts: bool, _password: str) -> None:
        new = [loc for _r, loc, is_update in plans if not is_update]
        old = [loc for _r, loc, is_update in plans if is_update]
        for chunk in progress([new[i:i + 500] for i in range(0, len(new), 500)], _("Menyimpan"), (len(new) + 499) // 500):
            WorkLocation.objects.bulk_create(chunk)
        if old:
            WorkLocation.objects.bulk_update(old, ["name", "unit", "address", "latitude", "longitude", "radius_m",
                                                   "timezone", "is_active"])
        ctx.report.created, ctx.report.updated = len(new), len(old)
    return write


# employees --------------------------------------------------------------------------------------------

def _plan_employees(ctx: _Context, rows: list[_Row]) -> Writer:
    units = ctx.in_scope_units()
    unit_ids = {u.pk for u in units.values()}
    positions = {p.code: p for p in Position.objects.filter(unit_id__in=unit_ids).select_related("unit")}
    scoped_locations = list(WorkLocation.objects.filter(unit_id__in=unit_ids, is_active=True))
    locations = {loc.code: loc for loc in scoped_locations if loc.code}
    locations_by_name: dict[str, list[WorkLocation]] = {}
    for loc in scoped_locations:
        locations_by_name.setdefault(loc.name.lower(), []).append(loc)
    nips = [identity for r in rows if (identity := re.sub(r"\D", "", r.texts.get("nip", "")))]
    niks = [identity for r in rows if (identity := re.sub(r"\D", "", r.texts.get("nik", "")))]
    pins = [r.texts["device_pin"] for r in rows if r.texts.get("device_pin")]
    in_db_nip = {e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("unit")}
    in_db_nik = {e.nik: e for e in Employee.objects.filter(nik__in=niks).select_related("unit")}
    in_db_pin = dict(Employee.objects.filter(device_pin__in=pins).values_list("device_pin", "pk"))
    seen_nip: dict[str, int] = {}
    seen_nik: dict[str, int] = {}
    seen_pin: dict[str, int] = {}
    plans: list[tuple[_Row, Employee, list[WorkLocation], bool]] = []
    field_to_key = {"nip": "nip", "nik": "nik", "sex": "sex", "active_until": "active_until",
                    "position": "position", "kind": "kind", "name": "name", "email": "email", "phone": "phone"}
    for row in rows:
        if not _required(ctx, row, "name", "kind", "unit"):
            continue
        _max_length(ctx, row, "name", 200)
        errors_before = len(ctx.report.errors)
        nip = nik = ""
        try:
            nip = identity_text(row.values.get("nip"), "NIP")
            if nip:
                parse_nip(nip)
        except (CellError, IdentityError) as exc:
            ctx.error(row.number, "nip", str(exc), row.texts.get("nip", ""))
        nik_info = None
        try:
            nik = identity_text(row.values.get("nik"), "NIK")
            if nik:
                nik_info = parse_nik(nik)
        except (CellError, IdentityError) as exc:
            ctx.error(row.number, "nik", str(exc), row.texts.get("nik", ""))
        if nip:
            _check_duplicate(ctx, seen_nip, row, "nip", nip, "NIP")
        if nik:
            _check_duplicate(ctx, seen_nik, row, "nik", nik, "NIK")
        existing = in_db_nip.get(nip) if nip else None
        if existing is None and nik:
            existing = in_db_nik.get(nik)
        if existing is not None:
            if existing.unit_id not in unit_ids:
                ctx.error(row.number, "nip" if nip else "nik",
                          _("sudah terdaftar untuk pegawai di luar cakupan Anda"), nip or nik)
                continue
            if not ctx.update:
                ctx.error(row.number, "nip" if nip and existing.nip == nip else "nik",
                          _("sudah terdaftar (%(name)s); gunakan mode perbarui untuk mengubah data pegawai yang ada")
                          % {"name": existing.name}, nip or nik)
                continue
            other = in_db_nik.get(nik) if nik else None
            if other is not None and other.pk != existing.pk:
                ctx.error(row.number, "nik", _("NIK ini milik pegawai lain (%(name)s)") % {"name": other.name}, nik)
                continue
        elif nik and nik in in_db_nik:
            ctx.error(row.number, "nik", _("NIK sudah terdaftar untuk pegawai lain"), nik)
            continue
        emp = existing or Employee()
        emp.name, emp.nip, emp.nik = row.texts["name"], nip or None, nik or None
        try:
            emp.kind = _choice(row.texts["kind"], EmployeeKind.choices, EMPLOYEE_KIND_ALIASES)
        except CellError as exc:
            ctx.error(row.number, "kind", str(exc), row.texts["kind"])
        if row.texts.get("sex"):
            try:
                emp.sex = _choice(row.texts["sex"], Sex.choices, SEX_ALIASES)
            except CellError as exc:
                ctx.error(row.number, "sex", str(exc), row.texts["sex"])
        elif nik_info is not None and not nip:
            emp.sex = nik_info.sex
        for key in ("birth_date", "active_from", "active_until"):
            try:
                setattr(emp, key, parse_date(row.values.get(key)))
            except CellError as exc:
                ctx.error(row.number, key, str(exc), row.texts.get(key, ""))
        if emp.birth_date is None and nik_info is not None and not nip:
            emp.birth_date = nik_info.birth_date
        unit = units.get(row.texts["unit"])
        if unit is None:
            ctx.error(row.number, "unit", _("kode unit %(code)s tidak dikenal") % {"code": row.texts["unit"]},
                      row.texts["unit"])
            continue
        emp.unit = unit
        emp.position = None
        if row.texts.get("position"):
            position = positions.get(row.texts["position"])
            if position is None:
                ctx.error(row.number, "position", _("kode jabatan %(code)s tidak dikenal") % {"code": row.texts["position"]},
                          row.texts["position"])
            else:
                emp.position = position
        try:
            emp.tpp_base = parse_rupiah(row.texts.get("tpp_base", ""))
        except CellError as exc:
            ctx.error(row.number, "tpp_base", str(exc), row.texts.get("tpp_base", ""))
        pin = row.texts.get("device_pin", "")
        if pin:
            if not pin.isdigit() or len(pin) > 24:
                ctx.error(row.number, "device_pin", _("PIN mesin harus berupa angka (maksimal 24 digit)"), pin)
            elif _check_duplicate(ctx, seen_pin, row, "device_pin", pin, "PIN") and pin in in_db_pin \
                    and in_db_pin[pin] != emp.pk:
                ctx.error(row.number, "device_pin", _("PIN mesin %(pin)s sudah dipakai pegawai lain") % {"pin": pin}, pin)
        emp.device_pin = pin or (emp.device_pin if existing else None)
        emp.phone = row.texts.get("phone", "")
        _max_length(ctx, row, "phone", 20)
        emp.email = row.texts.get("email", "")
        if emp.email:
            try:
                validate_email(emp.email)
            except ValidationError:
                ctx.error(row.number, "email", _("alamat email tidak valid"), emp.email)
        emp.is_active = _bool(ctx, row, "is_active", True)
        chosen: list[WorkLocation] = []
        for token in [t.strip() for t in re.split(r"[;,\n]", row.texts.get("locations", "")) if t.strip()]:
            found = locations.get(token)
            if found is None:
                candidates = locations_by_name.get(token.lower(), [])
                found = candidates[0] if len(candidates) == 1 else None
            if found is None:
                ctx.error(row.number, "locations", _("lokasi %(code)s tidak dikenal") % {"code": token}, token)
            else:
                chosen.append(found)
        if len(ctx.report.errors) == errors_before:
            try:
                emp.full_clean(exclude=["unit", "position", "user", "locations", "device_pin"],
                               validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                _model_errors(ctx, row, exc, field_to_key)
        if not chosen and not existing:
            # Without a location nobody can check in; default to the offices of the unit and its OPD.
            own = [loc for loc in scoped_locations if loc.unit_id == unit.pk] or \
                [loc for loc in scoped_locations if loc.unit_id == unit.opd_id]
            chosen = own[:1]
        plans.append((row, emp, chosen, existing is not None))

    def write(progress: Progress, create_accounts: bool, password: str) -> None:
        new = [e for _r, e, _l, upd in plans if not upd]
        old = [e for _r, e, _l, upd in plans if upd]
        if create_accounts:
            user_model = get_user_model()
            hashed = make_password(password) if password else make_password(None)
            wanted = [e.nip or e.nik for e in new + old if e.user_id is None]
            taken = set(user_model.objects.filter(username__in=wanted).values_list("username", flat=True))
            for e in new + old:
                username = e.nip or e.nik
                if e.user_id is None and username and username not in taken:
                    user = user_model(username=username, password=hashed, first_name=e.name[:150])
                    e.user = user
            users: list[Any] = [e.user for e in new + old if e.user is not None and e.user.pk is None]
            user_model.objects.bulk_create(users, batch_size=500)
            for e in new + old:
                if e.user is not None:
                    e.user_id = e.user.pk
        batches = [new[i:i + 500] for i in range(0, len(new), 500)]
        for batch in progress(batches, _("Menyimpan"), len(batches)):
            Employee.objects.bulk_create(batch)
        if old:
            Employee.objects.bulk_update(old, ["name", "nip", "nik", "kind", "sex", "birth_date", "unit", "position",
                                               "tpp_base", "active_from", "active_until", "is_active", "device_pin",
                                               "phone", "email", "user"], batch_size=500)
        through = Employee.locations.through
        updated_with_locations = [e.pk for _r, e, locs, upd in plans if upd and locs]
        through.objects.filter(employee_id__in=updated_with_locations).delete()
        links = [through(employee_id=e.pk, worklocation_id=loc.pk) for _r, e, locs, _u in plans for loc in locs]
        through.objects.bulk_create(links, batch_size=1000)
        ctx.report.created, ctx.report.updated = len(new), len(old)
    return write


def import_file(kind: str, path: str | Path, **kwargs: Any) -> ImportReport:
    path = Path(path)
    return run_import(kind, path.read_bytes(), path.name, **kwargs)


def read_upload(upload: IO[bytes], limit: int = 20 * 1024 * 1024) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValueError(_("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": limit // (1024 * 1024)})
    return data


COLUMN_NOTES: dict[str, str] = {
    "kind": "lihat docs/import.md untuk daftar nilai",
    "parent": "kode unit/jabatan induk",
    "is_active": "ya/tidak",
    "is_head": "ya/tidak",
    "eselon": "II.a, II.b, III.a, III.b, IV.a, IV.b, JF, JP, NA",
    "latitude": "derajat desimal, mis. -3.7956",
    "longitude": "derajat desimal, mis. 102.2592",
    "radius_m": "meter, 10–5000 (bawaan 100)",
    "timezone": "WIB, WITA atau WIT",
    "nip": "18 digit, kolom berformat Teks",
    "nik": "16 digit, kolom berformat Teks",
    "sex": "L/P",
    "birth_date": "HH-BB-TTTT",
    "locations": "kode lokasi, pisahkan dengan ;",
    "tpp_base": "rupiah tanpa desimal",
    "active_from": "HH-BB-TTTT",
    "active_until": "HH-BB-TTTT",
    "device_pin": "angka, unik",
}
TEXT_COLUMNS = {"code", "parent", "unit", "nip", "nik", "position", "locations", "device_pin", "phone"}


def template_workbook(kind: str) -> bytes:
    """A blank .xlsx for `kind`: the header row (identity columns formatted as text) and a notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    kind = KIND_ALIASES.get(kind, kind)
    columns = COLUMNS[kind]
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = {"units": "Unit", "positions": "Jabatan", "locations": "Lokasi", "employees": "Pegawai"}[kind]
    sheet.append([col.label for col in columns])
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(col.label) + 4)
        if col.key in TEXT_COLUMNS:
            for row in range(2, 2002):  # typed NIPs stay text (Excel would round an 18-digit number)
                sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = wb.create_sheet("Petunjuk")
    notes.append(["Kolom", "Wajib", "Nama lain yang diterima", "Keterangan"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for col in columns:
        notes.append([col.label, "ya" if col.required else "", ", ".join(col.aliases), COLUMN_NOTES.get(col.key, "")])
    for letter, width in zip("ABCD", (18, 8, 40, 50), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
