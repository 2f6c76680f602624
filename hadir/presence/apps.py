from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "hadir.presence"
    verbose_name = "Presensi"

    def ready(self) -> None:
        # registers the Celery task of the batched status refresh (hadir.presence.refresh_dirty)
        from . import refresh  # noqa: F401
