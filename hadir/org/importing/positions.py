"""Jabatan sheet: codes, units, eselon, and the atasan tree (an existing position in scope or a row of the file)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hadir.org.models import Eselon, Position

from .cells import CellError, parse_eselon
from .checks import Context, Row, check_duplicate, max_length, required, yes_no
from .writing import Progress, Writer, write_parent_first


def check_positions(ctx: Context, rows: list[Row]) -> Writer:
    """Check every row; return the writer that saves them (run only when no row has an error)."""
    units = ctx.in_scope_units()
    existing_all = {p.code: p for p in Position.objects.select_related("unit")}
    scoped_codes = {c for c, p in existing_all.items() if p.unit.code in units}
    seen: dict[str, int] = {}
    planned: dict[str, tuple[Row, dict[str, Any]]] = {}
    for row in rows:
        if not required(ctx, row, "code", "name", "unit"):
            continue
        code = row.texts["code"]
        max_length(ctx, row, "code", 40)
        max_length(ctx, row, "name", 200)
        if not check_duplicate(ctx, seen, row, "code", code, _("Kode")):
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
                               "eselon": eselon, "is_head": yes_no(ctx, row, "is_head", False),
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

    def save_position(code: str, _row: Row, plan: dict[str, Any], parent: Position | None) -> Position:
        pos = plan["existing"] or Position(code=code)
        pos.name, pos.unit, pos.eselon, pos.is_head = plan["name"], plan["unit"], plan["eselon"], plan["is_head"]
        pos.parent = parent
        pos.save()
        return pos

    def write(progress: Progress, _accounts: bool, _password: str) -> None:
        write_parent_first(ctx, progress, planned, dict(existing_all), save_position)
    return write
