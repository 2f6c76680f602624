"""The leave and official-duty request lifecycle: request → approve/reject by the atasan (through hadir.approvals,
which hands the decision back with its `request_decided` signal) → cancel; each step audited, each decision
marking the excused days in the presence outbox. What the rest of Hadir reads is in hadir.leave.facts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hadir.approvals.services import actable_position_ids, close_leave_item, open_leave_item
from hadir.audit.services import record, snapshot
from hadir.errors import Conflict, InvalidRequest, NotAllowed, NotFound, TooLarge
from hadir.files import stored_upload
from hadir.notify.services import notify
from hadir.org.identity import IdentityError, parse_nip
from hadir.org.models import Employee, employee_of
from hadir.org.scoping import admin_paths, can_administer_unit, path_q
from hadir.presence import outbox

from . import rules
from .calendar import by_year, working_dates
from .models import ACTIVE_STATUSES, AnnualLeaveOpening, LeaveKind, LeaveRequest, LeaveStatus

log = logging.getLogger(__name__)

# --- quota -------------------------------------------------------------------------------------


def service_start(employee: Employee) -> dt.date | None:
    """Start of continuous service: active_from, else the TMT encoded in the NIP."""
    if employee.active_from:
        return employee.active_from
    if employee.nip:
        try:
            info = parse_nip(employee.nip)
        except IdentityError:
            return None
        return dt.date(info.tmt_year, info.tmt_month or 1, 1)
    return None


def _days_by_year(qs: Any) -> dict[int, int]:
    used: dict[int, int] = {}
    for per_year in qs.values_list("working_days_by_year", flat=True):
        for year, n in (per_year or {}).items():
            used[int(year)] = used.get(int(year), 0) + int(n)
    return used


def quota_for(employee: Employee, year: int, *, exclude_request_id: int | None = None) -> rules.AnnualQuota:
    """Cuti tahunan quota of `employee` for `year` (approved requests used, pending ones held)."""
    tahunan = LeaveRequest.objects.filter(employee=employee, kind=rules.CUTI_TAHUNAN)
    if exclude_request_id is not None:
        tahunan = tahunan.exclude(pk=exclude_request_id)
    used = _days_by_year(tahunan.filter(status=LeaveStatus.APPROVED))
    pending = _days_by_year(tahunan.filter(status=LeaveStatus.PENDING)).get(year, 0)
    besar_years = {
        y for s, e in LeaveRequest.objects.filter(
            employee=employee, kind=rules.CUTI_BESAR, status=LeaveStatus.APPROVED
        ).values_list("start_date", "end_date") for y in range(s.year, e.year + 1)
    }
    carry = employee.kind in rules.PNS_KINDS
    opening = dict(AnnualLeaveOpening.objects.filter(employee=employee).values_list("year", "carried_days"))
    return rules.annual_quota(
        year, used, rules.first_entitled_year(service_start(employee)), carry_over=carry,
        no_entitlement_years=frozenset(besar_years), pending=pending, known_from=history_from_year(),
        opening=opening,
    )


def history_from_year() -> int:
    """First year whose cuti tahunan Hadir knows: HADIR_LEAVE_HISTORY_FROM_YEAR, else the year of the
    earliest request on record, else this year."""
    configured = getattr(settings, "HADIR_LEAVE_HISTORY_FROM_YEAR", None)
    if configured:
        return int(configured)
    def earliest() -> int:
        first = LeaveRequest.objects.order_by("start_date").values_list("start_date", flat=True).first()
        return first.year if first else timezone.localdate().year

    # Changes only when the very first request is filed; an hour of caching spares a scan per quota read.
    year = cache.get_or_set("hadir:leave:history_from_year", earliest, 3600)
    return int(year) if year else earliest()


def _check_quota(employee: Employee, per_year: dict[str, int], exclude_request_id: int | None,
                 count_pending: bool) -> None:
    for year, days in sorted(per_year.items()):
        quota = quota_for(employee, int(year), exclude_request_id=exclude_request_id)
        room = quota.available if count_pending else quota.remaining
        if days > room:
            raise Conflict(
                _("Sisa cuti tahunan %(year)s tidak cukup: tersedia %(room)d hari kerja, diminta %(days)d hari kerja.")
                % {"year": year, "room": room, "days": days},
                field="end_date", code="quota_exceeded",
            )


# --- documents ---------------------------------------------------------------------------------


def max_document_bytes() -> int:
    return int(getattr(settings, "HADIR_LEAVE_DOCUMENT_MAX_BYTES", rules.DOCUMENT_MAX_BYTES))


def check_document(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) judged from the content; DomainError 400/413 when refused."""
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type, ext = rules.sniff_document(head, size, max_document_bytes())
    except rules.DocumentError as exc:
        error = TooLarge if size > max_document_bytes() else InvalidRequest
        raise error(str(exc), field="document", code="bad_document") from exc
    if content_type.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise InvalidRequest(_("Gambar rusak atau tidak dapat dibaca."), field="document",
                           code="bad_document") from exc
        finally:
            upload.seek(0)
    return content_type, ext


# --- lifecycle ---------------------------------------------------------------------------------


@dataclass
class LeaveInput:
    kind: str
    start_date: dt.date
    end_date: dt.date
    reason: str
    letter_number: str = ""
    destination: str = ""
    document: UploadedFile | None = None


def backdate_days() -> int:
    return int(getattr(settings, "HADIR_LEAVE_BACKDATE_DAYS", 7))


def _validate(employee: Employee, data: LeaveInput, today: dt.date) -> None:
    problems = rules.check_request(data.kind, employee.kind, data.start_date, data.end_date, service_start(employee),
                                   sex=employee.sex)
    if problems:
        field, message = problems[0]
        raise InvalidRequest(message, field=field, code="invalid_request")
    if data.start_date < today - dt.timedelta(days=backdate_days()):
        raise InvalidRequest(_("Pengajuan paling lambat %(n)d hari setelah tanggal mulai.") % {"n": backdate_days()},
                       field="start_date", code="too_late")
    if data.start_date > today + dt.timedelta(days=366):
        raise InvalidRequest(_("Pengajuan paling cepat satu tahun sebelumnya."), field="start_date", code="too_early")
    if not data.reason.strip():
        raise InvalidRequest(_("Keperluan/alasan wajib diisi."), field="reason", code="required")
    if data.kind in rules.LETTER_REQUIRED:
        if not data.letter_number.strip():
            raise InvalidRequest(_("Nomor surat tugas wajib diisi."), field="letter_number", code="required")
        if not data.destination.strip():
            raise InvalidRequest(_("Tujuan dinas luar wajib diisi."), field="destination", code="required")
    if data.kind in rules.DOCUMENT_REQUIRED and data.document is None:
        message = (_("Unggah surat tugas (PDF atau foto).") if data.kind == rules.DINAS_LUAR
                   else _("Unggah surat keterangan dokter (PDF atau foto)."))
        raise InvalidRequest(message, field="document", code="required")


def _overlapping(employee: Employee, start: dt.date, end: dt.date, exclude: int | None = None) -> LeaveRequest | None:
    qs = LeaveRequest.objects.filter(employee=employee, status__in=ACTIVE_STATUSES, start_date__lte=end,
                                     end_date__gte=start)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("start_date").first()


def local_today(employee: Employee) -> dt.date:
    location = employee.locations.filter(is_active=True).order_by("pk").first()
    if location is None:
        return timezone.localdate()
    return timezone.now().astimezone(ZoneInfo(location.timezone)).date()


def request_leave(employee: Employee, by: Any, data: LeaveInput) -> LeaveRequest:
    """File a request for `employee` (normally by the employee). Validates kind, dates, documents,
    overlap and the cuti tahunan quota; opens the approval item for the atasan."""
    today = local_today(employee)
    _validate(employee, data, today)
    doc_type, doc_ext = check_document(data.document) if data.document is not None else ("", "")
    days = working_dates(employee, data.start_date, data.end_date)
    if not days:
        raise InvalidRequest(_("Tidak ada hari kerja pada rentang tanggal ini."), field="end_date",
                       code="no_working_days")
    per_year = by_year(days)
    with transaction.atomic():
        # One writer per employee: overlap and quota are checked against a stable set of requests.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        clash = _overlapping(employee, data.start_date, data.end_date)
        if clash is not None:
            raise Conflict(
                _("Tanggal bertabrakan dengan %(kind)s %(start)s–%(end)s (%(status)s).") % {
                    "kind": clash.get_kind_display(), "start": clash.start_date.strftime("%d/%m/%Y"),
                    "end": clash.end_date.strftime("%d/%m/%Y"), "status": clash.get_status_display().lower(),
                },
                field="start_date", code="overlap",
            )
        if data.kind == rules.CUTI_TAHUNAN:
            _check_quota(employee, per_year, None, count_pending=True)
        req = LeaveRequest(
            employee=employee, kind=data.kind, start_date=data.start_date, end_date=data.end_date,
            reason=data.reason.strip(), days=(data.end_date - data.start_date).days + 1, working_days=len(days),
            working_days_by_year=per_year, letter_number=data.letter_number.strip(),
            destination=data.destination.strip(), requested_by=by if getattr(by, "is_authenticated", False) else None,
            document_type=doc_type,
        )
        if data.document is not None:
            req.document.save(f"dokumen.{doc_ext}", stored_upload(data.document, doc_type), save=False)
        req.save()
        record(by, "leave.request", req, {}, snapshot(req), data.reason.strip())
        open_leave_item(req)
    return req


def _mark_days(req: LeaveRequest, reason: str) -> None:
    """The request's days up to today have a different status now (later days are computed on their day)."""
    last = min(req.end_date, local_today(req.employee))
    days = [req.start_date + dt.timedelta(days=n) for n in range((last - req.start_date).days + 1)]
    outbox.mark_days([(req.employee_id, day) for day in days], reason)


def _notify(user: Any, subject: str, body: str, url: str = "") -> None:
    if user is None:
        return
    notify(user, subject, body, url=url, kind="approval")


def apply_decision(req: LeaveRequest, by: Any, approved: bool, reason: str = "") -> LeaveRequest:
    """Approve or reject a pending request (the approvals app has checked that `by` may)."""
    with transaction.atomic():
        req = LeaveRequest.objects.select_for_update().select_related("employee").get(pk=req.pk)
        if req.status != LeaveStatus.PENDING:
            raise Conflict(_("Pengajuan ini sudah %(status)s.") % {"status": req.get_status_display().lower()},
                           code="already_decided")
        before = snapshot(req, ["status", "decided_by", "decided_at", "decision_reason"])
        if approved and req.kind == rules.CUTI_TAHUNAN:
            _check_quota(req.employee, req.working_days_by_year, req.pk, count_pending=False)
        req.status = LeaveStatus.APPROVED if approved else LeaveStatus.REJECTED
        req.decided_by = by
        req.decided_at = timezone.now()
        req.decision_reason = reason[:300]
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        after = snapshot(req, ["status", "decided_by", "decided_at", "decision_reason"])
        record(by, "leave.approve" if approved else "leave.reject", req, before, after, reason)
        if approved:
            _mark_days(req, "leave_approved")
        word = _("disetujui") if approved else _("ditolak")
        _notify(req.employee.user, _("%(kind)s Anda %(word)s") % {"kind": req.get_kind_display(), "word": word},
                _("%(kind)s %(start)s–%(end)s %(word)s.%(reason)s") % {
                    "kind": req.get_kind_display(), "start": req.start_date.strftime("%d/%m/%Y"),
                    "end": req.end_date.strftime("%d/%m/%Y"), "word": word,
                    "reason": f" {reason}" if reason else "",
                }, url="/cuti/")
    return req


def can_cancel(user: Any, req: LeaveRequest, today: dt.date | None = None) -> bool:
    if req.status not in ACTIVE_STATUSES:
        return False
    if can_administer_unit(user, req.employee.unit):
        return True
    me = employee_of(user)
    if me is None or me.pk != req.employee_id:
        return False
    today = today or local_today(req.employee)
    return req.status == LeaveStatus.PENDING or req.start_date > today


def cancel_request(req: LeaveRequest, by: Any, reason: str = "") -> LeaveRequest:
    """Withdraw a request: the employee before it starts (pending any time), an administrator any time."""
    with transaction.atomic():
        req = LeaveRequest.objects.select_for_update().select_related("employee__unit").get(pk=req.pk)
        if req.status not in ACTIVE_STATUSES:
            raise Conflict(_("Pengajuan ini sudah %(status)s.") % {"status": req.get_status_display().lower()},
                           code="already_closed")
        if not can_cancel(by, req):
            raise NotAllowed(_("Pengajuan yang sudah disetujui hanya dapat dibatalkan sebelum tanggal mulai."),
                           code="forbidden")
        was_approved = req.status == LeaveStatus.APPROVED
        before = snapshot(req, ["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        req.status = LeaveStatus.CANCELLED
        req.cancelled_by = by
        req.cancelled_at = timezone.now()
        req.cancel_reason = reason[:300]
        req.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        record(by, "leave.cancel", req, before,
               snapshot(req, ["status", "cancelled_by", "cancelled_at", "cancel_reason"]), reason)
        close_leave_item(req, by)
        if was_approved:
            _mark_days(req, "leave_cancelled")
    return req


def visible_to(user: Any) -> Q:
    """Requests a user may read: their own, those they decide or decided, and those in their admin scope."""
    paths = admin_paths(user)
    if paths is None:
        return Q()
    me = employee_of(user)
    q = Q(pk__in=[])
    if me is not None:
        q |= Q(employee=me)
    if paths:
        q |= path_q(paths, "employee__unit__")
    q |= Q(decided_by=user)
    if me is not None:
        positions = actable_position_ids(me)
        if positions:
            q |= Q(approval_item__approver_position_id__in=positions)
    return q


def apply_approval(sender: Any, item: Any, by: Any, approved: bool, reason: str = "", **kwargs: Any) -> None:
    """Receiver of hadir.approvals' `request_decided`: the atasan decided the request behind `item`."""
    if item.leave_request is not None:
        apply_decision(item.leave_request, by, approved, reason)
# --- what the employee's API reads -------------------------------------------------------------


def own_employee(user: Any) -> Employee:
    """The employee behind the signed-in account (leave is filed by employees only)."""
    emp = employee_of(user)
    if emp is None:
        raise NotAllowed(_("Akun ini tidak terhubung dengan data pegawai."), code="no_employee")
    return emp


def filable_kinds(employee: Employee) -> list[LeaveKind]:
    """The kinds this employee may file (a PPPK or honorer has no cuti besar, for instance)."""
    allowed = rules.kinds_for(employee.kind, employee.sex)
    return [k for k in LeaveKind if k.value in allowed]


def own_requests(user: Any) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(employee=own_employee(user)).select_related("employee__unit")


def visible_request(user: Any, request_id: int) -> LeaveRequest:
    """One request the user may read (see visible_to); 404 for any other."""
    req = (LeaveRequest.objects.filter(visible_to(user)).select_related("employee__unit")
           .filter(pk=request_id).first())
    if req is None:
        raise NotFound(_("Pengajuan tidak ditemukan."), code="not_found")
    return req


def request_with_document(user: Any, request_id: int) -> LeaveRequest:
    req = visible_request(user, request_id)
    if not req.document:
        raise NotFound(_("Pengajuan ini tidak memiliki dokumen."), code="not_found")
    return req


# --- the overview for operators and BKPSDM ------------------------------------------------------


def may_see_overview(user: Any) -> bool:
    """Operators and BKPSDM admins (some unit to administer) and super-admins (everything)."""
    paths = admin_paths(user)
    return paths is None or bool(paths)


def overview(user: Any, *, kind: str = "", status: str = "", start: dt.date | None = None,
             end: dt.date | None = None, q: str = "") -> QuerySet[LeaveRequest]:
    """Leave and dinas luar requests of the units `user` administers (BKPSDM: the regency), newest first;
    `start`/`end` keep the requests whose dates overlap that range."""
    if not may_see_overview(user):
        raise NotAllowed(_("Halaman ini untuk operator OPD dan admin BKPSDM."), code="forbidden")
    paths = admin_paths(user)
    qs = LeaveRequest.objects.select_related("employee__unit", "employee__unit__opd", "decided_by")
    if paths is not None:
        qs = qs.filter(path_q(paths, "employee__unit__"))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(end_date__gte=start)
    if end:
        qs = qs.filter(start_date__lte=end)
    if q:
        qs = qs.filter(Q(employee__name__icontains=q) | Q(employee__nip__startswith=q))
    return qs.order_by("-start_date", "-pk")
