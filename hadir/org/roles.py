"""Django permission groups behind the Hadir roles.

Apps add the permissions their roles need to ROLE_PERMISSIONS in their AppConfig.ready();
`sync_role_groups` (run after every migrate) makes the groups match.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from .models import Role

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.OPERATOR_OPD: {
        # accounts: scoped list for the pickers, password reset of plain employee accounts (ScopedUserAdmin)
        "auth.view_user", "auth.change_user",
        "org.view_unit",
        "org.view_position", "org.add_position", "org.change_position",
        "org.view_employee", "org.add_employee", "org.change_employee",
        "org.view_worklocation", "org.add_worklocation", "org.change_worklocation",
        "org.view_devicebinding", "org.change_devicebinding",  # reset a lost phone (admin fallback of the dashboard)
    },
    Role.ADMIN_BKPSDM: {
        "auth.view_user", "auth.change_user",
        "org.view_unit", "org.add_unit", "org.change_unit",
        "org.view_position", "org.add_position", "org.change_position", "org.delete_position",
        "org.view_employee", "org.add_employee", "org.change_employee",
        "org.view_worklocation", "org.add_worklocation", "org.change_worklocation",
        "org.view_roleassignment", "org.add_roleassignment", "org.change_roleassignment",
        "org.delete_roleassignment",
        "org.view_apitoken", "org.change_apitoken",  # list and revoke the phone app's tokens in scope
        "org.view_devicebinding", "org.change_devicebinding",
    },
    Role.SUPER_ADMIN: set(),  # superusers have every permission
}

GROUP_NAMES = {Role.OPERATOR_OPD: "Operator OPD", Role.ADMIN_BKPSDM: "Admin BKPSDM", Role.SUPER_ADMIN: "Super-admin"}


def sync_role_groups(**kwargs: Any) -> None:
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])
        wanted = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def apply_role(user: Any, role: str) -> None:
    """Give the user staff access and the role's group (called when a RoleAssignment is saved)."""
    group, _ = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])
    user.groups.add(group)
    fields = []
    if not user.is_staff:
        user.is_staff = True
        fields.append("is_staff")
    if role == Role.SUPER_ADMIN and not user.is_superuser:
        user.is_superuser = True
        fields.append("is_superuser")
    if fields:
        user.save(update_fields=fields)
