"""Unit kerja sheet: codes, kinds, parents (an existing unit in scope or a row of the file, no cycles)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hadir.org.models import Unit, UnitKind

from .cells import CellError, parse_choice
from .checks import Context, Row, check_duplicate, max_length, model_errors, required, yes_no
from .writing import ImportAborted, Progress, Writer, write_parent_first


def check_units(ctx: Context, rows: list[Row]) -> Writer:
    """Check every row; return the writer that saves them (run only when no row has an error)."""
    all_units = {u.code: u for u in Unit.objects.all()}
    scoped = ctx.in_scope_units()
    seen: dict[str, int] = {}
    planned: dict[str, tuple[Row, dict[str, Any]]] = {}
    for row in rows:
        if not required(ctx, row, "code", "name", "kind"):
            continue
        code, name = row.texts["code"], row.texts["name"]
        max_length(ctx, row, "code", 40)
        max_length(ctx, row, "name", 200)
        if not check_duplicate(ctx, seen, row, "code", code, _("Kode")):
            continue
        try:
            kind = parse_choice(row.texts["kind"], UnitKind.choices)
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
        is_active = yes_no(ctx, row, "is_active", True)
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

    def save_unit(code: str, row: Row, plan: dict[str, Any], parent: Unit | None) -> Unit:
        unit = plan["existing"] or Unit(code=code)
        unit.name, unit.kind, unit.is_active = plan["name"], plan["kind"], plan["is_active"]
        unit.parent = parent
        try:
            unit.full_clean(exclude=["parent"], validate_unique=False)
        except ValidationError as exc:
            model_errors(ctx, row, exc, {"parent": "parent", "name": "name", "kind": "kind"})
            raise ImportAborted from exc
        unit.save()
        return unit

    def write(progress: Progress, _accounts: bool, _password: str) -> None:
        write_parent_first(ctx, progress, planned, dict(scoped), save_unit)
    return write
