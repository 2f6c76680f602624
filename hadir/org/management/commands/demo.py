"""`hadir demo`: create the database, seed Kabupaten Contoh (once), run every app's demo hook, serve.

Each app may provide `hadir/<app>/demo.py` with `seed(rng: random.Random, today: datetime.date) -> list[str]`
(contract C8); the hooks run after the organisation is seeded, in INSTALLED_APPS order.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import os
import random
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

DemoHook = Callable[[random.Random, dt.date], list[str]]


def demo_hooks() -> list[tuple[str, DemoHook]]:
    """(app module, seed function) for every Hadir app that ships a demo.py, in INSTALLED_APPS order."""
    hooks: list[tuple[str, DemoHook]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("hadir.") or config.name == "hadir.org":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        seed = getattr(module, "seed", None)
        if callable(seed):
            hooks.append((config.name, seed))
    return hooks


class Command(BaseCommand):
    help = "Buat basis data, isi data contoh Kabupaten Contoh (sekali), lalu jalankan server demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=2000, help="jumlah pegawai contoh (bawaan 2000)")
        parser.add_argument("--seed", type=int, default=2026, help="benih acak; benih sama → data sama")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                            help="port server (bawaan $PORT atau 8000)")
        parser.add_argument("--no-serve", action="store_true", help="isi data saja, jangan jalankan server")
        parser.add_argument("--no-hooks", action="store_true", help="lewati data contoh aplikasi lain")

    def handle(self, *args: Any, **opts: Any) -> None:
        from hadir.org.models import Unit
        from hadir.org.seed import demo_logins, seed_regency

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
