from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "hadir.leave"
    verbose_name = "Izin, Cuti dan Dinas Luar"
