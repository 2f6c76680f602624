"""The blank .xlsx template per kind: the header row (identity columns formatted as text) and a Petunjuk sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hadir.files import spreadsheet_text

from .columns import COLUMNS, KIND_ALIASES

COLUMN_NOTES: dict[str, str] = {
    "kind": "lihat docs/import.md untuk daftar nilai",
    "parent": "kode unit/jabatan induk",
    "is_active": "ya/tidak",
    "is_head": "ya/tidak",
    "eselon": "II.a, II.b, III.a, III.b, IV.a, IV.b, JF, JP, NA",
    "latitude": "derajat desimal, mis. -3.7956",
    "longitude": "derajat desimal, mis. 102.2592",
    "radius_m": "meter, 10–5000 (bawaan 100)",
    "timezone": "WIB, WITA atau WIT",
    "nip": "18 digit, kolom berformat Teks",
    "nik": "16 digit, kolom berformat Teks",
    "sex": "L/P",
    "birth_date": "HH-BB-TTTT",
    "locations": "kode lokasi, pisahkan dengan ;",
    "tpp_base": "rupiah tanpa desimal",
    "active_from": "HH-BB-TTTT",
    "active_until": "HH-BB-TTTT",
    "device_pin": "angka, unik",
}
TEXT_COLUMNS = {"code", "parent", "unit", "nip", "nik", "position", "locations", "device_pin", "phone"}


def template_workbook(kind: str) -> bytes:
    """A blank .xlsx for `kind`: the header row (identity columns formatted as text) and a notes sheet."""
    kind = KIND_ALIASES.get(kind, kind)
    columns = COLUMNS[kind]
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = {"units": "Unit", "positions": "Jabatan", "locations": "Lokasi", "employees": "Pegawai"}[kind]
    sheet.append([col.label for col in columns])
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(col.label) + 4)
        if col.key in TEXT_COLUMNS:
            for row in range(2, 2002):  # typed NIPs stay text (Excel would round an 18-digit number)
                sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = wb.create_sheet("Petunjuk")
    notes.append(["Kolom", "Wajib", "Nama lain yang diterima", "Keterangan"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for col in columns:
        notes.append([spreadsheet_text(v) for v in
                      (col.label, "ya" if col.required else "", ", ".join(col.aliases), COLUMN_NOTES.get(col.key, ""))])
    for letter, width in zip("ABCD", (18, 8, 40, 50), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
