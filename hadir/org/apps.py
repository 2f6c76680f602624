from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hadir.org"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from .models import RoleAssignment
        from .roles import apply_role, sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="hadir.org.sync_role_groups")

        def _on_role_saved(sender: type, instance: RoleAssignment, **kwargs: object) -> None:
            apply_role(instance.user, instance.role)

        post_save.connect(_on_role_saved, sender=RoleAssignment, weak=False, dispatch_uid="hadir.org.role_saved")
