from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "hadir.mobile"
    verbose_name = "Aplikasi Presensi"
