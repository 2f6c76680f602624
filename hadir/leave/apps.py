from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "hadir.leave"
    verbose_name = "Izin, Cuti dan Dinas Luar"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.approvals.signals import request_decided

        from .services import apply_approval

        request_decided.connect(apply_approval, dispatch_uid="leave.apply_approval")
