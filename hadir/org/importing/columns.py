"""The four kinds of import and their columns: canonical (Indonesian) names, accepted alternatives, which are required.

docs/import.md documents the same columns; `map_headers` matches a file's header row against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .report import ImportReport, RowError

KINDS = ("units", "positions", "locations", "employees")
KIND_ALIASES = {
    "units": "units", "unit": "units", "unit-kerja": "units",
    "positions": "positions", "jabatan": "positions",
    "locations": "locations", "lokasi": "locations", "lokasi-kerja": "locations",
    "employees": "employees", "pegawai": "employees",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical Indonesian column name (as documented)
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: dict[str, list[Column]] = {
    "units": [
        Column("code", "Kode", ("kode unit",), True),
        Column("name", "Nama", ("nama unit", "nama unit kerja", "unit kerja"), True),
        Column("kind", "Jenis", ("jenis unit",), True),
        Column("parent", "Kode Induk", ("induk", "kode unit induk")),
        Column("is_active", "Aktif"),
    ],
    "positions": [
        Column("code", "Kode", ("kode jabatan",), True),
        Column("name", "Nama Jabatan", ("jabatan", "nama"), True),
        Column("unit", "Kode Unit", ("unit",), True),
        Column("parent", "Kode Atasan", ("kode jabatan atasan", "atasan", "atasan langsung")),
        Column("eselon", "Eselon", ("eselon jenis", "jenis jabatan")),
        Column("is_head", "Kepala Unit", ("kepala",)),
    ],
    "locations": [
        Column("code", "Kode", ("kode lokasi",)),
        Column("name", "Nama", ("nama lokasi", "lokasi"), True),
        Column("unit", "Kode Unit", ("unit",), True),
        Column("latitude", "Lintang", ("latitude", "lat"), True),
        Column("longitude", "Bujur", ("longitude", "lon", "lng", "long"), True),
        Column("radius_m", "Radius", ("radius m", "radius meter", "radius (m)")),
        Column("timezone", "Zona Waktu", ("zona", "timezone")),
        Column("address", "Alamat"),
        Column("is_active", "Aktif"),
    ],
    "employees": [
        Column("name", "Nama", ("nama pegawai", "nama lengkap"), True),
        Column("nip", "NIP", ("ni pppk", "nip ni pppk")),
        Column("nik", "NIK"),
        Column("kind", "Jenis Pegawai", ("jenis", "status kepegawaian", "status pegawai"), True),
        Column("sex", "Jenis Kelamin", ("jk", "l p")),
        Column("birth_date", "Tanggal Lahir", ("tgl lahir",)),
        Column("unit", "Kode Unit", ("unit", "kode unit kerja"), True),
        Column("position", "Kode Jabatan", ("jabatan",)),
        Column("locations", "Kode Lokasi", ("lokasi", "lokasi kerja", "kode lokasi kerja")),
        Column("tpp_base", "TPP Dasar", ("tpp", "tpp dasar rp", "tpp dasar (rp)")),
        Column("active_from", "Aktif Sejak", ("tmt", "mulai aktif")),
        Column("active_until", "Aktif Sampai", ("akhir aktif",)),
        Column("device_pin", "PIN Mesin", ("pin", "pin mesin absensi", "pin absensi")),
        Column("phone", "Telepon", ("no hp", "hp", "nomor hp", "telepon hp")),
        Column("email", "Email", ("e mail", "surel")),
        Column("is_active", "Aktif"),
    ],
}


def normalise_header(text: object) -> str:
    """Lower case, punctuation and runs of spaces folded: `Kode_Unit` and `KODE-UNIT` are `kode unit`."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split())


def map_headers(kind: str, headers: list[str], report: ImportReport) -> dict[str, int]:
    """column key → index in the row; missing required columns and duplicates go to the report."""
    lookup: dict[str, str] = {}
    for col in COLUMNS[kind]:
        for name in (col.label, *col.aliases):
            lookup[normalise_header(name)] = col.key
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = lookup.get(normalise_header(header))
        if key is None:
            if header.strip():
                report.warnings.append(_("Kolom “%(column)s” tidak dikenal dan diabaikan.") % {"column": header})
            continue
        if key in mapping:
            report.errors.append(RowError(1, header, _("Kolom ini muncul lebih dari sekali.")))
            continue
        mapping[key] = index
    for col in COLUMNS[kind]:
        if col.required and col.key not in mapping:
            report.errors.append(RowError(1, col.label, _("Kolom wajib tidak ada di baris judul.")))
    return mapping
