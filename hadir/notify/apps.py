from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hadir.notify"
    verbose_name = "Notifikasi"
