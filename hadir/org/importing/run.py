"""Running an import: permission, read the file, check every row of its kind, then write all of it in one
transaction, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hadir.org.scoping import admin_paths
from hadir.org.signals import import_finished

from .checks import Context, Row, table_rows
from .columns import KIND_ALIASES, KINDS, map_headers
from .employees import check_employees
from .locations import check_locations
from .positions import check_positions
from .reading import read_table
from .report import ImportReport, RowError
from .units import check_units
from .writing import ImportAborted, Progress, Writer

CHECKS: dict[str, Callable[[Context, list[Row]], Writer]] = {
    "units": check_units, "positions": check_positions, "locations": check_locations, "employees": check_employees,
}


def import_file(kind: str, path: str | Path, **kwargs: Any) -> ImportReport:
    path = Path(path)
    return run_import(kind, path.read_bytes(), path.name, **kwargs)


def run_import(kind: str, data: bytes, filename: str, *, user: Any = None, update: bool = False,
               create_accounts: bool = False, initial_password: str = "",
               progress: Progress | None = None) -> ImportReport:
    """Check every row, then write all of them in one transaction, or nothing. Every run, written or refused,
    is announced (`import_finished`: the audit trail keeps one entry per run with its counts and the file's hash)."""
    report = _run(kind, data, filename, user, update, create_accounts, initial_password, progress)
    import_finished.send(sender=ImportReport, user=user, report=report, filename=filename,
                         sha256=hashlib.sha256(data).hexdigest())
    return report


def _run(kind: str, data: bytes, filename: str, user: Any, update: bool, create_accounts: bool,
         initial_password: str, progress: Progress | None) -> ImportReport:
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
    mapping = map_headers(kind, table.headers, report)
    report.rows = len(table.rows)
    if report.errors:
        return report
    if not table.rows:
        report.errors.append(RowError(0, "", _("Berkas tidak berisi baris data.")))
        return report
    ctx = Context(kind, report, mapping, table.headers, user, update)
    rows = list(progress(table_rows(table, mapping), _("Memeriksa"), len(table.rows)))
    writer = CHECKS[kind](ctx, rows)
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


def _no_progress(items: Iterable[Any], desc: str, total: int) -> Iterable[Any]:
    return items
