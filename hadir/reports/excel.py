"""The recap as an Excel workbook (openpyxl): one sheet per OPD with a frozen header, column widths, Indonesian
dates and number formats, the month's day grid beside the totals when the range is one month, and a legend sheet.
The figures are those of `recap.recap` and `recap.month_grid`, the same the API answers."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hadir.files import sheet_name, spreadsheet_text, tanggal
from hadir.org.models import Employee

from .recap import LEAVE_KIND_LABELS, RecapRow, Total, grand_total, month_grid, recap, totals
from .texts import LEGEND, RATE_DEFINITION

COLUMNS = [("working_days", gettext_lazy("Hari kerja")), ("hadir", gettext_lazy("Hadir")), ("terlambat", gettext_lazy("Terlambat")), ("tl1", gettext_lazy("TL1")),
           ("tl2", gettext_lazy("TL2")), ("tl3", gettext_lazy("TL3")), ("tl4", gettext_lazy("TL4")), ("psw1", gettext_lazy("PSW1")), ("psw2", gettext_lazy("PSW2")), ("psw3", gettext_lazy("PSW3")),
           ("psw4", gettext_lazy("PSW4")), ("tk", gettext_lazy("TK")), ("izin", gettext_lazy("Izin")), ("sakit", gettext_lazy("Sakit")), ("cuti", gettext_lazy("Cuti")),
           ("dl", gettext_lazy("Dinas luar")), ("apel_pagi", gettext_lazy("Apel pagi")), ("apel_sore", gettext_lazy("Apel sore")), ("corrected", gettext_lazy("Koreksi"))]
RED = PatternFill("solid", fgColor="FDE2E1")


HEAD = PatternFill("solid", fgColor="E8EEF7")
DATE_FORMAT = "dd/mm/yyyy"


def _extra(r: RecapRow | Total) -> list[int]:
    return [r.invalid_checkins, r.terminal_down_days, r.late_minutes, r.early_minutes, r.roll_calls_asked,
            r.roll_calls_ok]


EXTRA_HEADERS = [gettext_lazy("Presensi tidak valid"), gettext_lazy("Hari mesin mati"),
                 gettext_lazy("Menit terlambat"), gettext_lazy("Menit pulang cepat"),
                 gettext_lazy("Panggilan kehadiran"), gettext_lazy("Panggilan dijawab di tempat")]


def _title(ws: Worksheet, label: str, start: dt.date, end: dt.date) -> None:
    ws.append([_("REKAP KEHADIRAN PEGAWAI")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([settings.HADIR_INSTANSI])
    ws.append([label])
    ws.append([_("Periode"), start, end, f"{tanggal(start)} – {tanggal(end)}"])
    for cell in (ws.cell(4, 2), ws.cell(4, 3)):
        cell.number_format = DATE_FORMAT
    ws.append([])


def _header(ws: Worksheet, header: list[str]) -> int:
    ws.append(header)
    row = ws.max_row
    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = HEAD
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    return row


def workbook(employees: QuerySet[Employee], start: dt.date, end: dt.date, *, label: str = "",
             progress: Callable[[int, int], None] | None = None) -> bytes:
    """The recap workbook. `progress(done, total)` is called per OPD sheet (background exports)."""
    rows = recap(employees, start, end)
    one_month = start.day == 1 and (start.year, start.month) == (end.year, end.month)
    dates, grid = month_grid(employees, start) if one_month else ([], {})
    by_opd: dict[str, list[RecapRow]] = defaultdict(list)
    for r in rows:
        by_opd[r.opd or "—"].append(r)
    wb = Workbook()
    wb.remove(wb.active)
    number_headers = [str(label_) for _key, label_ in COLUMNS] + [str(h) for h in EXTRA_HEADERS] + [
        _("Tingkat kehadiran (%)")]
    groups = sorted(by_opd.items()) or [("—", [])]
    if len(groups) > 1:
        ws = wb.create_sheet(sheet_name(_("Rekap OPD"), wb.sheetnames))
        _title(ws, label or str(settings.HADIR_INSTANSI), start, end)
        head_row = _header(ws, [_("OPD"), _("Pegawai"), *number_headers])
        for t in [*totals(rows, "opd"), grand_total(rows, _("Jumlah"))]:
            ws.append([t.name, t.employees, *[t.counts[key] for key, _l in COLUMNS], *_extra(t),
                       None if t.rate is None else round(t.rate, 2)])
            ws.cell(ws.max_row, ws.max_column).number_format = "0.00"
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = ws.cell(head_row + 1, 2)
        ws.column_dimensions["A"].width = 40
        for i in range(2, 3 + len(number_headers)):
            ws.column_dimensions[get_column_letter(i)].width = 10
    for done, (opd, items) in enumerate(groups, start=1):
        ws = wb.create_sheet(sheet_name(opd, wb.sheetnames))
        _title(ws, _("OPD: %(opd)s") % {"opd": opd}, start, end)
        header = ["No", "NIP", _("Nama"), _("Unit"), *number_headers, _("Izin/sakit/cuti/DL menurut jenis"),
                  *[f"{d.day}" for d in dates]]
        head_row = _header(ws, header)
        rate_col = 4 + len(number_headers)
        tk_col = 5 + [k for k, _l in COLUMNS].index("tk")
        for n, r in enumerate(items, start=1):
            kinds = ", ".join(f"{LEAVE_KIND_LABELS.get(k, k)} {v}" for k, v in sorted(r.leave_kinds.items()))
            ws.append([n, spreadsheet_text(r.nip), spreadsheet_text(r.name), spreadsheet_text(r.unit),
                       *[r.counts[key] for key, _label in COLUMNS], *_extra(r),
                       None if r.rate is None else round(r.rate, 2), kinds,
                       *grid.get(r.employee_id, [""] * len(dates))])
            # (the row's index from the header, not ws.max_row: openpyxl scans every cell to answer that)
            if r.counts["tk"]:
                ws.cell(head_row + n, tk_col).fill = RED
            ws.cell(head_row + n, rate_col).number_format = "0.00"
        t = grand_total(items, _("Jumlah"))
        ws.append(["", "", _("Jumlah"), "", *[t.counts[key] for key, _l in COLUMNS], *_extra(t),
                   None if t.rate is None else round(t.rate, 2)])
        ws.cell(ws.max_row, rate_col).number_format = "0.00"
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = ws.cell(head_row + 1, 4)
        widths = [5, 21, 30, 24, *[8] * (len(number_headers) - 1), 10, 30, *[4] * len(dates)]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if progress is not None:
            progress(done, len(groups))
    legend = wb.create_sheet(_("Keterangan"))
    legend.append([_("Kode"), _("Arti")])
    for code, meaning in LEGEND:
        legend.append([code, str(meaning)])
    legend.append([])
    legend.append([str(RATE_DEFINITION)])
    legend.column_dimensions["A"].width = 10
    legend.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
