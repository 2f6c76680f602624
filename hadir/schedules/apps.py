from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "hadir.schedules"
    verbose_name = "Jadwal Kerja"
