"""Who sees which part of the dashboard.

Admins (super-admin, admin BKPSDM, operator OPD) see their RoleAssignment subtrees through
hadir.org.scoping. A head (Position.is_head) also sees the unit they lead with everything below it:
the head of an OPD sees the whole OPD, a kepala bidang their bidang. Everyone else sees nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from hadir.org.models import Employee, Unit, WorkLocation, employee_of
from hadir.org.scoping import admin_paths, path_q


@dataclass(frozen=True)
class BoardScope:
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
    """The user's dashboard scope, or None when they may not see the dashboard at all."""
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


def scope_zone(scope: BoardScope) -> zoneinfo.ZoneInfo:
    """The zone most of the scope's work locations use (WIB unless the locations say otherwise)."""
    key = "board:zone:" + hashlib.sha1(scope.key.encode()).hexdigest()
    name = cache.get(key)
    if name is None:
        zones = Counter(scope.locations().values_list("timezone", flat=True)[:500])
        name = zones.most_common(1)[0][0] if zones else settings.TIME_ZONE
        cache.set(key, name, 300)
    return zoneinfo.ZoneInfo(name)


def scope_today(scope: BoardScope) -> dt.date:
    return timezone.localdate(timezone=scope_zone(scope))
