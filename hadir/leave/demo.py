"""Demo data for leave and official duty: about 4 % of employees have a request around
today — approved cuti/izin/sakit/dinas luar and some still pending in their atasan's inbox."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from hadir.approvals.models import ApprovalItem, ItemKind
from hadir.approvals.services import Structure, resolve_for
from hadir.org.models import Employee
from hadir.org.scoping import subordinates
from hadir.presence import outbox

from . import rules
from .calendar import by_year, dates, fallback_is_working_day
from .models import LeaveRequest, LeaveStatus

DESTINATIONS = ["Dinas Kesehatan Provinsi Bengkulu", "Kementerian Dalam Negeri, Jakarta", "Kecamatan Pondok Kelapa",
                "BPSDM Provinsi Bengkulu", "Kantor Regional VII BKN Palembang"]
REASONS = {
    rules.CUTI_TAHUNAN: ["Mengurus keluarga", "Mudik", "Pernikahan saudara"],
    rules.IZIN_SAKIT: ["Demam", "Sakit gigi", "Kontrol ke dokter"],
    rules.IZIN_PENTING: ["Mengurus dokumen kependudukan", "Keluarga sakit"],
    rules.DINAS_LUAR: ["Rapat koordinasi", "Bimbingan teknis", "Monitoring dan evaluasi"],
    rules.RAPAT_LUAR: ["Rapat di kantor bupati", "Musrenbang kecamatan"],
}
# A tiny valid one-page PDF standing in for a scanned surat tugas.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def seed(rng: random.Random, today: dt.date) -> list[str]:
    if LeaveRequest.objects.exists():
        return ["Data izin/cuti sudah ada; dilewati."]
    employees = list(Employee.objects.filter(is_active=True, position__isnull=False).select_related("unit")
                     .order_by("pk"))
    chosen = rng.sample(employees, k=max(1, len(employees) * 4 // 100)) if employees else []
    # Make sure the demo Kepala Dinas Kesehatan finds something in the inbox: two direct subordinates ask.
    kadis = Employee.objects.filter(unit__code="DINKES", position__is_head=True, position__parent__isnull=True,
                                    user__isnull=False).order_by("pk").first()
    showcase: set[int] = set()
    if kadis is not None:
        taken = {e.pk for e in chosen}
        for sub in subordinates(kadis).select_related("unit").order_by("pk")[:2]:
            if sub.pk not in taken:
                chosen.append(sub)
            showcase.add(sub.pk)
    now = timezone.now()
    requests: list[LeaveRequest] = []
    for emp in chosen:
        kind = rng.choice([rules.CUTI_TAHUNAN, rules.IZIN_SAKIT, rules.IZIN_PENTING, rules.DINAS_LUAR,
                           rules.DINAS_LUAR, rules.RAPAT_LUAR])
        if kind not in rules.ALLOWED_KINDS.get(emp.kind, frozenset()):
            kind = rules.IZIN_PENTING
        start = today + dt.timedelta(days=rng.randint(-3, 5))
        while not fallback_is_working_day(start):
            start += dt.timedelta(days=1)
        length = {rules.CUTI_TAHUNAN: rng.randint(1, 4), rules.DINAS_LUAR: rng.randint(1, 3)}.get(kind, 1)
        if emp.pk in showcase:
            kind, start, length = rules.CUTI_TAHUNAN, today + dt.timedelta(days=7), 2
            while not fallback_is_working_day(start):
                start += dt.timedelta(days=1)
        end = start + dt.timedelta(days=length - 1)
        work = [d for d in dates(start, end) if fallback_is_working_day(d)]
        if not work:
            continue
        pending = (rng.random() < 0.3 and start >= today) or emp.pk in showcase
        req = LeaveRequest(
            employee=emp, kind=kind, start_date=start, end_date=end, reason=rng.choice(REASONS[kind]),
            status=LeaveStatus.PENDING if pending else LeaveStatus.APPROVED, days=(end - start).days + 1,
            working_days=len(work), working_days_by_year=by_year(work), requested_by_id=emp.user_id,
            requested_at=now - dt.timedelta(days=rng.randint(1, 5)),
            decided_at=None if pending else now - dt.timedelta(hours=rng.randint(1, 48)),
        )
        if kind == rules.DINAS_LUAR:
            req.letter_number = f"090/{rng.randint(1, 999)}/{emp.unit.opd.code if emp.unit.opd else 'PEMDA'}/{today.year}"
            req.destination = rng.choice(DESTINATIONS)
        requests.append(req)
    LeaveRequest.objects.bulk_create(requests, batch_size=500)
    with_letter = [r for r in LeaveRequest.objects.filter(kind=rules.DINAS_LUAR).order_by("pk")[:20]]
    for req in with_letter:  # a few real uploads (the rest have only the letter number)
        req.document.save("st.pdf", ContentFile(DEMO_PDF), save=False)
        req.document_type = "application/pdf"
        req.save(update_fields=["document", "document_type"])
    structure = Structure()
    items: list[ApprovalItem] = []
    for req in LeaveRequest.objects.filter(status=LeaveStatus.PENDING).select_related("employee__unit"):
        emp = req.employee
        resolution = resolve_for(emp, today, structure=structure)
        items.append(ApprovalItem(kind=ItemKind.LEAVE, leave_request=req, employee=emp,
                                  approver_position_id=resolution.position_id, created_at=req.requested_at))
    ApprovalItem.objects.bulk_create(items, batch_size=500)
    affected = sorted({r.employee_id for r in requests if r.status == LeaveStatus.APPROVED})
    outbox.mark_days([(e, today + dt.timedelta(days=offset)) for e in affected for offset in range(-3, 1)],
                     "demo_leave")
    outbox.drain()
    approved = sum(1 for r in requests if r.status == LeaveStatus.APPROVED)
    return [f"{len(requests)} pengajuan izin/cuti/dinas luar ({approved} disetujui, {len(items)} menunggu atasan)."]
