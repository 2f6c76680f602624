from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "hadir.mobile"
    verbose_name = "Aplikasi Presensi"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.org.models import Role
        from hadir.org.roles import ROLE_PERMISSIONS
        from hadir.presence.signals import checkins_recorded

        from .services import touch_bindings

        for role in (Role.OPERATOR_OPD, Role.ADMIN_BKPSDM):  # shared devices (docs/operations.md)
            ROLE_PERMISSIONS[role] |= {"mobile.view_shareddevicebinding", "mobile.change_shareddevicebinding"}

        def _recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
            touch_bindings(checkins)

        checkins_recorded.connect(_recorded, weak=False, dispatch_uid="mobile.touch_bindings")
