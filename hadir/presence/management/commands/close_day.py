"""hadir close_day --date YYYY-MM-DD [--unit KODE] [--recompute-only]

Closes a date now (belum → tk, missing pulang → PSW4 per the rule set) for every active employee, or for
one unit subtree; with --recompute-only the statuses are recomputed from the check-ins without closing
(rows already closed stay closed). Like every writer it marks the employee-days in the outbox, then drains it."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from hadir.org.models import Employee, Unit
from hadir.presence import outbox


class Command(BaseCommand):
    help = "Tutup (atau hitung ulang) status harian satu tanggal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="tanggal setempat, YYYY-MM-DD")
        parser.add_argument("--unit", help="kode unit kerja: hanya unit ini beserta sub-unitnya")
        parser.add_argument("--recompute-only", action="store_true", help="hitung ulang tanpa menutup hari")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"Tanggal tidak valid: {options['date']!r} (format YYYY-MM-DD)") from exc
        close = not options["recompute_only"]
        reason = "close_day" if close else "recompute_day"
        t0 = time.perf_counter()
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unit dengan kode {options['unit']!r} tidak ditemukan.")
            ids = list(Employee.objects.active_on(day).filter(
                Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + ".")).values_list("id", flat=True))
            outbox.mark_days([(i, day) for i in ids], reason, close=close)
            n = len(ids)
        else:
            outbox.mark_dates([day], reason, close=close)
            n = Employee.objects.active_on(day).count()
        outbox.drain()
        verb = "ditutup" if close else "dihitung ulang"
        self.stdout.write(f"{day:%Y-%m-%d}: {n} pegawai {verb} dalam {time.perf_counter() - t0:.1f} detik.")
