from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hadir.web"
    verbose_name = "Dasbor"

    def ready(self) -> None:
        from . import board  # noqa: F401  (connects its receivers on import)
