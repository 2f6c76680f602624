from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "hadir.mobile"
    verbose_name = "Aplikasi Presensi"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.presence.signals import checkins_recorded, validate_checkin

        from .services import device_validator, touch_bindings

        def _validate(sender: Any, attempt: Any, employee: Any, **kwargs: Any) -> tuple[str, str] | None:
            return device_validator(attempt, employee)

        def _recorded(sender: Any, checkins: list[Any], **kwargs: Any) -> None:
            touch_bindings(checkins)

        validate_checkin.connect(_validate, weak=False, dispatch_uid="mobile.device_validator")
        checkins_recorded.connect(_recorded, weak=False, dispatch_uid="mobile.touch_bindings")
