"""hadir import_holidays [--year 2026 ...] [--ramadan]

Imports national holidays and cuti bersama from the `holidays` package (this and next year by default);
--ramadan also creates an estimated Ramadan period for each year that has none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hadir.schedules.holiday_calendar import ensure_ramadan_period, import_national_holidays


class Command(BaseCommand):
    help = "Impor libur nasional dan cuti bersama dari paket holidays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="tahun (boleh diulang)")
        parser.add_argument("--ramadan", action="store_true", help="buat juga perkiraan periode Ramadan")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = dt.date.today().year
        years = options["year"] or [this_year, this_year + 1]
        result = import_national_holidays(years)
        self.stdout.write(
            f"Libur nasional {', '.join(map(str, years))}: {result.created} baru, {result.removed} dihapus "
            f"(tidak lagi ada di kalender), {result.kept} tetap."
        )
        if options["ramadan"]:
            for year in years:
                period = ensure_ramadan_period(year)
                if period:
                    self.stdout.write(f"Periode Ramadan {year}: {period.start:%d-%m-%Y} s.d. {period.end:%d-%m-%Y} "
                                      "(perkiraan; sesuaikan di admin).")
