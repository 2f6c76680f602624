from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "hadir.mobile"
    verbose_name = "Aplikasi Presensi"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.presence.signals import checkins_recorded

        from .services import touch_bindings

        def _recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
            touch_bindings(checkins)

        checkins_recorded.connect(_recorded, weak=False, dispatch_uid="mobile.touch_bindings")
