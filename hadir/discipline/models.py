"""PP 94/2021 sanction cases: opened when an employee crosses a threshold, carried from proposal to decision.

States (the order is enforced by hadir.discipline.cases):

    proposed → summoned (surat panggilan) → examined (berita acara pemeriksaan) → decided (sanction, letter, start)
    proposed | summoned | examined → dismissed (with a reason; e.g. the absences were excused late)
    decided → annulled (a new logged decision; the decided case itself is never edited)
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee


class CaseState(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    SUMMONED = "summoned", _("Dipanggil")
    EXAMINED = "examined", _("Diperiksa")
    DECIDED = "decided", _("Diputuskan")
    DISMISSED = "dismissed", _("Dihentikan")
    ANNULLED = "annulled", _("Dibatalkan")


OPEN_STATES = (CaseState.PROPOSED, CaseState.SUMMONED, CaseState.EXAMINED)


class Authority(models.TextChoices):
    ATASAN = "atasan", _("Atasan langsung")
    PPK = "ppk", _("PPK melalui BKPSDM")


class Case(models.Model):
    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT,
                                 related_name="discipline_cases")
    year = models.PositiveSmallIntegerField(_("tahun"))
    threshold = models.CharField(_("ambang"), max_length=10, help_text=_("Kode ambang PP 94/2021, mis. 11-13."))
    level = models.CharField(_("tingkat"), max_length=8)  # ringan | sedang | berat
    authority = models.CharField(_("pejabat yang berwenang"), max_length=8, choices=Authority.choices)
    reason = models.CharField(_("dasar"), max_length=200)
    state = models.CharField(_("status"), max_length=10, choices=CaseState.choices, default=CaseState.PROPOSED)
    tk_days = models.PositiveSmallIntegerField(_("hari TK saat dibuka"))
    longest_run = models.PositiveSmallIntegerField(_("TK berturut-turut terpanjang saat dibuka"))
    evidence = models.JSONField(_("tanggal TK"), default=list)
    opened_at = models.DateTimeField(_("dibuka"), default=timezone.now)
    summons_number = models.CharField(_("nomor surat panggilan"), max_length=100, blank=True)
    hearing_date = models.DateField(_("tanggal pemeriksaan"), null=True, blank=True)
    summoned_at = models.DateTimeField(_("dipanggil"), null=True, blank=True)
    examination_notes = models.TextField(_("ringkasan berita acara pemeriksaan"), blank=True)
    examined_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    decided_sanction = models.CharField(_("hukuman yang dijatuhkan"), max_length=10, blank=True)
    decision_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    decision_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    sanction_start = models.DateField(_("hukuman berlaku mulai"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    closing_reason = models.CharField(_("alasan dihentikan/dibatalkan"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("dihentikan/dibatalkan"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("kasus disiplin")
        verbose_name_plural = _("kasus disiplin")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["state", "level"], name="case_state_level"),
                   models.Index(fields=["employee", "year"], name="case_employee_year")]

    def __str__(self) -> str:
        return f"{self.employee} · {self.threshold} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def case_document_path(instance: CaseDocument, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"disiplin/{instance.case_id}/{uuid.uuid4().hex}.{ext}"


class DocumentKind(models.TextChoices):
    SUMMONS = "summons", _("Surat panggilan (ditandatangani)")
    EXAMINATION = "examination", _("Berita acara pemeriksaan (ditandatangani)")
    DECISION = "decision", _("Keputusan hukuman disiplin (ditandatangani)")
    OTHER = "other", _("Lainnya")


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to=case_document_path)
    content_type = models.CharField(max_length=60)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dokumen kasus")
        verbose_name_plural = _("dokumen kasus")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_kind_display()}"


class Ledger(models.Model):
    """An employee's PP 94/2021 year: absences without valid reason and their longest run (hadir.discipline.ledger).
    Derived data: rebuilt from the daily statuses by the daily job and on demand."""

    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="discipline_ledger")
    year = models.PositiveSmallIntegerField(_("tahun"))
    tk_days = models.PositiveSmallIntegerField(_("hari TK"), default=0)
    invalid_days = models.PositiveSmallIntegerField(_("hari dengan presensi tidak valid"), default=0)
    late_minutes = models.PositiveIntegerField(_("menit terlambat dan pulang cepat"), default=0)
    late_days = models.PositiveSmallIntegerField(_("hari dari akumulasi keterlambatan"), default=0)
    counted_days = models.PositiveSmallIntegerField(_("hari yang dihitung untuk ambang"), default=0)
    current_run = models.PositiveSmallIntegerField(_("TK berturut-turut sekarang"), default=0)
    longest_run = models.PositiveSmallIntegerField(_("TK berturut-turut terpanjang"), default=0)
    longest_end = models.DateField(_("akhir rangkaian terpanjang"), null=True, blank=True)
    computed_at = models.DateTimeField(_("dihitung"), default=timezone.now)

    class Meta:
        verbose_name = _("catatan disiplin")
        verbose_name_plural = _("catatan disiplin")
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="uniq_discipline_ledger")]

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.year}: {self.counted_days}"
