from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hadir.notify"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from . import webpush  # noqa: F401  (registers the "webpush" channel)
