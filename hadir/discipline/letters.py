"""The case's letters as PDF (ReportLab, pure Python): surat panggilan, berita acara pemeriksaan, keputusan hukuman
disiplin — each on the regency's letterhead (settings HADIR_INSTANSI, HADIR_LETTERHEAD_*), filled from the case.
The authority prints, signs and uploads them back (hadir.discipline.documents)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hadir.errors import Conflict, InvalidRequest
from hadir.files import tanggal

from .cases import BY_CODE
from .models import Case, CaseState


def styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "head": ParagraphStyle("head", parent=base["Title"], fontSize=13, leading=16, spaceAfter=0),
        "sub": ParagraphStyle("sub", parent=base["Normal"], fontSize=11, leading=14, alignment=1),
        "addr": ParagraphStyle("addr", parent=base["Normal"], fontSize=9, leading=11, alignment=1),
        "title": ParagraphStyle("title", parent=base["Heading2"], alignment=1, fontSize=12, spaceBefore=12),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=11, leading=15, spaceAfter=6),
    }


def letterhead(s: dict[str, ParagraphStyle]) -> list[Any]:
    lines = [Paragraph(escape(settings.HADIR_INSTANSI.upper()), s["head"]),
             Paragraph(escape(settings.HADIR_LETTERHEAD_AGENCY.upper()), s["sub"]),
             Paragraph(escape(settings.HADIR_LETTERHEAD_ADDRESS), s["addr"])]
    logo = str(getattr(settings, "HADIR_LETTERHEAD_LOGO", "") or "")
    if logo and Path(logo).is_file():
        head: list[Any] = [Table([[Image(logo, width=2 * cm, height=2 * cm), lines]], colWidths=[2.5 * cm, None])]
    else:
        head = lines
    return [*head, Spacer(1, 4), HRFlowable(width="100%", thickness=2, color=colors.black), Spacer(1, 8)]


def _identity(case: Case, s: dict[str, ParagraphStyle]) -> Table:
    e = case.employee
    rows = [[_("Nama"), ":", e.name], ["NIP", ":", e.nip or "—"],
            [_("Jabatan"), ":", e.position.name if e.position else "—"], [_("Unit kerja"), ":", e.unit.name]]
    table = Table([[Paragraph(escape(str(c)), s["body"]) for c in r] for r in rows],
                  colWidths=[3.5 * cm, 0.5 * cm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _signature(s: dict[str, ParagraphStyle], day: Any, role: str) -> list[Any]:
    return [Spacer(1, 18), Paragraph(escape(f"{settings.HADIR_LETTER_PLACE}, {tanggal(day)}"), s["body"]),
            Paragraph(escape(role), s["body"]), Spacer(1, 50), Paragraph("(.................................)", s["body"]),
            Paragraph("NIP.", s["body"])]


def _summons(case: Case, s: dict[str, ParagraphStyle]) -> list[Any]:
    days = ", ".join(tanggal(dt.date.fromisoformat(d)) for d in case.evidence[:40])
    return [
        Paragraph(_("SURAT PANGGILAN"), s["title"]),
        Paragraph(escape(_("Nomor: %(n)s") % {"n": case.summons_number}), s["sub"]), Spacer(1, 10),
        Paragraph(escape(_("Dengan ini diminta kehadiran Saudara:")), s["body"]), _identity(case, s), Spacer(1, 6),
        Paragraph(escape(_("untuk menghadap pada tanggal %(day)s guna diperiksa sehubungan dengan dugaan pelanggaran "
                           "disiplin: %(reason)s, yaitu pada tanggal %(days)s.") % {
            "day": tanggal(case.hearing_date), "reason": case.reason, "days": days}), s["body"]),
        Paragraph(escape(_("Demikian untuk dilaksanakan.")), s["body"]),
        *_signature(s, case.summoned_at, case.get_authority_display()),
    ]


def _examination(case: Case, s: dict[str, ParagraphStyle]) -> list[Any]:
    return [
        Paragraph(_("BERITA ACARA PEMERIKSAAN"), s["title"]), Spacer(1, 10),
        Paragraph(escape(_("Pada tanggal %(day)s telah dilakukan pemeriksaan terhadap:") % {
            "day": tanggal(case.hearing_date or case.examined_at)}), s["body"]),
        _identity(case, s), Spacer(1, 6),
        Paragraph(escape(_("Dugaan pelanggaran: %(reason)s.") % {"reason": case.reason}), s["body"]),
        Paragraph(escape(_("Hasil pemeriksaan:")), s["body"]),
        *[Paragraph(escape(line), s["body"]) for line in case.examination_notes.splitlines() if line.strip()],
        *_signature(s, case.examined_at, _("Pemeriksa")),
    ]


def _decision(case: Case, s: dict[str, ParagraphStyle]) -> list[Any]:
    sanction = BY_CODE.get(case.decided_sanction)
    return [
        Paragraph(_("KEPUTUSAN HUKUMAN DISIPLIN"), s["title"]),
        Paragraph(escape(_("Nomor: %(n)s") % {"n": case.decision_number}), s["sub"]), Spacer(1, 10),
        Paragraph(escape(_("Berdasarkan Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri "
                           "Sipil, dan hasil pemeriksaan, kepada:")), s["body"]),
        _identity(case, s), Spacer(1, 6),
        Paragraph(escape(_("dijatuhi hukuman disiplin tingkat %(level)s berupa: %(sanction)s, karena %(reason)s.") % {
            "level": case.level, "sanction": sanction.name if sanction else case.decided_sanction,
            "reason": case.reason}), s["body"]),
        Paragraph(escape(_("Hukuman ini berlaku mulai tanggal %(day)s.") % {"day": tanggal(case.sanction_start)}),
                  s["body"]),
        *_signature(s, case.decision_date, case.get_authority_display()),
    ]


LETTERS: dict[str, tuple[Callable[[Case, dict[str, ParagraphStyle]], list[Any]], tuple[str, ...]]] = {
    "panggilan": (_summons, (CaseState.SUMMONED, CaseState.EXAMINED, CaseState.DECIDED, CaseState.ANNULLED)),
    "bap": (_examination, (CaseState.EXAMINED, CaseState.DECIDED, CaseState.ANNULLED)),
    "keputusan": (_decision, (CaseState.DECIDED, CaseState.ANNULLED)),
}


def letter_pdf(case: Case, kind: str) -> bytes:
    """The PDF of one of the case's letters; refused before the case has reached that step."""
    if kind not in LETTERS:
        raise InvalidRequest(_("Jenis surat tidak dikenal: panggilan, bap atau keputusan."), field="kind")
    build, states = LETTERS[kind]
    if case.state not in states:
        raise Conflict(_("Surat ini baru dapat dibuat setelah langkahnya dicatat pada kasus."), code="out_of_order")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm, topMargin=1.5 * cm,
                            bottomMargin=2 * cm, title=f"{kind} {case.employee.name}", author=settings.HADIR_INSTANSI)
    s = styles()
    doc.build([*letterhead(s), *build(case, s)])
    return out.getvalue()
