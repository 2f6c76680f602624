"""Lokasi kerja sheet: units, coordinates within Indonesia, geofence radius, time zone; written in bulk."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hadir.org.models import TimeZoneChoice, WorkLocation

from .cells import TIMEZONE_ALIASES, CellError, parse_choice, parse_coordinate
from .checks import Context, Row, check_duplicate, max_length, required, yes_no
from .writing import Progress, Writer


def check_locations(ctx: Context, rows: list[Row]) -> Writer:
    """Check every row; return the writer that saves them (run only when no row has an error)."""
    units = ctx.in_scope_units()
    by_code = {loc.code: loc for loc in WorkLocation.objects.exclude(code=None).select_related("unit")}
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    plans: list[tuple[Row, WorkLocation, bool]] = []
    for row in rows:
        if not required(ctx, row, "name", "unit", "latitude", "longitude"):
            continue
        max_length(ctx, row, "name", 200)
        max_length(ctx, row, "code", 40)
        max_length(ctx, row, "address", 300)
        code = row.texts.get("code", "")
        if code and not check_duplicate(ctx, seen_codes, row, "code", code, _("Kode")):
            continue
        unit = units.get(row.texts["unit"])
        if unit is None:
            ctx.error(row.number, "unit", _("kode unit %(code)s tidak dikenal") % {"code": row.texts["unit"]},
                      row.texts["unit"])
            continue
        check_duplicate(ctx, seen_names, row, "name", f"{unit.code}/{row.texts['name']}", _("Lokasi"))
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
                loc.timezone = parse_choice(row.texts["timezone"], TimeZoneChoice.choices, TIMEZONE_ALIASES)
            except CellError as exc:
                ctx.error(row.number, "timezone", str(exc), row.texts["timezone"])
        loc.is_active = yes_no(ctx, row, "is_active", True)
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
