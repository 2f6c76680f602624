from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "hadir.schedules"
    verbose_name = _("Jadwal Kerja")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import models
        from .services import bump_revision

        def _changed(sender: Any, **kwargs: Any) -> None:
            bump_revision()

        for model in (models.WorkPattern, models.WorkPatternDay, models.PatternAssignment, models.RamadanPeriod,
                      models.Shift, models.Holiday, models.LatenessRuleSet):
            post_save.connect(_changed, sender=model, weak=False, dispatch_uid=f"schedules-rev-save-{model.__name__}")
            post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=f"schedules-rev-del-{model.__name__}")
