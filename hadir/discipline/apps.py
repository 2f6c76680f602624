from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "hadir.discipline"
    verbose_name = "Disiplin (PP 94/2021)"
