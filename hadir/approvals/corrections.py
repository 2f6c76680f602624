"""Koreksi presensi through the approval tiers: filing (by the employee, or by an operator or BKPSDM admin on
behalf of staff without a phone), the monthly limit the regency sets, cancelling, and who may read them.

What a correction is and what an approved one does to the day belong to presence (hadir.presence.corrections);
deciding one is an ordinary approval decision (services.decide_many).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hadir.audit.services import record, snapshot
from hadir.errors import Conflict, InvalidRequest, NotAllowed, NotFound, TooLarge
from hadir.files import stored_upload
from hadir.leave import rules as document_rules
from hadir.org.models import Employee, employee_of
from hadir.org.scoping import admin_paths, can_administer_unit, path_q
from hadir.presence.corrections import backdate_days, correction_problems
from hadir.presence.models import Correction, CorrectionStatus

from .models import ApprovalItem, ApprovalPolicy, ItemKind, ItemStatus
from .services import actable_position_ids, notify_approvers, resolve_for

COUNTED = (CorrectionStatus.PENDING, CorrectionStatus.APPROVED)


def default_monthly_limit() -> int:
    return int(getattr(settings, "HADIR_CORRECTION_MONTHLY_LIMIT", 4))


def evidence_required() -> bool:
    return bool(getattr(settings, "HADIR_CORRECTION_EVIDENCE_REQUIRED", True))


def monthly_limit(employee: Employee) -> int:
    """The OPD's limit, else the regency's (the policy on the Pemda unit), else HADIR_CORRECTION_MONTHLY_LIMIT."""
    unit = employee.unit
    root = (unit.path or "").split(".", 1)[0]
    ids = [i for i in (unit.opd_id, int(root) if root.isdigit() else None) if i is not None]
    found = dict(ApprovalPolicy.objects.filter(unit_id__in=ids, correction_monthly_limit__isnull=False)
                 .values_list("unit_id", "correction_monthly_limit"))
    for unit_id in ids:
        limit = found.get(unit_id)
        if limit is not None:
            return int(limit)
    return default_monthly_limit()


def local_today(employee: Employee) -> dt.date:
    location = employee.locations.filter(is_active=True).order_by("pk").first()
    zone = zoneinfo.ZoneInfo(location.timezone if location else settings.TIME_ZONE)
    return timezone.now().astimezone(zone).date()


@dataclass
class CorrectionInput:
    date: dt.date
    kind: str
    time: dt.time
    reason: str
    evidence: UploadedFile | None = None


def _check_evidence(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) judged from the content (PDF, JPEG, PNG, WebP), else a 4xx."""
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type, ext = document_rules.sniff_document(head, size)
    except document_rules.DocumentError as exc:
        error = TooLarge if size > document_rules.DOCUMENT_MAX_BYTES else InvalidRequest
        raise error(str(exc), field="evidence", code="bad_document") from exc
    if content_type.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise InvalidRequest(_("Gambar rusak atau tidak dapat dibaca."), field="evidence",
                                 code="bad_document") from exc
        finally:
            upload.seek(0)
    return content_type, ext


def may_file_for(user: Any, employee: Employee) -> bool:
    """The employee themself, or an operator/BKPSDM admin over their unit (staff without a phone)."""
    me = employee_of(user)
    return (me is not None and me.pk == employee.pk) or can_administer_unit(user, employee.unit)


def employee_to_file_for(user: Any, employee_id: int | None) -> Employee:
    """The signed-in employee, or (operators, BKPSDM) the employee named, who must be in their scope."""
    me = employee_of(user)
    if employee_id is None or (me is not None and me.pk == employee_id):
        if me is None:
            raise NotAllowed(_("Akun ini tidak terhubung dengan data pegawai; sebutkan employee_id."),
                             field="employee_id", code="no_employee")
        return me
    employee = Employee.objects.select_related("unit").filter(pk=employee_id).first()
    if employee is None or not can_administer_unit(user, employee.unit):
        raise NotFound(_("Pegawai tidak ditemukan di unit yang Anda kelola."), field="employee_id",
                       code="not_found")
    return employee


def file_correction(employee: Employee, by: Any, data: CorrectionInput) -> Correction:
    """Validate and store a correction, then open its approval item for the atasan. Nothing is stored when any
    rule refuses it."""
    if not may_file_for(by, employee):
        raise NotAllowed(_("Anda hanya dapat mengajukan koreksi untuk diri sendiri atau pegawai di unit yang Anda "
                           "kelola."), field="employee_id", code="forbidden")
    if not employee.is_active:
        raise InvalidRequest(_("Pegawai tidak aktif."), field="employee_id", code="employee_inactive")
    problems = correction_problems(data.date, data.kind, local_today(employee), backdate=backdate_days())
    if problems:
        field, message = problems[0]
        raise InvalidRequest(message, field=field, code="invalid_request")
    reason = data.reason.strip()
    if not reason:
        raise InvalidRequest(_("Alasan koreksi wajib diisi."), field="reason", code="required")
    if data.evidence is None and evidence_required():
        raise InvalidRequest(_("Unggah bukti (foto atau surat, PDF/JPEG/PNG)."), field="evidence", code="required")
    evidence_type, ext = _check_evidence(data.evidence) if data.evidence is not None else ("", "")
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()  # one filer at a time per employee
        mine = Correction.objects.filter(employee=employee, status__in=COUNTED)
        if mine.filter(date=data.date, kind=data.kind).exists():
            raise Conflict(_("Sudah ada koreksi %(kind)s untuk tanggal ini.") % {"kind": data.kind},
                           field="date", code="duplicate")
        limit = monthly_limit(employee)
        used = mine.filter(date__year=data.date.year, date__month=data.date.month).count()
        if used >= limit:
            raise Conflict(_("Batas koreksi presensi bulan ini sudah tercapai (%(n)d kali).") % {"n": limit},
                           field="date", code="limit_reached")
        correction = Correction(employee=employee, date=data.date, kind=data.kind, time=data.time,
                                reason=reason[:300], evidence_type=evidence_type,
                                filed_by=by if getattr(by, "is_authenticated", False) else None)
        if data.evidence is not None:
            correction.evidence.save(f"bukti.{ext}", stored_upload(data.evidence, evidence_type), save=False)
        correction.save()
        record(by, "correction.file", correction, {}, snapshot(correction), reason)
        resolution = resolve_for(employee, timezone.localdate())
        ApprovalItem.objects.create(kind=ItemKind.CORRECTION, correction=correction, employee=employee,
                                    approver_position_id=resolution.position_id)
        notify_approvers(
            resolution, employee, _("Koreksi presensi dari %(name)s") % {"name": employee.name},
            _("Koreksi %(kind)s tanggal %(date)s pukul %(time)s menunggu persetujuan Anda.") % {
                "kind": correction.get_kind_display().lower(), "date": data.date.strftime("%d/%m/%Y"),
                "time": data.time.strftime("%H.%M")})
    return correction


def cancel_correction(correction: Correction, by: Any) -> Correction:
    """Withdraw a pending correction: the employee, or whoever may file for them."""
    if not may_file_for(by, correction.employee):
        raise NotAllowed(_("Anda tidak berhak membatalkan koreksi ini."), code="forbidden")
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status != CorrectionStatus.PENDING:
            raise Conflict(_("Koreksi ini sudah %(status)s.") % {"status": correction.get_status_display().lower()},
                           code="already_decided")
        before = snapshot(correction, ["status"])
        correction.status = CorrectionStatus.CANCELLED
        correction.save(update_fields=["status"])
        ApprovalItem.objects.filter(correction=correction, status=ItemStatus.PENDING).update(
            status=ItemStatus.CANCELLED, decided_at=timezone.now(), reason=_("Dibatalkan oleh pemohon/admin."))
        record(by, "correction.cancel", correction, before, snapshot(correction, ["status"]))
    return correction


def visible_to(user: Any) -> Q:
    """Corrections a user may read: their own, those in their admin scope, those they decide or decided."""
    paths = admin_paths(user)
    if paths is None:
        return Q()
    me = employee_of(user)
    q = Q(pk__in=[])
    if me is not None:
        q |= Q(employee=me)
        positions = actable_position_ids(me)
        if positions:
            q |= Q(approval_item__approver_position_id__in=positions)
    if paths:
        q |= path_q(paths, "employee__unit__")
    q |= Q(decided_by=user)
    return q


def corrections_for(user: Any) -> QuerySet[Correction]:
    return (Correction.objects.filter(visible_to(user)).select_related("employee__unit", "checkin")
            .order_by("-filed_at", "-pk"))


def visible_correction(user: Any, correction_id: int) -> Correction:
    found = corrections_for(user).filter(pk=correction_id).first()
    if found is None:
        raise NotFound(_("Koreksi tidak ditemukan."), code="not_found")
    return found
