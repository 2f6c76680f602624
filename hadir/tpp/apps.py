from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TppConfig(AppConfig):
    name = "hadir.tpp"
    verbose_name = _("TPP")

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.org.models import Role
        from hadir.org.roles import ROLE_PERMISSIONS

        # docs/tpp.md: BKPSDM keeps the rule sets and bases; operators read them
        ROLE_PERMISSIONS[Role.ADMIN_BKPSDM] |= {f"tpp.{a}_{m}" for m in ("ruleset", "leaverule", "base")
                                                for a in ("view", "add", "change")}
        ROLE_PERMISSIONS[Role.ADMIN_BKPSDM] |= {"tpp.view_result", "tpp.view_period"}
        ROLE_PERMISSIONS[Role.OPERATOR_OPD] |= {"tpp.view_ruleset", "tpp.view_leaverule"}
