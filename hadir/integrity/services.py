"""Enrolment of reference faces: make, approve, reject. Every decision is logged in the audit trail; approving
a new face for an employee who has one marks the old one `replaced` (re-enrolment, logged as such)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.audit.services import record
from hadir.errors import Conflict, NotAllowed, NotFound, Unprocessable
from hadir.org.models import Employee
from hadir.org.scoping import admin_paths, can_administer_unit
from hadir.presence.photos import clean_photo

from . import face
from .models import EnrolmentSource, EnrolmentStatus, FaceEnrolment


def employee_in_scope(user: Any, employee_id: int) -> Employee:
    """The employee an operator (their OPD) or a BKPSDM admin may enrol. 403 for a user without an administrative
    role; 404 for an employee who does not exist or lies outside the user's units (existence is not revealed)."""
    if admin_paths(user) == []:
        raise NotAllowed(_("Hanya operator OPD atau admin BKPSDM yang dapat merekam wajah pegawai."),
                         code="forbidden")
    employee = Employee.objects.select_related("unit").filter(pk=employee_id).first()
    if employee is None or not can_administer_unit(user, employee.unit):
        raise NotFound(_("Pegawai tidak ditemukan."), field="employee_id", code="employee_not_found")
    return employee


def enrolment_in_scope(user: Any, enrolment_id: int) -> FaceEnrolment:
    """An enrolment of an employee the user may enrol (same rules as `employee_in_scope`)."""
    if admin_paths(user) == []:
        raise NotAllowed(_("Hanya operator OPD atau admin BKPSDM yang dapat merekam wajah pegawai."),
                         code="forbidden")
    enrolment = FaceEnrolment.objects.select_related("employee__unit").filter(pk=enrolment_id).first()
    if enrolment is None or not can_administer_unit(user, enrolment.employee.unit):
        raise NotFound(_("Rekam wajah tidak ditemukan."), code="enrolment_not_found")
    return enrolment


def face_of(data: bytes) -> list[float]:
    """The embedding of the one face in an enrolment photo; 422 with the reason otherwise."""
    try:
        result = face.analyse(data)
    except face.NotAnImage:
        raise Unprocessable(_("Foto harus berupa gambar JPEG, PNG, atau WebP."), field="photo",
                            code="photo_type") from None
    if result.faces == 0:
        raise Unprocessable(_("Tidak ada wajah yang terdeteksi pada foto. Gunakan foto wajah tampak depan yang "
                              "terang dan jelas."), field="photo", code="no_face")
    if result.faces > 1 or result.embedding is None:
        raise Unprocessable(_("Terdeteksi %(n)d wajah pada foto. Foto rekam wajah harus berisi satu wajah saja.")
                            % {"n": result.faces}, field="photo", code="multiple_faces")
    return result.embedding


def enrol(employee: Employee, photo: UploadedFile, by: Any, *, source: str = EnrolmentSource.UPLOAD,
          approve: bool = True) -> FaceEnrolment:
    """Store a reference face for `employee` made by `by`; approved at once when `approve` (an operator or admin
    making it is the approval). Nothing is stored when the photo is refused."""
    stored = clean_photo(photo)  # 413/422 for a file that is too big or not an image
    embedding = face_of(stored.read())
    stored.seek(0)
    with transaction.atomic():
        enrolment = FaceEnrolment(employee=employee, embedding=embedding, source=source, created_by=by)
        enrolment.photo.save(stored.name or "wajah.jpg", stored, save=False)
        enrolment.save()
        record(by, "face_enrolment.create", enrolment, {}, {"employee_id": employee.pk, "source": source,
                                                            "status": enrolment.status})
        if approve:
            enrolment = approve_enrolment(enrolment, by)
    return enrolment


def approve_enrolment(enrolment: FaceEnrolment, by: Any) -> FaceEnrolment:
    """Approve a pending enrolment; the employee's approved one before it becomes `replaced` (re-enrolment)."""
    with transaction.atomic():
        enrolment = FaceEnrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.PENDING:
            raise Conflict(_("Rekam wajah ini sudah diputus."), code="already_decided")
        now = timezone.now()
        previous = list(FaceEnrolment.objects.select_for_update().filter(employee_id=enrolment.employee_id,
                                                                          status=EnrolmentStatus.APPROVED))
        for old in previous:
            old.status, old.replaced_at = EnrolmentStatus.REPLACED, now
            old.save(update_fields=["status", "replaced_at"])
            record(by, "face_enrolment.replace", old, {"status": EnrolmentStatus.APPROVED},
                   {"status": EnrolmentStatus.REPLACED, "replaced_by": enrolment.pk},
                   _("Rekam wajah ulang"))
        enrolment.status, enrolment.decided_by, enrolment.decided_at = EnrolmentStatus.APPROVED, by, now
        try:
            with transaction.atomic():
                enrolment.save(update_fields=["status", "decided_by", "decided_at"])
        except IntegrityError:  # another face of this employee was approved at the same instant
            raise Conflict(_("Rekam wajah pegawai ini sedang diubah oleh pengguna lain; coba lagi."),
                           code="concurrent_enrolment") from None
        record(by, "face_enrolment.approve", enrolment, {"status": EnrolmentStatus.PENDING},
               {"status": EnrolmentStatus.APPROVED, "replaces": [o.pk for o in previous]})
    return enrolment


def reject_enrolment(enrolment: FaceEnrolment, by: Any, reason: str = "") -> FaceEnrolment:
    with transaction.atomic():
        enrolment = FaceEnrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.PENDING:
            raise Conflict(_("Rekam wajah ini sudah diputus."), code="already_decided")
        enrolment.status, enrolment.decided_by, enrolment.decided_at = (EnrolmentStatus.REJECTED, by,
                                                                        timezone.now())
        enrolment.save(update_fields=["status", "decided_by", "decided_at"])
        record(by, "face_enrolment.reject", enrolment, {"status": EnrolmentStatus.PENDING},
               {"status": EnrolmentStatus.REJECTED}, reason)
    return enrolment
