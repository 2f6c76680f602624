from typing import Any

from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "hadir.presence"
    verbose_name = "Presensi"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.schedules.signals import schedule_changed

        from . import outbox, retention  # noqa: F401  (their Celery tasks register on import)

        def _schedule_changed(sender: Any, day: Any, employee_ids: list[int] | None = None, **kwargs: Any) -> None:
            if employee_ids is None:
                outbox.mark_dates([day], "schedule")
            else:
                outbox.mark_days([(i, day) for i in employee_ids], "schedule")

        schedule_changed.connect(_schedule_changed, weak=False, dispatch_uid="presence.schedule_changed")
