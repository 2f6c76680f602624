"""National holidays and cuti bersama from the `holidays` package, stored as Holiday rows admins can see,
cancel (is_active) and complement with local holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_lib
from django.db import transaction

from .models import Holiday, HolidayKind, RamadanPeriod
from .services import bump_revision


@dataclass(frozen=True)
class ImportResult:
    created: int
    removed: int
    kept: int


def national_calendar(years: list[int]) -> list[tuple[dt.date, str, str]]:
    """(date, name, kind) of national holidays (category public) and cuti bersama (category government)."""
    out: list[tuple[dt.date, str, str]] = []
    for category, kind in (("public", HolidayKind.NATIONAL), ("government", HolidayKind.CUTI_BERSAMA)):
        cal = holidays_lib.country_holidays("ID", categories=(category,), years=years, language="id")
        for day, names in sorted(cal.items()):
            for name in str(names).split("; "):
                out.append((day, name.strip(), str(kind)))
    return out


@transaction.atomic
def import_national_holidays(years: list[int]) -> ImportResult:
    """Make the imported holidays of `years` match the package: add new ones, remove imported ones the
    package no longer lists (estimated dates that moved). Rows an admin deactivated stay deactivated;
    local holidays are never touched."""
    wanted = {(d, name): kind for d, name, kind in national_calendar(years)}
    existing = Holiday.objects.filter(imported=True, unit__isnull=True, date__year__in=years)
    have = {(h.date, h.name): h for h in existing}
    stale = [h.pk for key, h in have.items() if key not in wanted]
    Holiday.objects.filter(pk__in=stale).delete()
    new = [Holiday(date=d, name=name, kind=kind, imported=True) for (d, name), kind in wanted.items()
           if (d, name) not in have]
    Holiday.objects.bulk_create(new)
    bump_revision()
    return ImportResult(created=len(new), removed=len(stale), kept=len(have) - len(stale))


def ramadan_estimate(year: int) -> tuple[dt.date, dt.date] | None:
    """Ramadan of `year` estimated from the package's Idul Fitri: the 30 days before 1 Syawal (the
    government's isbat decides the real dates; admins adjust the RamadanPeriod)."""
    cal = holidays_lib.country_holidays("ID", categories=("public",), years=[year], language="id")
    eid = min((d for d, n in cal.items() if "Idul Fitri" in str(n)), default=None)
    if eid is None:
        return None
    return eid - dt.timedelta(days=30), eid - dt.timedelta(days=1)


def ensure_ramadan_period(year: int) -> RamadanPeriod | None:
    """Create an estimated RamadanPeriod for `year` unless one already starts in that year."""
    if RamadanPeriod.objects.filter(start__year=year).exists():
        return None
    est = ramadan_estimate(year)
    if est is None:
        return None
    return RamadanPeriod.objects.create(name=f"Ramadan {year} (perkiraan)", start=est[0], end=est[1])


def ensure_calendar(years: list[int]) -> list[int]:
    """Import the national holidays (and an estimated Ramadan period) of every year in `years` that has no
    imported holiday yet, so a fresh install does not treat 25 December as a working day. Cheap when the
    years are there (one query each). Returns the years imported. Called by the close_days job."""
    done = []
    for year in years:
        if Holiday.objects.filter(imported=True, date__year=year).exists():
            continue
        import_national_holidays([year])
        ensure_ramadan_period(year)
        done.append(year)
    return done
