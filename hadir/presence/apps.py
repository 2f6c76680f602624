from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "hadir.presence"
    verbose_name = "Presensi"
