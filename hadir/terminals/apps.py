from django.apps import AppConfig


class TerminalsConfig(AppConfig):
    name = "hadir.terminals"
    verbose_name = "Mesin Absensi"
