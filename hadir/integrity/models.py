"""Face match: an employee's enrolled reference face and the check of each selfie against it.

A FaceEnrolment is the reference: the photo (private storage, like the selfies: streamed only by checked views),
its 128-d embedding and who made and approved it. At most one is approved per employee at a time; a new approved
enrolment marks the previous one `replaced` (logged in the audit trail). A FaceCheck is the verdict on one check-in's
selfie, computed off the request path (hadir.integrity.tasks).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee
from hadir.presence.models import CheckIn


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    REPLACED = "replaced", _("Diganti")


class EnrolmentSource(models.TextChoices):
    CAMERA = "camera", _("Difoto di aplikasi (didampingi operator)")
    UPLOAD = "upload", _("Diunggah operator")


def enrolment_path(instance: FaceEnrolment, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"wajah/{instance.employee_id}/{uuid.uuid4()}.{ext}"


class FaceEnrolment(models.Model):
    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="face_enrolments")
    photo = models.ImageField(_("foto wajah"), upload_to=enrolment_path)
    embedding = models.JSONField(_("embedding wajah"), help_text=_("128 angka dari model dlib"))
    source = models.CharField(_("sumber"), max_length=10, choices=EnrolmentSource.choices,
                              default=EnrolmentSource.UPLOAD)
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diputus oleh"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("diganti"), null=True, blank=True)

    class Meta:
        verbose_name = _("rekam wajah")
        verbose_name_plural = _("rekam wajah")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["employee"], condition=Q(status="approved"),
                                    name="one_approved_face_per_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.status} {self.created_at:%Y-%m-%d}"


class FaceFlag(models.TextChoices):
    MATCH = "", _("Cocok")
    NO_FACE = "no_face", _("Tidak ada wajah pada swafoto")
    MULTIPLE_FACES = "multiple_faces", _("Lebih dari satu wajah pada swafoto")
    FACE_MISMATCH = "face_mismatch", _("Wajah tidak cocok dengan rekam wajah")
    NOT_ENROLLED = "not_enrolled", _("Pegawai belum memiliki rekam wajah")
    UNREADABLE = "unreadable", _("Swafoto tidak dapat dibaca")


class FaceCheck(models.Model):
    checkin = models.OneToOneField(CheckIn, verbose_name=_("presensi"), on_delete=models.CASCADE,
                                   related_name="face_check")
    enrolment = models.ForeignKey(FaceEnrolment, verbose_name=_("rekam wajah"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    flag = models.CharField(_("hasil"), max_length=16, choices=FaceFlag.choices, blank=True)
    faces = models.PositiveSmallIntegerField(_("jumlah wajah"), null=True, blank=True)
    distance = models.FloatField(_("jarak wajah"), null=True, blank=True,
                                 help_text=_("Jarak embedding ke rekam wajah (0 = identik)"))
    threshold = models.FloatField(_("ambang"), null=True, blank=True)
    computed_at = models.DateTimeField(_("diperiksa"), auto_now=True)

    class Meta:
        verbose_name = _("pemeriksaan wajah")
        verbose_name_plural = _("pemeriksaan wajah")

    def __str__(self) -> str:
        return f"{self.checkin_id} {self.flag or 'match'}"
