"""`hadir import <kind> FILE`: import units, positions, locations or employees from .xlsx/.csv.

All-or-nothing: every row is checked first; any error is printed with its row and column, nothing
is written and the command exits non-zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from hadir.org.importing.columns import KIND_ALIASES
from hadir.org.importing.run import import_file


def tqdm_progress(items: Iterable[Any], desc: str, total: int) -> Iterable[Any]:
    return tqdm(items, desc=desc, total=total, unit="baris" if desc != "Menyimpan" else "", leave=False,
                disable=None)


class Command(BaseCommand):
    help = "Impor unit, jabatan, lokasi kerja atau pegawai dari berkas .xlsx atau .csv (semua atau tidak sama sekali)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KIND_ALIASES),
                            help="jenis data: units/unit, positions/jabatan, locations/lokasi, employees/pegawai")
        parser.add_argument("file", type=Path, help="berkas .xlsx atau .csv; baris pertama berisi nama kolom")
        parser.add_argument("--update", action="store_true",
                            help="perbarui data yang sudah ada (kode/NIP/NIK sama) alih-alih menolaknya")
        parser.add_argument("--create-accounts", action="store_true",
                            help="buat akun masuk untuk pegawai baru (nama pengguna = NIP, atau NIK bagi non-ASN)")
        parser.add_argument("--password", default="",
                            help="kata sandi awal akun baru (tanpa ini akun dibuat tanpa kata sandi yang bisa dipakai)")
        parser.add_argument("--as-user", default="",
                            help="impor dengan cakupan dan hak akses pengguna ini (mis. operator OPD)")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        user = None
        if opts["as_user"]:
            user = get_user_model().objects.filter(username=opts["as_user"]).first()
            if user is None:
                raise CommandError(f"Pengguna tidak ditemukan: {opts['as_user']}")
        report = import_file(
            opts["kind"], path, user=user, update=opts["update"], create_accounts=opts["create_accounts"],
            initial_password=opts["password"], progress=tqdm_progress,
        )
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Peringatan: {warning}"))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(report.errors)} kesalahan di {path.name}; tidak ada data yang disimpan. "
                "Perbaiki berkas lalu ulangi impor."
            )
        self.stdout.write(self.style.SUCCESS(
            f"{path.name}: {report.rows} baris diperiksa, {report.created} dibuat, {report.updated} diperbarui."
        ))
