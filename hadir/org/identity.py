"""Pure rules for Indonesian identity numbers (no ORM).

NIP (Nomor Induk Pegawai, BKN), 18 digits:  YYYYMMDD YYYYMM S NNN
  - 8 digits birth date, 6 digits TMT (year + month of appointment as CPNS),
  - 1 digit sex (1 = laki-laki, 2 = perempuan), 3 digits sequence.
  PPPK numbers (NI PPPK) use the same layout with "21" in place of the TMT month.
NIK (Nomor Induk Kependudukan, Dukcapil), 16 digits: PP KK CC DDMMYY NNNN
  - province, regency, district codes; birth date with DD + 40 for women; 4 digits sequence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

PPPK_MONTH_CODE = 21


class IdentityError(ValueError):
    """A number that cannot be what it claims to be; the message is user-facing (Indonesian, or English)."""


@dataclass(frozen=True)
class NipInfo:
    birth_date: dt.date
    tmt_year: int
    tmt_month: int | None  # None for NI PPPK (month code 21)
    sex: str  # "L" or "P"
    sequence: int
    is_pppk: bool


def parse_nip(nip: str) -> NipInfo:
    nip = (nip or "").replace(" ", "")
    if len(nip) != 18 or not nip.isdigit():
        raise IdentityError(_("NIP harus 18 digit angka."))
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError as exc:
        raise IdentityError(_("NIP memuat tanggal lahir yang tidak valid (%(value)s).") % {"value": nip[0:8]}) from exc
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    is_pppk = tmt_month == PPPK_MONTH_CODE
    if not is_pppk and not 1 <= tmt_month <= 12:
        raise IdentityError(_("NIP memuat bulan TMT yang tidak valid (%(value)s).") % {"value": nip[12:14]})
    if not 1950 <= tmt_year <= 2100:
        raise IdentityError(_("NIP memuat tahun TMT yang tidak valid (%(value)s).") % {"value": nip[8:12]})
    tmt_first = dt.date(tmt_year, 1 if is_pppk else tmt_month, 1)
    # Appointment at 17 at the very earliest (minimum age for CPNS/PPPK is 18 at application).
    if tmt_first < dt.date(birth.year + 17, birth.month, 1):
        raise IdentityError(_("NIP tidak masuk akal: TMT lebih awal dari usia 17 tahun."))
    sex_digit = nip[14]
    if sex_digit not in "12":
        raise IdentityError(
            _("NIP memuat kode jenis kelamin yang tidak valid (%(value)s); harus 1 atau 2.") % {"value": sex_digit}
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise IdentityError(_("NIP memuat nomor urut 000 yang tidak valid."))
    return NipInfo(
        birth_date=birth,
        tmt_year=tmt_year,
        tmt_month=None if is_pppk else tmt_month,
        sex="L" if sex_digit == "1" else "P",
        sequence=sequence,
        is_pppk=is_pppk,
    )


@dataclass(frozen=True)
class NikInfo:
    region_code: str
    birth_date: dt.date
    sex: str


def parse_nik(nik: str) -> NikInfo:
    nik = (nik or "").replace(" ", "")
    if len(nik) != 16 or not nik.isdigit():
        raise IdentityError(_("NIK harus 16 digit angka."))
    if nik[0:2] == "00" or nik[2:4] == "00":
        raise IdentityError(_("NIK memuat kode wilayah yang tidak valid."))
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    # Two-digit year: anyone alive and employable was born within the last ~100 years.
    this_year = dt.date.today().year % 100
    year = 2000 + yy if yy <= this_year else 1900 + yy
    try:
        birth = dt.date(year, month, day)
    except ValueError as exc:
        raise IdentityError(_("NIK memuat tanggal lahir yang tidak valid (%(value)s).") % {"value": nik[6:12]}) from exc
    if nik[12:16] == "0000":
        raise IdentityError(_("NIK memuat nomor urut 0000 yang tidak valid."))
    return NikInfo(region_code=nik[0:6], birth_date=birth, sex=sex)
