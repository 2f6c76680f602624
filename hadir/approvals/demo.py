"""Demo data for tiered approval: the regency policy, a Plh in Dinas Kesehatan, and approval
items for every check-in the presence demo left pending (bulk-created rows raise no signals)."""

from __future__ import annotations

import datetime as dt
import random

from hadir.org.models import Employee, Unit, UnitKind
from hadir.presence.models import CheckIn, Validity

from .models import ApprovalItem, ApprovalMode, ApprovalPolicy, Delegation, ItemKind
from .services import Structure, resolve_for


def seed(rng: random.Random, today: dt.date) -> list[str]:
    lines: list[str] = []
    pemda = Unit.objects.filter(kind=UnitKind.PEMDA, parent__isnull=True).order_by("pk").first()
    if pemda is None:
        return lines
    ApprovalPolicy.objects.get_or_create(unit=pemda, defaults={"mode": ApprovalMode.FLAGGED,
                                                               "escalate_after_days": 3})
    lines.append("Kebijakan persetujuan kabupaten: hanya presensi yang ditandai/luring, eskalasi 3 hari.")

    dinkes = Unit.objects.filter(code="DINKES").first()
    if dinkes is not None:
        heads = list(Employee.objects.filter(unit__opd=dinkes, position__is_head=True, is_active=True,
                                             position__parent__isnull=False).select_related("position")
                     .order_by("pk")[:6])
        if len(heads) >= 2:
            absent, acting = heads[1], heads[0]
            if absent.position is not None and not Delegation.objects.filter(position=absent.position).exists():
                Delegation.objects.create(position=absent.position, delegate=acting, kind="plh",
                                          start_date=today, end_date=today + dt.timedelta(days=6),
                                          decree_number=f"800/{rng.randint(100, 999)}/DINKES/{today.year}")
                lines.append(f"Plh {absent.position.name}: {acting.name} s.d. {today + dt.timedelta(days=6):%d-%m-%Y}.")

    pending = list(CheckIn.objects.filter(validity=Validity.PENDING, approval_item__isnull=True)
                   .select_related("employee__unit").order_by("pk")[:5000])
    structure = Structure()
    items: list[ApprovalItem] = []
    for checkin in pending:
        emp = checkin.employee
        resolution = resolve_for(emp, checkin.local_date, structure=structure)
        items.append(ApprovalItem(kind=ItemKind.CHECKIN, checkin=checkin, employee=emp,
                                  approver_position_id=resolution.position_id, created_at=checkin.occurred_at))
    ApprovalItem.objects.bulk_create(items, batch_size=1000)
    if items:
        lines.append(f"{len(items)} presensi menunggu persetujuan atasan (/persetujuan/).")
    return lines
