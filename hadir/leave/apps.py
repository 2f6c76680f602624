from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "hadir.leave"
    verbose_name = "Izin, Cuti dan Dinas Luar"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.approvals.signals import request_decided
        from hadir.org.models import Role
        from hadir.org.roles import ROLE_PERMISSIONS

        from .services import apply_approval

        for role in (Role.OPERATOR_OPD, Role.ADMIN_BKPSDM):  # docs/operations.md
            ROLE_PERMISSIONS[role] |= {"leave.view_leaverequest", "leave.change_leaverequest",
                                       "leave.view_annualleaveopening"}
        ROLE_PERMISSIONS[Role.ADMIN_BKPSDM] |= {"leave.add_annualleaveopening", "leave.change_annualleaveopening"}
        request_decided.connect(apply_approval, dispatch_uid="leave.apply_approval")
