"""Pure leave rules (no ORM): kinds, who may take which, how long, the cuti tahunan quota with
carry-over, and what an uploaded document really is.

Sources: PP 11/2017 tentang Manajemen PNS (Bab cuti, as amended by PP 17/2020) and Peraturan BKN
24/2017 tentang Tata Cara Pemberian Cuti PNS; PP 49/2018 for PPPK (cuti tahunan, sakit, melahirkan,
bersama). Izin, dinas luar, rapat di luar kantor and kegiatan pemerintahan are regency (Perbup)
matters: they need the atasan's approval and, for dinas luar, a surat tugas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- kinds -----------------------------------------------------------------------------------------

IZIN_SAKIT = "izin_sakit"
IZIN_PENTING = "izin_penting"
CUTI_TAHUNAN = "cuti_tahunan"
CUTI_SAKIT = "cuti_sakit"
CUTI_BESAR = "cuti_besar"
CUTI_MELAHIRKAN = "cuti_melahirkan"
CUTI_PENTING = "cuti_penting"
CUTI_BERSAMA = "cuti_bersama"
CLTN = "cltn"
DINAS_LUAR = "dinas_luar"
RAPAT_LUAR = "rapat_luar"
KEGIATAN = "kegiatan"

KIND_LABELS: dict[str, Any] = {
    IZIN_SAKIT: gettext_lazy("Izin sakit"),
    IZIN_PENTING: gettext_lazy("Izin alasan penting"),
    CUTI_TAHUNAN: gettext_lazy("Cuti tahunan"),
    CUTI_SAKIT: gettext_lazy("Cuti sakit"),
    CUTI_BESAR: gettext_lazy("Cuti besar"),
    CUTI_MELAHIRKAN: gettext_lazy("Cuti melahirkan"),
    CUTI_PENTING: gettext_lazy("Cuti karena alasan penting"),
    CUTI_BERSAMA: gettext_lazy("Cuti bersama"),
    CLTN: gettext_lazy("Cuti di luar tanggungan negara (CLTN)"),
    DINAS_LUAR: gettext_lazy("Dinas luar"),
    RAPAT_LUAR: gettext_lazy("Rapat di luar kantor"),
    KEGIATAN: gettext_lazy("Kegiatan pemerintahan"),
}

# The daily status an approved request gives each of its days (presence.DayStatus values).
DAY_STATUS: dict[str, str] = {
    IZIN_SAKIT: "sakit",
    IZIN_PENTING: "izin",
    CUTI_TAHUNAN: "cuti",
    CUTI_SAKIT: "sakit",
    CUTI_BESAR: "cuti",
    CUTI_MELAHIRKAN: "cuti",
    CUTI_PENTING: "cuti",
    CUTI_BERSAMA: "cuti",
    CLTN: "cuti",
    DINAS_LUAR: "dl",
    RAPAT_LUAR: "dl",
    KEGIATAN: "dl",
}

# Official duty elsewhere: counts as present and lifts the geofence for those dates.
DUTY_KINDS = frozenset({DINAS_LUAR, RAPAT_LUAR, KEGIATAN})
# Dinas luar needs a surat tugas; cuti sakit a surat keterangan dokter.
DOCUMENT_REQUIRED = frozenset({DINAS_LUAR, CUTI_SAKIT})
LETTER_REQUIRED = frozenset({DINAS_LUAR})  # number + destination of the surat tugas

PNS_KINDS = frozenset({"pns", "cpns"})
PPPK_KINDS = frozenset({"pppk", "pppk_pw"})

# Which employee kinds may ask for which leave kinds.
_ALWAYS = frozenset({IZIN_SAKIT, IZIN_PENTING, DINAS_LUAR, RAPAT_LUAR, KEGIATAN})
_PPPK_CUTI = frozenset({CUTI_TAHUNAN, CUTI_SAKIT, CUTI_MELAHIRKAN, CUTI_BERSAMA})
ALLOWED_KINDS: dict[str, frozenset[str]] = {
    "pns": frozenset(KIND_LABELS),
    "cpns": frozenset(KIND_LABELS),
    "pppk": _ALWAYS | _PPPK_CUTI,
    "pppk_pw": _ALWAYS | _PPPK_CUTI,
    "tkk": _ALWAYS | _PPPK_CUTI,
}

# --- durations and service ---------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    months: int = 0  # at most this many calendar months (end ≤ start + months − 1 day)
    days: int = 0  # at most this many calendar days
    min_service_years: int = 0  # continuous service required at the start date


LIMITS: dict[str, Limit] = {
    CUTI_TAHUNAN: Limit(min_service_years=1),  # and the quota (working days)
    CUTI_BESAR: Limit(months=3, min_service_years=5),
    CUTI_SAKIT: Limit(months=18),  # 1 year, extendable by 6 months
    CUTI_MELAHIRKAN: Limit(months=3),
    CUTI_PENTING: Limit(months=1),
    CLTN: Limit(months=36, min_service_years=5),
    IZIN_SAKIT: Limit(days=3),  # longer sickness is cuti sakit with a doctor's letter
    IZIN_PENTING: Limit(days=3),
    CUTI_BERSAMA: Limit(days=14),
    DINAS_LUAR: Limit(days=60),
    RAPAT_LUAR: Limit(days=7),
    KEGIATAN: Limit(days=30),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month `months` later (clamped to the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def service_years(service_start: dt.date | None, on: dt.date) -> int | None:
    """Completed years of service on `on` (None when the start is unknown)."""
    if service_start is None:
        return None
    years = on.year - service_start.year - ((on.month, on.day) < (service_start.month, service_start.day))
    return max(0, years)


def kinds_for(employee_kind: str, sex: str | None = None) -> frozenset[str]:
    """The kinds an employee may file: by employee kind (ALLOWED_KINDS), and cuti melahirkan only for women
    (PP 11/2017 Pasal 325; PP 49/2018 for PPPK). `sex` None: not known to the caller, not narrowed."""
    allowed = ALLOWED_KINDS.get(employee_kind, frozenset())
    if sex is not None and sex != "P":
        allowed = allowed - {CUTI_MELAHIRKAN}
    return allowed


def check_request(kind: str, employee_kind: str, start: dt.date, end: dt.date,
                  service_start: dt.date | None, *, sex: str | None = None) -> list[tuple[str, str]]:
    """Problems with a request as (field, Indonesian message); empty when it may be filed. `sex` ("L"/"P", ""
    when not recorded) is checked for cuti melahirkan when given."""
    problems: list[tuple[str, str]] = []
    if kind not in KIND_LABELS:
        return [("kind", _("Jenis izin/cuti tidak dikenal."))]
    if end < start:
        return [("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))]
    label = str(KIND_LABELS[kind])
    if kind not in ALLOWED_KINDS.get(employee_kind, frozenset()):
        problems.append(("kind", _("%(kind)s tidak tersedia untuk jenis pegawai ini.") % {"kind": label}))
    limit = LIMITS.get(kind, Limit())
    if limit.months and end >= add_months(start, limit.months):
        problems.append(("end_date", _("%(kind)s paling lama %(n)d bulan.") % {"kind": label, "n": limit.months}))
    if limit.days and (end - start).days + 1 > limit.days:
        problems.append(("end_date", _("%(kind)s paling lama %(n)d hari.") % {"kind": label, "n": limit.days}))
    if kind == CUTI_MELAHIRKAN and sex is not None:
        if sex == "":
            problems.append(("kind", _("Jenis kelamin pegawai belum tercatat; minta operator OPD melengkapinya "
                                       "sebelum mengajukan cuti melahirkan.")))
        elif sex != "P":
            problems.append(("kind", _("Cuti melahirkan hanya untuk pegawai perempuan.")))
    if limit.min_service_years >= 5 and service_start is None:
        # cuti besar and CLTN rest on five years of continuous service: not granted on an unknown start
        problems.append(("kind", _("%(kind)s memerlukan masa kerja %(n)d tahun, tetapi tanggal mulai masa kerja "
                                   "pegawai belum tercatat; minta operator OPD melengkapinya.")
                         % {"kind": label, "n": limit.min_service_years}))
    if limit.min_service_years:
        years = service_years(service_start, start)
        if years is not None and years < limit.min_service_years:
            problems.append((
                "kind",
                _("%(kind)s memerlukan masa kerja paling sedikit %(n)d tahun terus-menerus (masa kerja Anda "
                  "%(years)d tahun).") % {"kind": label, "n": limit.min_service_years, "years": years},
            ))
    return problems


# --- cuti tahunan quota --------------------------------------------------------------------------

ANNUAL_DAYS = 12  # PP 11/2017: 12 hari kerja per tahun
CARRY_ONE_YEAR = 6  # unused days carried into the next year: at most 6 → at most 18 in that year
CARRY_TWO_YEARS = 12  # untaken two years running: the next year may use up to 24 (12 + 12)
LOOKBACK_YEARS = 10


@dataclass(frozen=True)
class AnnualQuota:
    year: int
    own: int  # this year's entitlement (12, or 0 when not entitled)
    carried: int  # days carried over from earlier years
    used: int  # working days of approved cuti tahunan in this year
    pending: int = 0  # working days asked for in requests not yet decided

    @property
    def total(self) -> int:
        return self.own + self.carried

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.used)

    @property
    def available(self) -> int:
        """What a new request may still take (pending requests hold their days)."""
        return max(0, self.total - self.used - self.pending)


def annual_quota(year: int, used_by_year: Mapping[int, int], first_entitled_year: int | None, *,
                 carry_over: bool = True, no_entitlement_years: frozenset[int] = frozenset(),
                 pending: int = 0, known_from: int | None = None,
                 opening: Mapping[int, int] | None = None) -> AnnualQuota:
    """Cuti tahunan for `year`.

    - 12 working days a year from the first entitled year (after one year of service).
    - Days not used in a year carry into the next, at most 6 (so at most 18 days in that year);
      carried days are spent first (they lapse at the end of the year they were carried into).
    - When the whole entitlement went untaken two years running, the next year may use 24 days.
    - A year with cuti besar has no cuti tahunan (`no_entitlement_years`).
    - `carry_over=False` for PPPK and non-ASN, whose regulations have no accumulation.
    - Years before `known_from` (before Hadir kept the books) count as fully used: nothing is carried
      out of them unless HR entered an `opening` balance (year → days carried into that year, taken
      from the paper/SIASN records), which replaces the computed carry-over for that year.
    """
    opening = opening or {}
    if first_entitled_year is None or year < first_entitled_year or year in no_entitlement_years:
        return AnnualQuota(year, 0, 0, used_by_year.get(year, 0), pending)

    def own(y: int) -> int:
        return 0 if (y < first_entitled_year or y in no_entitlement_years) else ANNUAL_DAYS

    def used_in(y: int) -> int:
        if known_from is not None and y < known_from:
            return own(y) + CARRY_TWO_YEARS  # unknown history: assume everything was taken
        return used_by_year.get(y, 0)

    carried = 0
    for y in range(max(first_entitled_year, year - LOOKBACK_YEARS), year):
        if y in opening:
            carried = opening[y]
        used = used_in(y)
        own_left = own(y) - max(0, used - carried)
        if not carry_over:
            carried = 0
        elif own(y) and used == 0 and own(y - 1) and used_in(y - 1) == 0:
            carried = CARRY_TWO_YEARS
        else:
            carried = min(CARRY_ONE_YEAR, max(0, own_left))
    if year in opening:
        carried = opening[year]
    return AnnualQuota(year, own(year), min(carried, CARRY_TWO_YEARS), used_by_year.get(year, 0), pending)


def first_entitled_year(service_start: dt.date | None) -> int | None:
    """Entitled from the year one full year of service completes (unknown start: entitled)."""
    if service_start is None:
        return 1900
    return service_start.year + 1


# --- documents -----------------------------------------------------------------------------------

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

# Magic numbers: the content decides the type, never the name or the browser's claim.
_SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


class DocumentError(ValueError):
    """The message is Indonesian and shown to the user."""


def sniff_document(head: bytes, size: int, max_bytes: int = DOCUMENT_MAX_BYTES) -> tuple[str, str]:
    """(content type, extension) of an upload from its first bytes; DocumentError when refused."""
    if size <= 0:
        raise DocumentError(_("Berkas kosong."))
    if size > max_bytes:
        got = f"{size / 1048576:.1f}".replace(".", ",")
        limit = f"{max_bytes / 1048576:g}".replace(".", ",")
        raise DocumentError(_("Berkas terlalu besar (%(got)s MB); maksimal %(limit)s MB.") % {"got": got, "limit": limit})
    for magic, content_type, ext in _SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    raise DocumentError(_("Berkas harus PDF, JPEG atau PNG."))
