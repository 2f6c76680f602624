from typing import Any

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "hadir.approvals"
    verbose_name = "Persetujuan"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.org.models import Role
        from hadir.org.roles import ROLE_PERMISSIONS
        from hadir.org.scoping import APPROVER_SOURCES
        from hadir.presence.signals import checkins_recorded

        from .services import acting_heads, open_checkin_items

        # docs/operations.md: both roles keep Plt/Plh in their scope and read the queue; BKPSDM sets policies
        for role in (Role.OPERATOR_OPD, Role.ADMIN_BKPSDM):
            ROLE_PERMISSIONS[role] |= {f"approvals.{a}_delegation" for a in ("view", "add", "change", "delete")}
            ROLE_PERMISSIONS[role] |= {"approvals.view_approvalitem", "approvals.view_approvalpolicy"}
        ROLE_PERMISSIONS[Role.ADMIN_BKPSDM] |= {"approvals.add_approvalpolicy", "approvals.change_approvalpolicy"}

        if acting_heads not in APPROVER_SOURCES:
            APPROVER_SOURCES.append(acting_heads)  # an acting head decides for others like the head

        def _checkins_recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
            """Every batch of new check-ins gets its approval policy applied (inside the outbox drain's
            transaction: an error rolls the batch back and it is retried)."""
            open_checkin_items(checkins)

        checkins_recorded.connect(_checkins_recorded, weak=False, dispatch_uid="approvals.checkins_recorded")
