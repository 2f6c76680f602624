"""Tiered approval (approve berjenjang): which check-ins wait for the atasan, acting heads, and the
queue of items waiting for a decision."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee, Position, Unit, UnitKind


class ApprovalMode(models.TextChoices):
    NONE = "none", _("Tanpa persetujuan atasan")
    ALL = "all", _("Semua presensi")
    FLAGGED = "flagged", _("Hanya yang ditandai (indikasi kecurangan atau luring)")
    APEL = "apel", _("Hanya presensi apel")


class ApprovalPolicy(models.Model):
    """Set for the whole regency (on the Pemda unit) or for one OPD (overrides the regency's)."""

    unit = models.OneToOneField(Unit, verbose_name="Pemda/OPD", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField("presensi yang perlu persetujuan", max_length=10, choices=ApprovalMode.choices,
                            default=ApprovalMode.FLAGGED)
    escalate_after_days = models.PositiveSmallIntegerField(
        "eskalasi setelah (hari)", default=3, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Item yang belum diputuskan selama ini naik ke atasan berikutnya.",
    )
    correction_monthly_limit = models.PositiveSmallIntegerField(
        _("batas koreksi presensi per bulan"), null=True, blank=True, validators=[MaxValueValidator(31)],
        help_text=_("Koreksi presensi yang boleh diajukan seorang pegawai per bulan (kosong: bawaan "
                    "HADIR_CORRECTION_MONTHLY_LIMIT)."),
    )
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "kebijakan persetujuan"
        verbose_name_plural = "kebijakan persetujuan"

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_mode_display()}"

    def clean(self) -> None:
        if self.unit_id and self.unit.kind != UnitKind.PEMDA and not self.unit.is_opd:
            raise ValidationError({"unit": "Kebijakan hanya dapat diatur untuk Pemda atau OPD."})


class DelegationKind(models.TextChoices):
    PLT = "plt", _("Plt (pelaksana tugas)")
    PLH = "plh", _("Plh (pelaksana harian)")


class Delegation(models.Model):
    """An acting head: `delegate` approves for `position` from `start_date` to `end_date` inclusive."""

    position = models.ForeignKey(Position, verbose_name="jabatan yang dilaksanakan", on_delete=models.CASCADE,
                                 related_name="delegations")
    delegate = models.ForeignKey(Employee, verbose_name="pelaksana", on_delete=models.CASCADE,
                                 related_name="delegations")
    kind = models.CharField("jenis", max_length=3, choices=DelegationKind.choices, default=DelegationKind.PLH)
    start_date = models.DateField("mulai")
    end_date = models.DateField("sampai")
    decree_number = models.CharField("nomor surat perintah", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("dibuat", default=timezone.now)

    class Meta:
        verbose_name = "Plt/Plh"
        verbose_name_plural = "Plt/Plh"
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["delegate", "start_date", "end_date"], name="delegation_delegate_dates")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="delegation_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position.name}: {self.delegate.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "Tanggal akhir tidak boleh sebelum tanggal mulai."
        if self.position_id and self.delegate_id:
            if self.delegate.position_id == self.position_id:
                errors["delegate"] = "Pelaksana tidak boleh pemegang jabatan itu sendiri."
            elif self.delegate.unit.opd_id != self.position.unit.opd_id:
                errors["delegate"] = "Pelaksana harus pegawai OPD yang sama."
        if errors:
            raise ValidationError(errors)


class ItemKind(models.TextChoices):
    CHECKIN = "checkin", _("Presensi")
    LEAVE = "leave", _("Izin/cuti/dinas luar")
    CORRECTION = "correction", _("Koreksi presensi")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    APPROVED = "approved", _("Disetujui/valid")
    REJECTED = "rejected", _("Ditolak/tidak valid")
    CANCELLED = "cancelled", _("Dibatalkan")


class ApprovalItem(models.Model):
    """One thing waiting for an atasan. `approver_position` is the position whose holder (or acting
    head) decides; None means no one in the tree can, so BKPSDM administrators decide."""

    kind = models.CharField("jenis", max_length=12, choices=ItemKind.choices)
    checkin = models.OneToOneField("presence.CheckIn", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="approval_item")
    leave_request = models.OneToOneField("leave.LeaveRequest", null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="approval_item")
    correction = models.OneToOneField("presence.Correction", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="approval_item")
    employee = models.ForeignKey(Employee, verbose_name="pegawai", on_delete=models.CASCADE,
                                 related_name="approval_items")
    approver_position = models.ForeignKey(Position, verbose_name="jabatan penyetuju", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="approval_items")
    escalation_level = models.PositiveSmallIntegerField("tingkat eskalasi", default=0)
    status = models.CharField("status", max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    created_at = models.DateTimeField("masuk", default=timezone.now)
    escalated_at = models.DateTimeField("dieskalasi", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField("diputuskan", null=True, blank=True)
    reason = models.CharField("alasan", max_length=300, blank=True)

    class Meta:
        verbose_name = "item persetujuan"
        verbose_name_plural = "item persetujuan"
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "approver_position"], name="approval_status_position"),
            models.Index(fields=["status", "created_at"], name="approval_status_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="checkin", checkin__isnull=False, leave_request__isnull=True,
                             correction__isnull=True)
                           | Q(kind="leave", leave_request__isnull=False, checkin__isnull=True, correction__isnull=True)
                           | Q(kind="correction", correction__isnull=False, checkin__isnull=True,
                               leave_request__isnull=True)),
                name="approval_item_one_subject_v2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.employee_id} {self.status}"
