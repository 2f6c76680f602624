from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "hadir.schedules"
    verbose_name = _("Jadwal Kerja")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from hadir.org.models import Role
        from hadir.org.roles import ROLE_PERMISSIONS

        from . import models
        from .services import bump_revision

        regency = ["workpattern", "workpatternday", "patternassignment", "ramadanperiod", "holiday",
                   "latenessruleset", "shift", "shiftassignment"]
        ROLE_PERMISSIONS[Role.ADMIN_BKPSDM] |= {f"schedules.{action}_{m}" for m in regency
                                                for action in ("view", "add", "change", "delete")}
        # operators read the regency tables and keep their OPD's shifts and roster
        ROLE_PERMISSIONS[Role.OPERATOR_OPD] |= {f"schedules.view_{m}" for m in regency} | {
            f"schedules.{action}_{m}" for m in ("shift", "shiftassignment") for action in ("add", "change", "delete")}

        def _changed(sender: Any, **kwargs: Any) -> None:
            bump_revision()

        for model in (models.WorkPattern, models.WorkPatternDay, models.PatternAssignment, models.RamadanPeriod,
                      models.Shift, models.Holiday, models.LatenessRuleSet):
            post_save.connect(_changed, sender=model, weak=False, dispatch_uid=f"schedules-rev-save-{model.__name__}")
            post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=f"schedules-rev-del-{model.__name__}")
