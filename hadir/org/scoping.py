"""Who may see and change what: every query a non-super-admin makes goes through here.

Administrative scope comes from RoleAssignment (operator OPD → their OPD subtree, admin BKPSDM →
the subtree they are assigned, normally the whole regency). An atasan's scope over staff comes
from the position tree (see `subordinates`). Users with neither see nothing.

The board scope (`BoardScope`, `board_scope`) is the part of the organisation a user may watch on
the dashboard, in reports and in allowance recaps: their admin subtrees plus, for a head
(Position.is_head), the unit they lead with everything below it (the head of an OPD sees the whole
OPD, a kepala bidang their bidang).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext as _

from hadir.errors import NotAllowed

from .models import Employee, Position, Role, RoleAssignment, Unit, WorkLocation, employee_of


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


@dataclass(frozen=True)
class BoardScope:
    """The units a user may watch: materialised paths of subtrees, or None for the whole deployment."""

    paths: tuple[str, ...] | None  # None: the whole deployment

    @property
    def is_all(self) -> bool:
        return self.paths is None

    @property
    def key(self) -> str:
        return "all" if self.paths is None else ",".join(sorted(self.paths))

    def q(self, prefix: str = "unit__") -> Q:
        return path_q(None if self.paths is None else list(self.paths), prefix)

    def employees(self, day: dt.date) -> QuerySet[Employee]:
        return Employee.objects.active_on(day).filter(self.q("unit__"))

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(self.q(""), is_active=True)

    def opds(self) -> QuerySet[Unit]:
        """OPDs with any part in scope (an OPD head's or kabid's own OPD)."""
        if self.paths is None:
            return Unit.objects.filter(is_active=True, opd_id=F("pk")).order_by("name")
        opd_ids = Unit.objects.filter(self.q("")).values("opd_id")
        return Unit.objects.filter(pk__in=opd_ids, is_active=True).order_by("name")

    def contains(self, unit: Unit) -> bool:
        if self.paths is None:
            return True
        return any(unit.path == p or unit.path.startswith(p + ".") for p in self.paths)

    def locations(self) -> QuerySet[WorkLocation]:
        return WorkLocation.objects.filter(self.q("unit__"), is_active=True)


def board_scope(user: Any) -> BoardScope | None:
    """The user's board scope, or None when they may not watch any part of the organisation."""
    if not getattr(user, "is_authenticated", False):
        return None
    paths = admin_paths(user)
    if paths is None:
        return BoardScope(None)
    combined = set(paths)
    emp = employee_of(user)
    if emp is not None and emp.is_active and emp.position_id and emp.position and emp.position.is_head:
        combined.add(emp.position.unit.path)
    if not combined:
        return None
    # Drop paths already covered by a broader one.
    kept = tuple(sorted(p for p in combined if not any(p != o and p.startswith(o + ".") for o in combined)))
    return BoardScope(kept)
