"""A case's evidence (its TK days with what was and was not scanned) and its signed documents."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hadir.audit.services import record
from hadir.errors import InvalidRequest
from hadir.files import stored_upload
from hadir.leave.rules import DocumentError, sniff_document
from hadir.presence.models import CheckIn, CheckInKind, DailyStatus, DayStatus

from .cases import may_act
from .models import Case, CaseDocument, DocumentKind

LABELS = dict(DayStatus.choices)


def evidence_days(case: Case) -> list[dict[str, Any]]:
    """Each TK day of the case with today's status (a late-approved leave shows), the check-ins of that day (accepted
    or refused, with links) and which scans are missing."""
    days = sorted(dt.date.fromisoformat(d) for d in case.evidence)
    if not days:
        return []
    statuses = dict(DailyStatus.objects.filter(employee_id=case.employee_id, date__in=days)
                    .values_list("date", "status"))
    checkins: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for pk, day, kind, verdict, at, reason in CheckIn.objects.filter(
            employee_id=case.employee_id, local_date__in=days).order_by("occurred_at").values_list(
            "pk", "local_date", "kind", "verdict", "occurred_at", "reason"):
        checkins[day].append({"id": pk, "kind": kind, "verdict": verdict, "at": at.isoformat(), "reason": reason,
                              "url": f"/dasbor/ketidakhadiran/{case.employee_id}/#d-{day.isoformat()}"})
    out = []
    for day in days:
        kinds = {c["kind"] for c in checkins[day] if c["verdict"] == "accepted"}
        missing = [k for k in (CheckInKind.MASUK, CheckInKind.PULANG) if k not in kinds]
        status = statuses.get(day, "")
        out.append({"date": day, "status": status, "status_label": str(LABELS.get(status, status)),
                    "checkins": checkins[day],
                    "missing": [str(k) for k in missing]})
    return out


def add_document(user: Any, case: Case, kind: str, upload: UploadedFile) -> CaseDocument:
    """Attach a signed document (PDF or image, judged by its content) to a case the user may act on."""
    if not may_act(user, case):
        raise InvalidRequest(_("Hanya pejabat yang berwenang atas kasus ini yang dapat mengunggah dokumennya."),
                             field="file", code="forbidden")
    if kind not in DocumentKind.values:
        raise InvalidRequest(_("Jenis dokumen tidak dikenal."), field="kind")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type, ext = sniff_document(head, int(upload.size or 0))
    except DocumentError as exc:
        raise InvalidRequest(str(exc), field="file", code="bad_document") from None
    with transaction.atomic():
        doc = CaseDocument(case=case, kind=kind, content_type=content_type, uploaded_by=user)
        doc.file.save(f"{kind}.{ext}", stored_upload(upload, content_type), save=False)
        doc.save()
        record(user, "discipline.case_document", case, {}, {"document": doc.pk, "kind": kind,
                                                              "content_type": content_type})
    return doc
