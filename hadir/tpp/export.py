"""The daftar nominatif TPP as Excel (openpyxl): one sheet per OPD, what finance (BPKAD) pays from — NIP, name,
golongan, jabatan, base, each kind of deduction, net — with the rule set's legal basis in the header and the
OPDs' terminal-down days (the OPD answers for them) under the table."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from hadir.files import bulan, month_bounds, sheet_name, spreadsheet_text
from hadir.terminals.models import TerminalDownDay

from .models import Base, Result

RUPIAH = '#,##0;[Red]-#,##0'

def daftar_nominatif(results: QuerySet[Result], month: dt.date) -> bytes:
    first, last = month_bounds(month)
    rows = list(results.select_related("employee__unit", "employee__position", "opd", "rule_set")
                .order_by("opd__name", "employee__unit__path", "employee__name"))
    golongan: dict[int, str] = {}
    for emp_id, gol in (Base.objects.filter(employee_id__in=[r.employee_id for r in rows], valid_from__lte=last)
                        .order_by("employee_id", "valid_from").values_list("employee_id", "golongan")):
        golongan[emp_id] = gol
    by_opd: dict[str, list[Result]] = defaultdict(list)
    for r in rows:
        by_opd[r.opd.name if r.opd else "—"].append(r)
    down = defaultdict(list)
    for opd_name, day in TerminalDownDay.objects.filter(date__gte=first, date__lte=last).values_list(
            "opd__name", "date").order_by("date"):
        down[opd_name].append(day)
    wb = Workbook()
    wb.remove(wb.active)
    headers = [_("No"), "NIP", _("Nama"), _("Golongan"), _("Jabatan"), _("Unit"), _("Hari kerja"), _("TPP dasar"),
               _("TPP sesuai jenis"), _("Potongan kehadiran"), _("Hari tanpa TPP"), _("Sanksi PP 94/2021"),
               _("Penyesuaian"), _("TPP diterima")]
    for opd_name, items in sorted(by_opd.items()) or [("—", [])]:
        ws = wb.create_sheet(sheet_name(opd_name, wb.sheetnames))
        bases = sorted({r.rule_set.legal_basis for r in items})
        ws.append([_("DAFTAR NOMINATIF TAMBAHAN PENGHASILAN PEGAWAI (TPP)")])
        ws.append([settings.HADIR_INSTANSI])
        ws.append([_("OPD: %(opd)s · Bulan: %(month)s") % {"opd": opd_name, "month": bulan(first)}])
        ws.append([_("Dasar: %(basis)s") % {"basis": "; ".join(bases) or "—"}])
        ws.append([])
        ws.append(headers)
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for n, r in enumerate(items, start=1):
            e = r.employee
            ws.append([n, spreadsheet_text(e.nip or ""), spreadsheet_text(e.name), golongan.get(e.pk, ""),
                       spreadsheet_text(e.position.name if e.position else ""), spreadsheet_text(e.unit.name),
                       r.working_days, r.base, r.gross, r.cuts, r.no_tpp, r.sanction, r.adjustment, r.net])
        ws.append([])
        total = ws.max_row
        ws.cell(total, 3, _("Jumlah"))
        for col in range(8, 15):
            letter = get_column_letter(col)
            ws.cell(total, col, f"=SUM({letter}{header_row + 1}:{letter}{total - 1})" if items else 0)
        for row in ws.iter_rows(min_row=header_row + 1, min_col=8, max_col=14):
            for cell in row:
                cell.number_format = RUPIAH
        for cell in ws[total]:
            cell.font = Font(bold=True)
        if down.get(opd_name):
            ws.append([])
            ws.append([_("Hari mesin absensi mati (tanggung jawab OPD): %(days)s") % {
                "days": ", ".join(d.strftime("%d-%m-%Y") for d in down[opd_name])}])
        ws.freeze_panes = ws.cell(header_row + 1, 4)
        for letter, width in zip("ABCDEFGHIJKLMN", (5, 21, 30, 9, 30, 26, 9, 14, 14, 14, 14, 14, 13, 15), strict=True):
            ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(month: dt.date, opd: Any = None) -> str:
    suffix = f"-{opd.pk}" if opd is not None else ""
    return f"tpp-{month:%Y-%m}{suffix}.xlsx"
