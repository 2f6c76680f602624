"""Go-live readiness per OPD: can this office start using Hadir tomorrow?

Checks: work locations set (and every employee assigned to one), heads assigned (every head
position filled by an active employee), share of employees with a bound mobile device, and
terminals online (for OPDs that have terminals).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from hadir.org.models import DeviceBinding, Employee, Position, WorkLocation
from hadir.org.scoping import BoardScope
from hadir.terminals.models import Terminal

DEVICE_SHARE_TARGET = 80.0  # % of employees with a bound device before go-live


@dataclass
class OpdReadiness:
    opd_id: int
    name: str
    employees: int = 0
    locations: int = 0
    without_location: int = 0
    head_positions: int = 0
    vacant_heads: list[str] = field(default_factory=list)
    opd_head_filled: bool = False
    bound_devices: int = 0
    terminals: int = 0
    terminals_online: int = 0

    @property
    def filled_heads(self) -> int:
        return self.head_positions - len(self.vacant_heads)

    @property
    def device_share(self) -> float | None:
        if not self.employees:
            return None
        return 100.0 * self.bound_devices / self.employees

    @property
    def checks(self) -> list[tuple[str, bool]]:
        out = [
            ("locations", self.locations > 0 and self.without_location == 0),
            # Vacant lower head positions escalate to the next superior (approvals), so only the OPD head
            # is a blocker; the vacancies are listed for HR.
            ("heads", self.opd_head_filled),
        ]
        out.append(("devices", (self.device_share or 0) >= DEVICE_SHARE_TARGET))
        if self.terminals:
            out.append(("terminals", self.terminals_online == self.terminals))
        return out

    @property
    def ready(self) -> bool:
        return self.employees > 0 and all(ok for _, ok in self.checks)

    @property
    def score(self) -> int:
        checks = self.checks
        return round(100 * sum(ok for _, ok in checks) / len(checks)) if checks else 0


def readiness(scope: BoardScope, now: dt.datetime | None = None) -> list[OpdReadiness]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    opds = list(scope.opds().values_list("pk", "name"))
    rows = {pk: OpdReadiness(pk, name) for pk, name in opds}
    ids = list(rows)
    emps = scope.employees(today).filter(unit__opd_id__in=ids)
    for r in emps.values("unit__opd_id").annotate(n=Count("id")):
        rows[r["unit__opd_id"] or 0].employees = r["n"]
    for r in emps.filter(locations__isnull=True).values("unit__opd_id").annotate(n=Count("id", distinct=True)):
        rows[r["unit__opd_id"] or 0].without_location = r["n"]
    for r in WorkLocation.objects.filter(is_active=True, unit__opd_id__in=ids).values("unit__opd_id").annotate(
        n=Count("id")
    ):
        rows[r["unit__opd_id"] or 0].locations = r["n"]
    holders: dict[int, bool] = defaultdict(bool)
    for pos_id in Employee.objects.active_on(today).filter(position__is_head=True, position__unit__opd_id__in=ids
                                                           ).values_list("position_id", flat=True):
        if pos_id is not None:
            holders[pos_id] = True
    for pos in Position.objects.filter(is_head=True, unit__opd_id__in=ids).select_related("unit"):
        row = rows[pos.unit.opd_id or 0]
        row.head_positions += 1
        filled = holders[pos.pk]
        if pos.unit_id == row.opd_id and filled:
            row.opd_head_filled = True
        if not filled:
            row.vacant_heads.append(pos.name)
    for opd_id, bound in DeviceBinding.objects.filter(revoked_at__isnull=True, employee__in=emps).values_list(
        "employee__unit__opd_id"
    ).annotate(n=Count("employee", distinct=True)):
        rows[opd_id or 0].bound_devices = bound
    for t in Terminal.objects.filter(unit__opd_id__in=ids, status="active").select_related("unit"):
        row = rows[t.unit.opd_id if t.unit is not None and t.unit.opd_id else 0]
        row.terminals += 1
        if t.is_online(now):
            row.terminals_online += 1
    return sorted(rows.values(), key=lambda r: (r.ready, r.score, r.name))
