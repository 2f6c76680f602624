"""`hadir terminals <action>`: pull (older terminals over port 4370), down-days, convert, offline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hadir.terminals import health, services
from hadir.terminals.pull import PullError, pull_terminal, pullable


class Command(BaseCommand):
    help = "Mesin absensi: tarik log (pull), catat hari mesin mati, proses log antre, periksa mesin luring."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        pull = sub.add_parser("pull", help="Tarik log dari mesin lama (pyzk, TCP/UDP 4370).")
        pull.add_argument("--sn", action="append", default=[], help="Hanya mesin dengan SN ini (boleh berulang).")
        pull.add_argument("--address", help="host[:port] untuk satu mesin (dengan --sn); disimpan di mesin.")
        pull.add_argument("--udp", action="store_true", help="Gunakan UDP (mesin sangat lama).")
        pull.add_argument("--timeout", type=int, default=15)
        down = sub.add_parser("down-days", help="Catat hari mesin mati (bawaan: kemarin menurut zona mesin).")
        down.add_argument("--date", type=dt.date.fromisoformat)
        sub.add_parser("convert", help="Proses log antre menjadi presensi sekarang.")
        sub.add_parser("offline", help="Kirim peringatan mesin luring pada jam kerja.")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "pull":
            self.pull(opts)
        elif action == "down-days":
            made = health.detect_down_days(day=opts.get("date"))
            for row in made:
                self.stdout.write(f"{row.date} {row.opd} {row.terminal}")
            self.stdout.write(f"{len(made)} hari mesin mati baru dicatat.")
        elif action == "convert":
            requeued = services.requeue_unmapped()
            n = services.convert_queued()
            self.stdout.write(f"{n} log menjadi presensi ({requeued} log PIN-nya kini dikenal).")
        elif action == "offline":
            alerted = health.alert_offline()
            self.stdout.write(f"{len(alerted)} peringatan mesin luring dikirim.")

    def pull(self, opts: dict[str, Any]) -> None:
        if opts.get("address"):
            if len(opts["sn"]) != 1:
                raise CommandError("--address memerlukan tepat satu --sn.")
            terminal, _created = services.get_or_register(opts["sn"][0])
            terminal.pull_address = opts["address"]
            terminal.pull_udp = bool(opts.get("udp"))
            terminal.save(update_fields=["pull_address", "pull_udp"])
            terminals = [terminal]
        else:
            terminals = pullable()
            if opts["sn"]:
                terminals = [t for t in terminals if t.serial_number in set(opts["sn"])]
                missing = set(opts["sn"]) - {t.serial_number for t in terminals}
                if missing:
                    raise CommandError(f"Tidak ada mesin tarik dengan SN: {', '.join(sorted(missing))}")
        if not terminals:
            self.stdout.write("Tidak ada mesin dengan alamat tarik.")
            return
        failures = 0
        for terminal in terminals:
            try:
                new = pull_terminal(terminal, timeout=opts["timeout"])
            except PullError as exc:
                failures += 1
                self.stderr.write(f"{terminal.serial_number}: {exc}")
                continue
            held = " (ditahan: mesin belum ditetapkan)" if terminal.status == "pending" else ""
            self.stdout.write(f"{terminal.serial_number}: {new} log baru{held}")
        if failures == len(terminals):
            raise CommandError("Semua penarikan gagal.")



