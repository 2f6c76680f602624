"""Recap files made in the background (a regency's month): who asked, for what, how far along, and the file —
kept for HADIR_REPORT_EXPORT_DAYS and downloadable only by its requester and BKPSDM (hadir.reports.exports)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


def export_path(instance: Export, filename: str) -> str:
    return f"rekap/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{filename}"


class Export(models.Model):
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("peminta"), on_delete=models.CASCADE,
                                  related_name="report_exports")
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    params = models.JSONField(_("pilihan"), default=dict)  # Selection.params(): start, end, opd_id, unit_id, …
    label = models.CharField(_("isi"), max_length=300)
    employees = models.PositiveIntegerField(_("jumlah pegawai"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    file = models.FileField(_("berkas"), upload_to=export_path, blank=True)
    filename = models.CharField(_("nama berkas"), max_length=120, blank=True)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("diminta"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("ekspor rekap")
        verbose_name_plural = _("ekspor rekap")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requester", "-created_at"], name="export_requester_created")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.label} ({self.get_status_display()})"
