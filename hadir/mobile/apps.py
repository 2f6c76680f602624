from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "hadir.mobile"
    verbose_name = "Aplikasi Presensi"

    def ready(self) -> None:
        # The check-in pipeline (contract C3) is built in parallel; hook in only when it is there.
        try:
            from hadir.presence.pipeline import register_validator  # type: ignore[attr-defined,unused-ignore]
        except ImportError:
            pass
        else:
            from .services import device_validator

            register_validator(device_validator)
        try:
            from hadir.presence.signals import checkin_recorded  # type: ignore[attr-defined,unused-ignore]
        except ImportError:
            pass
        else:
            checkin_recorded.connect(_flag_shared_device, dispatch_uid="mobile.flag_shared_device")


def _flag_shared_device(sender: Any, checkin: Any, created: bool = False, **kwargs: Any) -> None:
    from .services import flag_shared_device

    if created:
        flag_shared_device(checkin)
