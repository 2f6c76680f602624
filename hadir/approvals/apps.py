from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "hadir.approvals"
    verbose_name = "Persetujuan"

    def ready(self) -> None:
        from . import signals

        signals.connect()
