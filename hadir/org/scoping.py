"""Who may see and change what: every query a non-super-admin makes goes through here.

Administrative scope comes from RoleAssignment (operator OPD → their OPD subtree, admin BKPSDM →
the subtree they are assigned, normally the whole regency). An atasan's scope over staff comes
from the position tree (see `subordinates`). Users with neither see nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from hadir.errors import NotAllowed

from .models import Employee, Position, Role, RoleAssignment, Unit


def is_super_admin(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.SUPER_ADMIN).exists()


def admin_paths(user: Any) -> list[str] | None:
    """Materialised paths of the subtrees a user administers; None means everything."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache_attr = "_hadir_admin_paths"
    if hasattr(user, cache_attr):
        return getattr(user, cache_attr)  # type: ignore[no-any-return]
    paths: list[str] | None
    if is_super_admin(user):
        paths = None
    else:
        paths = list(
            RoleAssignment.objects.filter(user=user, unit__isnull=False)
            .exclude(role=Role.SUPER_ADMIN)
            .values_list("unit__path", flat=True)
        )
    setattr(user, cache_attr, paths)
    return paths


def require_admin(user: Any) -> None:
    """Refuse (403) a user with no administrative role at all (operator OPD, admin BKPSDM, super-admin)."""
    if admin_paths(user) == []:
        raise NotAllowed(_("Anda tidak memiliki peran administrasi."), code="forbidden")


def path_q(paths: list[str] | None, prefix: str = "") -> Q:
    """Q matching units (via `prefix`, e.g. "unit__" or "employee__unit__") inside any of `paths`."""
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{prefix}path": p}) | Q(**{f"{prefix}path__startswith": p + "."})
    return q


def scope_queryset[M: Model](user: Any, qs: QuerySet[M], unit_lookup: str = "unit") -> QuerySet[M]:
    """Limit `qs` to rows whose unit (reached by `unit_lookup`) lies in the user's admin scope."""
    prefix = "" if unit_lookup == "" else unit_lookup + "__"
    return qs.filter(path_q(admin_paths(user), prefix))


def visible_units(user: Any) -> QuerySet[Unit]:
    return scope_queryset(user, Unit.objects.all(), "")


def can_administer_unit(user: Any, unit: Unit | None) -> bool:
    if unit is None:
        return is_super_admin(user)
    paths = admin_paths(user)
    if paths is None:
        return True
    return any(unit.path == p or unit.path.startswith(p + ".") for p in paths)


def is_bkpsdm(user: Any) -> bool:
    """Regency-wide HR staff (or super-admin): may see every OPD."""
    return is_super_admin(user) or RoleAssignment.objects.filter(
        user=user, role=Role.ADMIN_BKPSDM, unit__parent__isnull=True
    ).exists()


def subordinates(employee: Employee, *, direct_only: bool = True) -> QuerySet[Employee]:
    """Staff whose atasan (by the position tree) is `employee`'s position.

    direct_only=False gives the whole line below (an OPD head sees all of their OPD's staff).
    """
    if employee.position_id is None:
        return Employee.objects.none()
    if direct_only:
        return Employee.objects.filter(position__parent_id=employee.position_id).exclude(pk=employee.pk)
    level = [employee.position_id]
    below: list[int] = []
    while level:
        level = list(Position.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        below.extend(level)
    return Employee.objects.filter(position_id__in=below).exclude(pk=employee.pk)
