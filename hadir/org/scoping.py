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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
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


# --- who may hand out power: roles, account links, approvers ---------------------------------------------------

# A role outranks the ones below it: a BKPSDM admin may do what an operator may, over their own subtree.
ROLE_RANK = {Role.OPERATOR_OPD: 1, Role.ADMIN_BKPSDM: 2, Role.SUPER_ADMIN: 3}

# Apps above org that make someone act as an approver (approvals: an acting head, Plt/Plh) add a function here in
# their AppConfig.ready(); each returns a Q on Employee matching those employees (see `approvers`).
APPROVER_SOURCES: list[Callable[[], Q]] = []


def _covers(path: str, unit: Unit | None) -> bool:
    return unit is not None and (unit.path == path or unit.path.startswith(path + "."))


def can_grant_role(user: Any, role: str, unit: Unit | None) -> bool:
    """May `user` hand out (or take away) `role` over `unit`? Only a role they hold themselves, at the same or a
    higher rank, over a subtree that contains `unit`. Super-admin only by a super-admin."""
    if is_super_admin(user):
        return True
    if role == Role.SUPER_ADMIN or unit is None or not getattr(user, "is_authenticated", False):
        return False
    wanted = ROLE_RANK.get(Role(role), 99)
    return any(
        ROLE_RANK.get(Role(held), 0) >= wanted and _covers(path, unit)
        for held, path in RoleAssignment.objects.filter(user=user, unit__isnull=False)
        .values_list("role", "unit__path")
    )


def can_link_accounts(user: Any) -> bool:
    """Linking a login account to an employee record gives its holder that employee's powers (an atasan
    approves, a head watches the OPD): only BKPSDM admins and the super-admin do it."""
    return is_super_admin(user) or RoleAssignment.objects.filter(user=user, role=Role.ADMIN_BKPSDM).exists()


def accounts_in_scope(user: Any) -> QuerySet[Any]:
    """Login accounts an administrator may see: those of employees in their units and of administrators of
    their units (super-admin accounts only for a super-admin)."""
    qs = get_user_model()._default_manager.all()
    paths = admin_paths(user)
    if paths is None:
        return qs
    in_scope = path_q(paths, "employee__unit__") | Q(
        pk__in=RoleAssignment.objects.filter(path_q(paths, "unit__")).values("user_id")
    )
    return qs.filter(in_scope, is_superuser=False).distinct()


def linkable_accounts(user: Any) -> QuerySet[Any]:
    """Accounts `user` may link to an employee: those in their scope and accounts linked to nobody that hold no
    role (made by the super-admin for a newcomer); none for who may not link at all."""
    if not can_link_accounts(user):
        return get_user_model()._default_manager.none()
    if is_super_admin(user):
        return get_user_model()._default_manager.all()
    loose = get_user_model()._default_manager.filter(
        employee__isnull=True, hadir_roles__isnull=True, is_superuser=False)
    return get_user_model()._default_manager.filter(
        Q(pk__in=accounts_in_scope(user).values("pk")) | Q(pk__in=loose.values("pk")))


def link_refusal(user: Any, employee: Employee, account: Any) -> str | None:
    """Why `user` may not link `account` to `employee` (a sentence), or None when they may."""
    if not can_link_accounts(user):
        return _("Hanya admin BKPSDM yang dapat menghubungkan akun login ke data pegawai.")
    if not can_administer_unit(user, employee.unit):
        return _("Pegawai ini di luar cakupan Anda.")
    if account is None:
        return None
    if account.is_superuser and not is_super_admin(user):
        return _("Akun super-admin hanya dapat dihubungkan oleh super-admin.")
    for role, unit in [(ra.role, ra.unit) for ra in RoleAssignment.objects.filter(user=account).select_related("unit")]:
        if not can_grant_role(user, role, unit):
            return _("Akun ini memegang peran %(role)s yang tidak Anda pegang; hanya pemegang peran itu yang dapat "
                     "menghubungkannya ke data pegawai.") % {"role": Role(role).label}
    if not linkable_accounts(user).filter(pk=account.pk).exists():
        return _("Akun ini di luar cakupan Anda.")
    return None


def approvers() -> QuerySet[Employee]:
    """Employees who decide for others: heads, holders of a position with subordinates, acting heads."""
    q = Q(position__is_head=True) | Q(position__subordinates__isnull=False)
    for source in APPROVER_SOURCES:
        q |= source()
    return Employee.objects.filter(q).distinct()


def is_approver(employee: Employee | None) -> bool:
    return employee is not None and approvers().filter(pk=employee.pk).exists()


def self_service_refusal(user: Any, *, employee: Employee | None = None, position: Position | None = None,
                         new_parent_id: int | None = None) -> str | None:
    """An operator must not shape their own powers: change their own employee record, their own position, or put
    a position under the one they hold. BKPSDM admins and the super-admin may. A sentence when refused, else None."""
    if can_link_accounts(user):
        return None
    me = employee_of(user)
    if me is None:
        return None
    if employee is not None and employee.pk == me.pk:
        return _("Anda tidak dapat mengubah data kepegawaian Anda sendiri; mintalah admin BKPSDM.")
    if me.position_id is not None:
        if position is not None and position.pk == me.position_id:
            return _("Anda tidak dapat mengubah jabatan yang Anda pegang sendiri; mintalah admin BKPSDM.")
        if new_parent_id is not None and new_parent_id == me.position_id:
            return _("Anda tidak dapat menjadikan jabatan Anda atasan jabatan lain; mintalah admin BKPSDM.")
    return None


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
