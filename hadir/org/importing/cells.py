"""Reading one cell's value: yes/no, dates, rupiah, coordinates, NIP/NIK, and choices by value or label.

Pure functions; each raises CellError with the message the report shows for that cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from hadir.org.models import EmployeeKind, Eselon, Sex, TimeZoneChoice

from .columns import normalise_header
from .reading import cell_text, is_number_cell


class CellError(ValueError):
    pass


TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "x", "v", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "tidak aktif", "salah"}


def parse_bool(text: str, default: bool) -> bool:
    word = text.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("harus “ya” atau “tidak”"))


MONTHS_ID = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11, "desember": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9,
    "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12, "may": 5,
}


def parse_date(value: object) -> dt.date | None:
    """Excel dates, 2026-01-31, 31-01-2026, 31/01/2026, 31.01.2026 or '31 Januari 2026'."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
        if m and m[2].lower() in MONTHS_ID:
            return dt.date(int(m[3]), MONTHS_ID[m[2].lower()], int(m[1]))
    except ValueError as exc:
        raise CellError(_("tanggal tidak ada di kalender")) from exc
    raise CellError(_("bukan tanggal yang dikenali (gunakan HH-BB-TTTT, mis. 31-01-2026)"))


def parse_rupiah(text: str) -> int:
    """'Rp 3.500.000', '3500000', '3,500,000' or '3.500.000,00' → 3500000 (integer rupiah)."""
    cleaned = re.sub(r"(?i)^rp\.?", "", text.strip()).replace(" ", "")
    cleaned = re.sub(r"[.,]00$", "", cleaned) if re.search(r"\d[.,]\d{3}[.,]00$|^\d+[.,]00$", cleaned) else cleaned
    if not cleaned:
        return 0
    if not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", cleaned):
        raise CellError(_("bukan jumlah rupiah yang valid (tulis tanpa desimal, mis. 3.500.000)"))
    return int(re.sub(r"[.,]", "", cleaned))


def parse_coordinate(value: object, low: float, high: float) -> float:
    if is_number_cell(value):
        number = float(value)  # type: ignore[arg-type]
    else:
        text = str(value or "").strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # Indonesian decimal comma
        try:
            number = float(text)
        except ValueError as exc:
            raise CellError(_("harus berupa angka desimal, mis. -3.7956")) from exc
    if not low <= number <= high:
        raise CellError(_("harus di antara %(low)s dan %(high)s") % {"low": low, "high": high})
    return number


def parse_choice(text: str, choices: Iterable[tuple[str, Any]], aliases: Mapping[str, str] | None = None) -> str:
    """Match a cell against choice values and labels (Indonesian and the current language)."""
    word = normalise_header(text)
    options = list(choices)
    with translation.override("id"):
        indonesian = [(value, str(label)) for value, label in options]
    for (value, label), (_v, label_id) in zip(options, indonesian, strict=True):
        if word in (normalise_header(value), normalise_header(str(label)), normalise_header(label_id)):
            return value
    if aliases and word in aliases:
        return aliases[word]
    raise CellError(_("harus salah satu dari: %(options)s") % {"options": ", ".join(str(label) for _v, label in options)})


EMPLOYEE_KIND_ALIASES = {
    "honorer": EmployeeKind.TKK, "non asn": EmployeeKind.TKK, "tenaga kerja kontrak": EmployeeKind.TKK,
    "pppk pw": EmployeeKind.PPPK_PARUH_WAKTU, "pppk paruh waktu": EmployeeKind.PPPK_PARUH_WAKTU,
    "paruh waktu": EmployeeKind.PPPK_PARUH_WAKTU,
}
SEX_ALIASES = {"laki laki": Sex.L, "pria": Sex.L, "l": Sex.L, "perempuan": Sex.P, "wanita": Sex.P, "p": Sex.P}
TIMEZONE_ALIASES = {"wib": TimeZoneChoice.WIB, "wita": TimeZoneChoice.WITA, "wit": TimeZoneChoice.WIT}
ESELON_ALIASES = {
    "iia": Eselon.II_A, "iib": Eselon.II_B, "iiia": Eselon.III_A, "iiib": Eselon.III_B, "iva": Eselon.IV_A,
    "ivb": Eselon.IV_B, "fungsional": Eselon.FUNGSIONAL, "jf": Eselon.FUNGSIONAL, "pelaksana": Eselon.PELAKSANA,
    "jp": Eselon.PELAKSANA, "non asn": Eselon.NON_ASN, "na": Eselon.NON_ASN,
}


def parse_eselon(text: str) -> str:
    squashed = re.sub(r"[^a-z]", "", text.lower())
    if squashed in ESELON_ALIASES:
        return ESELON_ALIASES[squashed]
    return parse_choice(text, Eselon.choices, ESELON_ALIASES)


def identity_text(value: object, label: str) -> str:
    """NIP/NIK cell as text; a long number typed into an Excel number cell has lost its last digits."""
    if is_number_cell(value) and len(cell_text(value)) > 15:
        raise CellError(_(
            "%(label)s tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; "
            "format kolom sebagai Teks lalu ketik ulang"
        ) % {"label": label})
    text = re.sub(r"[\s.\-']", "", cell_text(value))
    return text
