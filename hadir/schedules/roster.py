"""Roster building for 24-hour units: a repeating rotation laid over a month, staggered between staff so
that every shift is covered every day. Pure functions over plain values; the admin view stores the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

OFF_TOKENS = {"-", "l", "libur", "off", "x"}


class RotationError(ValueError):
    pass


def parse_rotation(text: str, known_codes: set[str]) -> list[str | None]:
    """"pagi, pagi, siang, siang, malam, -, -" → ["pagi", "pagi", "siang", "siang", "malam", None, None].
    "-", "L" or "libur" mean a day off. Unknown codes are an error (in Indonesian)."""
    parts = [p.strip().lower() for p in text.replace(";", ",").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        raise RotationError(_("Rotasi kosong: tuliskan kode shift dipisah koma, mis. pagi,siang,malam,-"))
    if len(parts) > 31:
        raise RotationError(_("Rotasi terlalu panjang (maksimal 31 hari)."))
    unknown = [p for p in parts if p not in OFF_TOKENS and p not in known_codes]
    if unknown:
        raise RotationError(
            _("Kode shift tidak dikenal: %(codes)s (yang tersedia: %(known)s; '-' untuk libur).")
            % {"codes": ", ".join(dict.fromkeys(unknown)), "known": ", ".join(sorted(known_codes))}
        )
    if all(p in OFF_TOKENS for p in parts):
        raise RotationError(_("Rotasi hanya berisi hari libur."))
    return [None if p in OFF_TOKENS else p for p in parts]


def rotation_roster(employee_ids: Sequence[int], days: Sequence[dt.date], rotation: Sequence[str | None],
                    *, anchor: dt.date | None = None, stagger: bool = True) -> list[tuple[int, dt.date, str | None]]:
    """(employee, date, shift code or None) for every employee and day. Position in the rotation counts from
    `anchor` (default: the first day), so consecutive months continue the same cycle; with `stagger`,
    employee i starts i positions later, spreading staff over the shifts."""
    if not rotation:
        raise RotationError(_("Rotasi kosong."))
    start = anchor or (days[0] if days else dt.date.today())
    n = len(rotation)
    out: list[tuple[int, dt.date, str | None]] = []
    for i, emp_id in enumerate(employee_ids):
        shift_by = i % n if stagger else 0
        for day in days:
            out.append((emp_id, day, rotation[((day - start).days + shift_by) % n]))
    return out


def coverage(roster: Sequence[tuple[int, dt.date, str | None]]) -> dict[dt.date, dict[str, int]]:
    """How many staff each shift has on each day (to check nobody left a night uncovered)."""
    cov: dict[dt.date, dict[str, int]] = {}
    for _emp, day, code in roster:
        if code is not None:
            cov.setdefault(day, {}).setdefault(code, 0)
            cov[day][code] += 1
    return cov
