"""Recap files: small ones are built in the request; a long one (more than HADIR_REPORT_SYNC_MAX_EMPLOYEES staff,
e.g. a regency's month) runs as a Celery task that records its progress, stores the file privately and tells the
requester in the inbox. Only the requester and BKPSDM may download it (anyone else gets 404); files are deleted
after HADIR_REPORT_EXPORT_DAYS days (beat task `hadir.reports.purge_exports`)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hadir.errors import NotFound
from hadir.notify.services import notify
from hadir.org.scoping import is_bkpsdm

from . import excel, pdf
from . import scope as sc
from .models import Export, ExportFormat, ExportStatus

log = logging.getLogger(__name__)

CONTENT_TYPES = {ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ExportFormat.PDF: "application/pdf"}


def filename_for(sel: sc.Selection, fmt: str) -> str:
    name = slugify(sel.label)[:60] or "rekap"
    return f"rekap-{name}-{sel.start:%Y%m%d}-{sel.end:%Y%m%d}.{fmt}"


def render(sel: sc.Selection, fmt: str, progress: Any = None) -> bytes:
    """The file's bytes: the same recap functions whatever the format."""
    if fmt == ExportFormat.PDF:
        return pdf.build(sel, progress=progress)
    return excel.workbook(sel.employees, sel.start, sel.end, label=sel.label, progress=progress)


def is_large(sel: sc.Selection) -> bool:
    return sel.employees.count() > settings.HADIR_REPORT_SYNC_MAX_EMPLOYEES


def request_export(user: Any, sel: sc.Selection, fmt: str) -> Export:
    """Queue a background export of `sel` (already validated and scoped for `user`)."""
    export = Export.objects.create(requester=user, format=fmt, params=sel.params(), label=sel.label[:300],
                                   employees=sel.employees.count())
    transaction.on_commit(lambda: build_export.delay(export.pk))
    return export


def _selection(export: Export) -> sc.Selection:
    p = export.params
    return sc.select(export.requester, dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]),
                     opd_id=p.get("opd_id"), unit_id=p.get("unit_id"), employee_id=p.get("employee_id"))


@shared_task(name="hadir.reports.build_export", ignore_result=True)
def build_export(export_id: int) -> None:
    export = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).select_related("requester").first()
    if export is None:
        return
    Export.objects.filter(pk=export_id).update(status=ExportStatus.RUNNING, progress=5)

    def progress(done: int, total: int) -> None:
        Export.objects.filter(pk=export_id).update(progress=min(95, 5 + int(90 * done / max(total, 1))))

    try:
        sel = _selection(export)  # the requester's scope again, as it is now
        content = render(sel, export.format, progress)
    except Exception as exc:  # recorded for the requester; the traceback goes to the log
        log.exception("recap export %s failed", export_id)
        message = getattr(exc, "message", "") or _("Rekap gagal dibuat. Silakan coba lagi atau hubungi admin.")
        Export.objects.filter(pk=export_id).update(status=ExportStatus.FAILED, error=str(message)[:300],
                                                   finished_at=timezone.now())
        return
    name = filename_for(sel, export.format)
    export.file.save(name, ContentFile(content), save=False)
    Export.objects.filter(pk=export_id).update(file=export.file.name, filename=name, status=ExportStatus.DONE,
                                               progress=100, finished_at=timezone.now())
    notify(export.requester, _("Rekap siap diunduh"),
           _("%(label)s, %(period)s (%(format)s).") % {"label": sel.label, "period": sel.period_label,
                                                       "format": export.get_format_display()},
           url=reverse("reports:export", args=[export_id]), key=f"report-export-{export_id}")


def visible(user: Any) -> Any:
    """Exports `user` may see: their own; BKPSDM every one."""
    qs = Export.objects.select_related("requester")
    return qs if is_bkpsdm(user) else qs.filter(requester=user)


def get_visible(user: Any, export_id: int) -> Export:
    export = visible(user).filter(pk=export_id).first()
    if export is None:
        raise NotFound(_("Berkas rekap tidak ditemukan."), code="not_found")
    return export


@shared_task(name="hadir.reports.purge_exports", ignore_result=True)
def purge_exports(now: dt.datetime | None = None) -> int:
    """Delete export files (and their rows) older than HADIR_REPORT_EXPORT_DAYS days."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.HADIR_REPORT_EXPORT_DAYS)
    old = list(Export.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
    Export.objects.filter(pk__in=[e.pk for e in old]).delete()
    return len(old)


