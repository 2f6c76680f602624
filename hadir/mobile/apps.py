from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "hadir.mobile"
    verbose_name = "Aplikasi Presensi"

    def ready(self) -> None:
        from hadir.presence.pipeline import register_validator
        from hadir.presence.signals import checkins_recorded

        from .services import context_columns, device_validator

        register_validator(device_validator, context=context_columns())
        checkins_recorded.connect(_touch_bindings, dispatch_uid="mobile.touch_bindings")


def _touch_bindings(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
    from .services import touch_bindings

    touch_bindings(checkins)
