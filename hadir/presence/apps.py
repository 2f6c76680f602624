from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "hadir.presence"
    verbose_name = "Presensi"

    def ready(self) -> None:
        # registers the Celery tasks defined outside tasks.py: the batched status refresh and the retention purge
        from . import followup, retention  # noqa: F401
