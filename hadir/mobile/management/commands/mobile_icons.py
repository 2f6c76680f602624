from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hadir.mobile.icons import write_icons


class Command(BaseCommand):
    help = "Gambar ulang ikon aplikasi presensi (PNG) dengan Pillow."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in write_icons():
            self.stdout.write(str(path))
