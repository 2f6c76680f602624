from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hadir.web"
    verbose_name = "Dasbor"
