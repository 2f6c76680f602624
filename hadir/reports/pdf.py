"""The recap as PDF (ReportLab, pure Python — no system libraries, unlike WeasyPrint's Pango/Cairo): A4 landscape on
the regency's letterhead (hadir.discipline.letters.letterhead, settings HADIR_INSTANSI / HADIR_LETTERHEAD_*), the
period, a table per OPD with its total, the month's day grid when the period is one month, the leave kinds, page
numbers on every page, and the signature block of the OPD head (name, jabatan, NIP from the organisation data; a
Plt/Plh when one is appointed for the day). The figures are `recap.recap`'s, the same as the page and the Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hadir.approvals.models import Delegation
from hadir.discipline.letters import letterhead, styles
from hadir.files import tanggal
from hadir.org.models import Employee, Position, Unit

from .recap import LEAVE_KIND_LABELS, RecapRow, grand_total, month_grid, recap, totals
from .scope import Selection
from .texts import LEGEND, RATE_DEFINITION, rate_text

# (key in RecapRow.counts or an attribute, header) — the summary table's number columns
NUMBER_COLUMNS: list[tuple[str, str]] = [
    ("working_days", "HK"), ("hadir", "H"), ("tl1", "TL1"), ("tl2", "TL2"), ("tl3", "TL3"), ("tl4", "TL4"),
    ("late_minutes", "Mnt T"), ("psw1", "PSW1"), ("psw2", "PSW2"), ("psw3", "PSW3"), ("psw4", "PSW4"),
    ("early_minutes", "Mnt P"), ("tk", "TK"), ("izin", "I"), ("sakit", "S"), ("cuti", "C"), ("dl", "DL"),
    ("apel_pagi", "Apel P"), ("apel_sore", "Apel S"), ("invalid_checkins", "Tdk valid"),
    ("terminal_down_days", "Mesin mati"), ("roll_calls_asked", "Pgl"), ("roll_calls_ok", "Pgl di tempat"),
]


def value(r: Any, key: str) -> int:
    """A number column of a RecapRow or a Total."""
    return int(r.counts[key]) if key in r.counts else int(getattr(r, key))


@dataclass(frozen=True)
class Signer:
    title: str  # "Kepala Dinas Kesehatan", or "Plt. Kepala Dinas Kesehatan"
    name: str
    nip: str


def signer_of(opd: Unit | None, day: dt.date) -> Signer | None:
    """The head of `opd` on `day`: a Plt/Plh appointed for that day, else the holder of the head position."""
    if opd is None:
        return None
    head = Position.objects.filter(unit=opd, is_head=True).order_by("pk").first()
    if head is None:
        return None
    acting = (Delegation.objects.filter(position=head, start_date__lte=day, end_date__gte=day)
              .select_related("delegate").order_by("-start_date").first())
    if acting is not None:
        return Signer(f"{acting.get_kind_display().split(' ')[0]}. {head.name}", acting.delegate.name,
                      acting.delegate.nip or "")
    holder = (Employee.objects.filter(position=head, is_active=True)
              .filter(Q(active_until__isnull=True) | Q(active_until__gte=day)).order_by("pk").first())
    if holder is None:
        return Signer(head.name, "", "")
    return Signer(head.name, holder.name, holder.nip or "")


def _numbered(period: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Draws "Halaman n dari N" and the period on every page once the page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 7)
                width, _height = self._pagesize
                self.drawString(1.2 * cm, 0.8 * cm, period)
                self.drawRightString(width - 1.2 * cm, 0.8 * cm,
                                     _("Halaman %(n)d dari %(total)d") % {"n": self._pageNumber, "total": total})
                super().showPage()
            super().save()

    return NumberedCanvas


def _table(data: list[list[Any]], widths: list[float], *, header_rows: int = 1, total_row: bool = False,
           font: float = 7) -> Table:
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", font),
        ("FONT", (0, 0), (-1, header_rows - 1), "Helvetica-Bold", font),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#E8EEF7")),
        ("ALIGN", (2, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        style += [("FONT", (0, -1), (-1, -1), "Helvetica-Bold", font),
                  ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F3F3F3"))]
    table.setStyle(TableStyle(style))
    return table


def _heads(cell: ParagraphStyle) -> list[Paragraph]:
    """The number columns' headers, wrapped inside their narrow columns."""
    style = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold", fontSize=6.5, leading=7.5, alignment=1)
    return [Paragraph(escape(label), style) for _key, label in NUMBER_COLUMNS]


def _summary(rows: list[RecapRow], total_name: str, cell: ParagraphStyle) -> Table:
    header = ["No", _("Nama / NIP"), *_heads(cell), "%"]
    data: list[list[Any]] = [header]
    for n, r in enumerate(rows, start=1):
        data.append([str(n), Paragraph(f"{escape(r.name)}<br/>{escape(r.nip or '—')}", cell),
                     *[str(value(r, k)) for k, _l in NUMBER_COLUMNS], rate_text(r.rate)])
    t = grand_total(rows, total_name)
    data.append(["", Paragraph(f"<b>{escape(total_name)}</b>", cell),
                 *[str(value(t, k)) for k, _l in NUMBER_COLUMNS], rate_text(t.rate)])
    return _table(data, [0.7 * cm, 4.7 * cm, *[0.86 * cm] * len(NUMBER_COLUMNS), 1.2 * cm], total_row=True)


def _grid(rows: list[RecapRow], dates: list[dt.date], grid: dict[int, list[str]], cell: ParagraphStyle) -> Table:
    data: list[list[Any]] = [["No", _("Nama"), *[str(d.day) for d in dates]]]
    for n, r in enumerate(rows, start=1):
        data.append([str(n), Paragraph(escape(r.name), cell), *grid.get(r.employee_id, [""] * len(dates))])
    table = _table(data, [0.7 * cm, 4.6 * cm, *[0.68 * cm] * len(dates)], font=6)
    weekend = [("BACKGROUND", (2 + i, 1), (2 + i, -1), colors.HexColor("#F0F0F0"))
               for i, d in enumerate(dates) if d.weekday() >= 5]
    red = [("TEXTCOLOR", (2 + i, 1 + n), (2 + i, 1 + n), colors.HexColor("#B00020"))
           for n, r in enumerate(rows) for i, code in enumerate(grid.get(r.employee_id, [])) if code == "TK"]
    table.setStyle(TableStyle(weekend + red))
    return table


def _leave_kinds(rows: list[RecapRow], cell: ParagraphStyle) -> Table | None:
    data: list[list[Any]] = [[_("Nama"), _("Izin, sakit, cuti dan dinas luar menurut jenis (hari kerja)")]]
    for r in rows:
        if r.leave_kinds:
            text = ", ".join(f"{LEAVE_KIND_LABELS.get(k, k)} {n}" for k, n in sorted(r.leave_kinds.items()))
            data.append([Paragraph(escape(r.name), cell), Paragraph(escape(text), cell)])
    return _table(data, [6 * cm, 20 * cm]) if len(data) > 1 else None


def _signature(signer: Signer | None, day: dt.date, s: dict[str, ParagraphStyle]) -> KeepTogether:
    body = ParagraphStyle("sign", parent=s["body"], fontSize=10, leading=13)
    lines: list[Any] = [Paragraph(escape(f"{settings.HADIR_LETTER_PLACE}, {tanggal(day)}"), body)]
    if signer is None:
        lines += [Paragraph(escape(_("Kepala Perangkat Daerah")), body), Spacer(1, 42),
                  Paragraph("(.................................)", body), Paragraph("NIP.", body)]
    else:
        lines += [Paragraph(escape(signer.title), body), Spacer(1, 42),
                  Paragraph(f"<u><b>{escape(signer.name or '.................................')}</b></u>", body),
                  Paragraph(escape(f"NIP. {signer.nip}" if signer.nip else "NIP."), body)]
    block = Table([["", lines]], colWidths=[17 * cm, 9.5 * cm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 10), block])


def build(sel: Selection, *, signer_opd: Unit | None = None, today: dt.date | None = None,
          progress: Any = None) -> bytes:
    """The recap of `sel` as PDF bytes. `signer_opd` overrides whose head signs (default: the selection's OPD);
    `progress(done, total)` is called per OPD for background exports."""
    today = today or timezone.localdate()
    rows = recap(sel.employees, sel.start, sel.end)
    dates, grid = month_grid(sel.employees, sel.start) if sel.one_month else ([], {})
    by_opd: dict[str, list[RecapRow]] = defaultdict(list)
    for r in rows:
        by_opd[r.opd or "—"].append(r)
    s = styles()
    cell = ParagraphStyle("cell", parent=s["body"], fontSize=7, leading=8.5, spaceAfter=0)
    small = ParagraphStyle("small", parent=s["body"], fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=1.2 * cm, rightMargin=1.2 * cm,
                            topMargin=1.0 * cm, bottomMargin=1.4 * cm, title=_("Rekap kehadiran pegawai"),
                            author=str(settings.HADIR_INSTANSI))
    story: list[Any] = [*letterhead(s), Paragraph(escape(_("REKAP KEHADIRAN PEGAWAI")), s["title"]),
                        Paragraph(escape(sel.label), s["sub"]),
                        Paragraph(escape(_("Periode: %(period)s") % {"period": sel.period_label}), s["sub"]),
                        Spacer(1, 8)]
    groups = sorted(by_opd.items())
    if len(groups) > 1:
        data: list[list[Any]] = [[_("OPD"), _("Pegawai"), *_heads(cell), "%"]]
        for t in totals(rows, "opd"):
            data.append([Paragraph(escape(t.name), cell), str(t.employees),
                         *[str(value(t, k)) for k, _l in NUMBER_COLUMNS], rate_text(t.rate)])
        g = grand_total(rows, _("Jumlah"))
        data.append([_("Jumlah"), str(g.employees), *[str(value(g, k)) for k, _l in NUMBER_COLUMNS],
                     rate_text(g.rate)])
        story += [Paragraph(escape(_("Rekap per OPD")), s["title"]),
                  _table(data, [4.2 * cm, 1.2 * cm, *[0.86 * cm] * len(NUMBER_COLUMNS), 1.2 * cm], total_row=True),
                  PageBreak()]
    for i, (opd, items) in enumerate(groups):
        if len(groups) > 1:
            story.append(Paragraph(escape(opd), s["title"]))
        story.append(_summary(items, _("Jumlah %(opd)s") % {"opd": opd}, cell))
        if dates:
            story += [Spacer(1, 8), Paragraph(escape(_("Rekap harian (kode per hari)")), small),
                      _grid(items, dates, grid, cell)]
        kinds = _leave_kinds(items, cell)
        if kinds is not None:
            story += [Spacer(1, 8), kinds]
        if progress is not None:
            progress(i + 1, len(groups))
        if i + 1 < len(groups):
            story.append(PageBreak())
    if not rows:
        story.append(Paragraph(escape(_("Tidak ada pegawai dalam pilihan ini.")), s["body"]))
    legend = " · ".join(f"{code} {meaning}" for code, meaning in LEGEND)
    story += [Spacer(1, 8), Paragraph(escape(_("Keterangan: ") + legend), small),
              Paragraph(escape(str(RATE_DEFINITION)), small)]
    story.append(_signature(signer_of(signer_opd or sel.opd, today), today, s))
    doc.build(story, canvasmaker=_numbered(f"{settings.HADIR_INSTANSI} · {_('Rekap kehadiran')} "
                                           f"{sel.period_label}"))
    return out.getvalue()
