"""The recap as an Excel workbook (openpyxl): one sheet per OPD with a frozen header, column widths, Indonesian
dates and number formats, the month's day grid beside the totals when the range is one month, and a legend sheet.
The figures are those of `recap.recap` and `recap.month_grid`, the same the API answers."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hadir.files import sheet_name, spreadsheet_text, tanggal
from hadir.org.models import Employee

from .recap import RecapRow, month_grid, recap

COLUMNS = [("working_days", gettext_lazy("Hari kerja")), ("hadir", gettext_lazy("Hadir")), ("terlambat", gettext_lazy("Terlambat")), ("tl1", gettext_lazy("TL1")),
           ("tl2", gettext_lazy("TL2")), ("tl3", gettext_lazy("TL3")), ("tl4", gettext_lazy("TL4")), ("psw1", gettext_lazy("PSW1")), ("psw2", gettext_lazy("PSW2")), ("psw3", gettext_lazy("PSW3")),
           ("psw4", gettext_lazy("PSW4")), ("tk", gettext_lazy("TK")), ("izin", gettext_lazy("Izin")), ("sakit", gettext_lazy("Sakit")), ("cuti", gettext_lazy("Cuti")),
           ("dl", gettext_lazy("Dinas luar")), ("apel_pagi", gettext_lazy("Apel pagi")), ("apel_sore", gettext_lazy("Apel sore")), ("corrected", gettext_lazy("Koreksi"))]
LEGEND = [("H", gettext_lazy("Hadir")), ("T1–T4", gettext_lazy("Terlambat, kategori TL1–TL4")), ("P1–P4", gettext_lazy("Pulang sebelum waktunya, PSW1–PSW4")),
          ("TK", gettext_lazy("Tanpa keterangan")), ("I", gettext_lazy("Izin")), ("S", gettext_lazy("Sakit")), ("C", gettext_lazy("Cuti")), ("DL", gettext_lazy("Dinas luar")),
          ("L", gettext_lazy("Libur / bukan hari kerja")), ("B", gettext_lazy("Belum ditutup"))]
RED = PatternFill("solid", fgColor="FDE2E1")


def workbook(employees: QuerySet[Employee], start: dt.date, end: dt.date) -> bytes:
    rows = recap(employees, start, end)
    one_month = start.day == 1 and end == (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    dates, grid = month_grid(employees, start) if one_month else ([], {})
    by_opd: dict[str, list[RecapRow]] = defaultdict(list)
    for r in rows:
        by_opd[r.opd or "—"].append(r)
    wb = Workbook()
    wb.remove(wb.active)
    for opd, items in sorted(by_opd.items()) or [("—", [])]:
        ws = wb.create_sheet(sheet_name(opd, wb.sheetnames))
        ws.append([_("REKAP KEHADIRAN PEGAWAI")])
        ws.append([settings.HADIR_INSTANSI])
        ws.append([_("OPD: %(opd)s · Periode: %(start)s – %(end)s") % {
            "opd": opd, "start": tanggal(start), "end": tanggal(end)}])
        ws.append([])
        header = ["No", "NIP", _("Nama"), _("Unit"), *[str(label) for _key, label in COLUMNS], _("Menit terlambat"),
                  _("Menit pulang cepat"), _("Tingkat kehadiran (%)"), *[f"{d.day}" for d in dates]]
        ws.append(header)
        head_row = ws.max_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        first_day_col = 5 + len(COLUMNS) + 3
        for n, r in enumerate(items, start=1):
            ws.append([n, spreadsheet_text(r.nip), spreadsheet_text(r.name), spreadsheet_text(r.unit),
                       *[r.counts[key] for key, _label in COLUMNS], r.late_minutes, r.early_minutes,
                       None if r.rate is None else round(r.rate, 2), *grid.get(r.employee_id, [""] * len(dates))])
            if r.counts["tk"]:
                ws.cell(ws.max_row, 4 + [k for k, _l in COLUMNS].index("tk") + 1).fill = RED
        for row in ws.iter_rows(min_row=head_row + 1, min_col=first_day_col - 1, max_col=first_day_col - 1):
            for cell in row:
                cell.number_format = "0.00"
        ws.freeze_panes = ws.cell(head_row + 1, 4)
        widths = [5, 21, 30, 24, *[8] * len(COLUMNS), 10, 10, 10, *[4] * len(dates)]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
    legend = wb.create_sheet(_("Keterangan"))
    legend.append([_("Kode"), _("Arti")])
    for code, meaning in LEGEND:
        legend.append([code, str(meaning)])
    legend.append([])
    legend.append([_("Tingkat kehadiran = (hadir + dinas luar) ÷ (hadir + dinas luar + tanpa keterangan + belum "
                     "presensi) pada hari kerja; izin, sakit dan cuti tidak dihitung.")])
    legend.column_dimensions["A"].width = 10
    legend.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
