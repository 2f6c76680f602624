"""Leave and official duty: izin, cuti, dinas luar (with surat tugas), rapat di luar kantor,
kegiatan pemerintahan. A request waits for the atasan (approvals app); approved requests excuse the
days in the daily status and, for official duty, lift the geofence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee

from . import rules


class LeaveKind(models.TextChoices):
    IZIN_SAKIT = rules.IZIN_SAKIT, _("Izin sakit")
    IZIN_PENTING = rules.IZIN_PENTING, _("Izin alasan penting")
    CUTI_TAHUNAN = rules.CUTI_TAHUNAN, _("Cuti tahunan")
    CUTI_SAKIT = rules.CUTI_SAKIT, _("Cuti sakit")
    CUTI_BESAR = rules.CUTI_BESAR, _("Cuti besar")
    CUTI_MELAHIRKAN = rules.CUTI_MELAHIRKAN, _("Cuti melahirkan")
    CUTI_PENTING = rules.CUTI_PENTING, _("Cuti karena alasan penting")
    CUTI_BERSAMA = rules.CUTI_BERSAMA, _("Cuti bersama")
    CLTN = rules.CLTN, _("Cuti di luar tanggungan negara (CLTN)")
    DINAS_LUAR = rules.DINAS_LUAR, _("Dinas luar")
    RAPAT_LUAR = rules.RAPAT_LUAR, _("Rapat di luar kantor")
    KEGIATAN = rules.KEGIATAN, _("Kegiatan pemerintahan")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


ACTIVE_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


def document_path(instance: LeaveRequest, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"leave/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class LeaveRequest(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name="pegawai", on_delete=models.PROTECT, related_name="leave_requests"
    )
    kind = models.CharField("jenis", max_length=20, choices=LeaveKind.choices)
    start_date = models.DateField("tanggal mulai")
    end_date = models.DateField("tanggal selesai")
    reason = models.TextField("keperluan/alasan", max_length=1000)
    status = models.CharField("status", max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    days = models.PositiveIntegerField("jumlah hari kalender", default=0)
    working_days = models.PositiveIntegerField("jumlah hari kerja", default=0)
    # {"2026": 3, "2027": 2}: working days per year (a cuti tahunan across New Year charges both years)
    working_days_by_year = models.JSONField("hari kerja per tahun", default=dict, blank=True)
    # Surat tugas (dinas luar) or other supporting letter
    letter_number = models.CharField("nomor surat tugas", max_length=100, blank=True)
    destination = models.CharField("tujuan", max_length=200, blank=True)
    document = models.FileField("dokumen", upload_to=document_path, null=True, blank=True)
    document_type = models.CharField("jenis dokumen", max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="diajukan oleh", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("diajukan", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="diputuskan oleh", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("diputuskan", null=True, blank=True)
    decision_reason = models.CharField("catatan keputusan", max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="dibatalkan oleh", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("dibatalkan", null=True, blank=True)
    cancel_reason = models.CharField("alasan pembatalan", max_length=300, blank=True)

    class Meta:
        verbose_name = "izin/cuti/dinas luar"
        verbose_name_plural = "izin/cuti/dinas luar"
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["employee", "start_date"], name="leave_emp_start"),
            models.Index(fields=["status", "start_date", "end_date"], name="leave_status_dates"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="leave_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.employee_id} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    @property
    def day_status(self) -> str:
        return rules.DAY_STATUS[self.kind]

    @property
    def lifts_geofence(self) -> bool:
        return self.kind in rules.DUTY_KINDS

    @property
    def reference(self) -> str:
        """Short reference shown in the daily status (DailyStatus.excuse_ref, 60 chars)."""
        prefix = {"dl": "DL", "cuti": "CUTI", "sakit": "SAKIT", "izin": "IZIN"}[self.day_status]
        ref = f"{prefix}-{self.pk}"
        if self.letter_number:
            ref += f" ST {self.letter_number}"
        return ref[:60]


class AnnualLeaveOpening(models.Model):
    """Cuti tahunan carried into `year` as HR knows it from before Hadir (paper/SIASN records). Replaces
    the computed carry-over for that year; years before Hadir's books otherwise carry nothing."""

    employee = models.ForeignKey(Employee, verbose_name="pegawai", on_delete=models.CASCADE,
                                 related_name="leave_openings")
    year = models.PositiveSmallIntegerField("tahun")
    carried_days = models.PositiveSmallIntegerField(
        "sisa cuti dibawa ke tahun ini (hari kerja)", validators=[MaxValueValidator(rules.CARRY_TWO_YEARS)],
    )
    note = models.CharField("keterangan", max_length=200, blank=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "saldo awal cuti tahunan"
        verbose_name_plural = "saldo awal cuti tahunan"
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="uniq_leave_opening")]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}: {self.carried_days}"
