from django.apps import AppConfig


class TerminalsConfig(AppConfig):
    name = "hadir.terminals"
    verbose_name = "Mesin Absensi"

    def ready(self) -> None:
        # (imports inside ready(): Django loads models before apps are ready)
        from hadir.org.models import Role
        from hadir.org.roles import ROLE_PERMISSIONS

        # docs/operations.md: both roles read their terminals in the admin; changes are made on /iclock/pantau/,
        # whose service checks the scope (the admin form could move a terminal to any unit)
        for role in (Role.OPERATOR_OPD, Role.ADMIN_BKPSDM):
            ROLE_PERMISSIONS[role] |= {f"terminals.view_{m}" for m in
                                       ("terminal", "attlog", "operlog", "terminalcommand", "terminaldownday")}
