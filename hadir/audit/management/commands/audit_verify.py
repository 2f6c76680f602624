"""`hadir audit_verify`: walk the audit hash chain; exit 1 at the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hadir.audit.services import verify_chain


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit; keluar dengan status 1 pada entri rusak pertama."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Rantai audit RUSAK pada entri #{report.broken_seq}: {report.problem} "
                f"({report.checked} entri sebelumnya utuh)."
            )
        self.stdout.write(self.style.SUCCESS(f"Rantai audit utuh: {report.checked} entri diperiksa."))
