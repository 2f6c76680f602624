"""`hadir demo`: create the database, seed Kabupaten Contoh (once), run every app's demo data, serve.

The apps' demo data (`hadir/<app>/demo.py`, `seed(rng, today) -> list[str]`) run after the organisation is
seeded, in the order of hadir.demo.hooks.DEMO_HOOKS. While it serves, the periodic jobs of
settings.CELERY_BEAT_SCHEDULE run in a thread beside the server (hadir.demo.scheduler; no beat to start).
"""

from __future__ import annotations

import os
import random
import time
import traceback
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hadir.demo.hooks import DEMO_HOOKS, DemoHook
from hadir.demo.scheduler import DemoScheduler
from hadir.org.models import Unit
from hadir.org.seed import demo_logins, seed_regency


def demo_hooks() -> list[tuple[str, DemoHook]]:
    """(app, seed function) for every app's demo data, in the order they run."""
    return list(DEMO_HOOKS)


class Command(BaseCommand):
    help = "Buat basis data, isi data contoh Kabupaten Contoh (sekali), lalu jalankan server demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=2000, help="jumlah pegawai contoh (bawaan 2000)")
        parser.add_argument("--seed", type=int, default=2026, help="benih acak; benih sama → data sama")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                            help="port server (bawaan $PORT atau 8000)")
        parser.add_argument("--no-serve", action="store_true", help="isi data saja, jangan jalankan server")
        parser.add_argument("--no-hooks", action="store_true", help="lewati data contoh aplikasi lain")
        parser.add_argument("--no-jobs", action="store_true",
                            help="jangan jalankan tugas berkala (eskalasi, tutup hari, …) di samping server")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["employees"] < 10:
            raise CommandError("--employees minimal 10.")
        started = time.monotonic()
        self.stdout.write("== Menyiapkan basis data (migrate)")
        call_command("migrate", interactive=False, verbosity=0)

        if Unit.objects.exists():
            self.stdout.write(self.style.WARNING(
                "Basis data sudah berisi data organisasi; pengisian data contoh dilewati."
            ))
        else:
            rng = random.Random(opts["seed"])
            today = timezone.localdate()
            self.stdout.write(f"== Mengisi Kabupaten Contoh ({opts['employees']} pegawai)")
            t0 = time.monotonic()
            result = seed_regency(rng, today, employees=opts["employees"])
            kinds = ", ".join(f"{k.upper()} {v}" for k, v in sorted(result.by_kind.items()))
            self.stdout.write(
                f"   {result.units} unit kerja, {result.positions} jabatan, {result.locations} lokasi kerja, "
                f"{result.employees} pegawai ({kinds}) — {time.monotonic() - t0:.1f} dtk"
            )
            if not opts["no_hooks"]:
                for app_name, seed in demo_hooks():
                    t0 = time.monotonic()
                    self.stdout.write(f"== Data contoh {app_name}")
                    try:
                        lines = seed(random.Random(f"{opts['seed']}:{app_name}"), today)
                    except Exception:  # a broken hook must not keep the rest of the demo from running
                        self.stderr.write(self.style.ERROR(f"   Data contoh {app_name} gagal dibuat:"))
                        self.stderr.write(traceback.format_exc())
                        continue
                    for line in lines or []:
                        self.stdout.write(f"   {line}")
                    self.stdout.write(f"   ({time.monotonic() - t0:.1f} dtk)")
        logins = demo_logins()
        if logins:
            self._print_logins(logins)
        self.stdout.write(f"Siap dalam {time.monotonic() - started:.1f} dtk.")

        if opts["no_serve"]:
            return
        port = opts["port"]
        if not opts["no_jobs"]:
            jobs = DemoScheduler()
            jobs.start()
            self.stdout.write(f"== Tugas berkala berjalan di latar ({len(jobs.jobs)}): "
                              + ", ".join(job.name for job in jobs.jobs))
        self.stdout.write(self.style.SUCCESS(f"== Hadir berjalan di http://127.0.0.1:{port}/  (Ctrl+C untuk berhenti)"))
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("== Akun demo"))
        width = max(len(role.split(" — ")[0]) for role, _u, _p in logins)
        for role, username, password in logins:
            label, _sep, who = role.partition(" — ")
            self.stdout.write(f"   {label.ljust(width)}  {username:<19}  {password}  {who}".rstrip())
        self.stdout.write("   Setiap pegawai juga dapat masuk dengan NIP (atau NIK bagi non-ASN) dan kata sandi yang sama;")
        self.stdout.write("   tiap OPD memiliki akun operator.<kode OPD>, mis. operator.disdikbud.")
        self.stdout.write("")
