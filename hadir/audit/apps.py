from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hadir.audit"
    verbose_name = "Jejak Audit"

    def ready(self) -> None:
        from . import signals

        signals.connect()
