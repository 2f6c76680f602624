"""Face match: an employee's enrolled reference face and the check of each selfie against it.

A FaceEnrolment is the reference: the photo (private storage, like the selfies: streamed only by checked views),
its 128-d embedding and who made and approved it. At most one is approved per employee at a time; a new approved
enrolment marks the previous one `replaced` (logged in the audit trail). A FaceCheck is the verdict on one check-in's
selfie, computed off the request path (hadir.integrity.tasks).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
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
    photo_hash = models.CharField(_("sidik foto"), max_length=16, blank=True, db_index=True,
                                  help_text=_("Hash perseptual (dHash 64 bit) untuk mengenali foto yang dikirim ulang"))
    computed_at = models.DateTimeField(_("diperiksa"), auto_now=True)

    class Meta:
        verbose_name = _("pemeriksaan wajah")
        verbose_name_plural = _("pemeriksaan wajah")

    def __str__(self) -> str:
        return f"{self.checkin_id} {self.flag or 'match'}"


# --- presence during the day: roll calls ("apel/stor wajah" at random times) -------------------------------------

class RollCallPolicy(models.Model):
    """N roll calls a working day for the staff of a unit (an OPD or any unit below it; the nearest policy above an
    employee's unit applies), each answered within `answer_minutes` with a position and, if asked, a selfie."""

    unit = models.OneToOneField("org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                related_name="roll_call_policy")
    calls_per_day = models.PositiveSmallIntegerField(_("panggilan per hari"), default=3)
    answer_minutes = models.PositiveSmallIntegerField(_("batas menjawab (menit)"), default=15)
    selfie_required = models.BooleanField(_("wajib swafoto"), default=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kebijakan panggilan kehadiran")
        verbose_name_plural = _("kebijakan panggilan kehadiran")

    def __str__(self) -> str:
        return f"{self.unit} ×{self.calls_per_day}/{self.answer_minutes} mnt"

    def clean(self) -> None:
        if not 1 <= self.calls_per_day <= 12:
            raise ValidationError({"calls_per_day": _("Antara 1 dan 12 panggilan per hari.")})
        if not 5 <= self.answer_minutes <= 120:
            raise ValidationError({"answer_minutes": _("Batas menjawab antara 5 dan 120 menit.")})


class FieldWorkPosition(models.Model):
    """A jabatan whose holders work in the field (penyuluh, pengawas…): no roll calls for them."""

    position = models.OneToOneField("org.Position", verbose_name=_("jabatan"), on_delete=models.CASCADE,
                                    related_name="field_work")
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("jabatan kerja lapangan")
        verbose_name_plural = _("jabatan kerja lapangan")

    def __str__(self) -> str:
        return str(self.position)


class RollCallStatus(models.TextChoices):
    ASKED = "asked", _("Menunggu jawaban")
    ANSWERED = "answered", _("Dijawab")
    MISSED = "missed", _("Tidak dijawab")


def roll_call_path(instance: RollCall, filename: str) -> str:
    return f"panggilan/{instance.date:%Y/%m}/{uuid.uuid4()}.jpg"


class RollCall(models.Model):
    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="roll_calls")
    date = models.DateField(_("tanggal"))
    seq = models.PositiveSmallIntegerField(_("ke"))
    asked_at = models.DateTimeField(_("ditanyakan"))
    deadline = models.DateTimeField(_("batas menjawab"))
    selfie_required = models.BooleanField(_("wajib swafoto"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=RollCallStatus.choices,
                              default=RollCallStatus.ASKED)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    accuracy_m = models.FloatField(_("akurasi (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("jarak ke lokasi (m)"), null=True, blank=True)
    in_place = models.BooleanField(_("di tempat"), null=True)
    photo = models.ImageField(_("swafoto"), upload_to=roll_call_path, null=True, blank=True)
    face_flag = models.CharField(_("pencocokan wajah"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("panggilan kehadiran")
        verbose_name_plural = _("panggilan kehadiran")
        ordering = ["-asked_at"]
        constraints = [models.UniqueConstraint(fields=["employee", "date", "seq"], name="uniq_roll_call")]
        indexes = [models.Index(fields=["status", "deadline"], name="rollcall_status_deadline"),
                   models.Index(fields=["date", "status"], name="rollcall_date_status")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} #{self.seq} {self.status}"
