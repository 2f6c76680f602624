"""`hadir purge_personal_data`: delete selfies and location pings past their retention period.

Selfies older than HADIR_PHOTO_RETENTION_DAYS lose their image file (the check-in row stays: it is the
attendance record); location pings older than HADIR_PING_RETENTION_DAYS are deleted outright (they are
only a trace of where someone was). Run it daily (cron or Celery beat). --dry-run counts only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hadir.presence.retention import purge


class Command(BaseCommand):
    help = "Hapus swafoto dan ping lokasi yang melewati masa simpan (HADIR_PHOTO/PING_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="hanya hitung, tidak menghapus")

    def handle(self, *args: Any, **options: Any) -> None:
        photos, pings = purge(dry_run=options["dry_run"])
        verb = "akan dihapus" if options["dry_run"] else "dihapus"
        self.stdout.write(
            f"Swafoto lebih dari {settings.HADIR_PHOTO_RETENTION_DAYS} hari {verb}: {photos}\n"
            f"Ping lokasi lebih dari {settings.HADIR_PING_RETENTION_DAYS} hari {verb}: {pings}"
        )
