"""NIP / NIK rules, as tables of cases from the numbering rules (BKN NIP layout, Dukcapil NIK layout)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hadir.org.identity import IdentityError, parse_nik, parse_nip
from hadir.org.models import Employee, EmployeeKind, Unit, UnitKind

# NIP = YYYYMMDD (birth) YYYYMM (TMT CPNS; month "21" for NI PPPK) S (1 male, 2 female) NNN (sequence)
VALID_NIPS = [
    # nip, birth, tmt_year, tmt_month, sex, sequence, is_pppk
    ("198503142010011002", dt.date(1985, 3, 14), 2010, 1, "L", 2, False),
    ("199001012015032001", dt.date(1990, 1, 1), 2015, 3, "P", 1, False),
    ("197212311998121999", dt.date(1972, 12, 31), 1998, 12, "L", 999, False),
    ("198707152022211003", dt.date(1987, 7, 15), 2022, None, "L", 3, True),  # NI PPPK: month code 21
    ("199602292025212045", dt.date(1996, 2, 29), 2025, None, "P", 45, True),  # leap-day birth
    ("200005012017051001", dt.date(2000, 5, 1), 2017, 5, "L", 1, False),  # TMT exactly at 17
    ("19850314 201001 1 002", dt.date(1985, 3, 14), 2010, 1, "L", 2, False),  # spaces as printed on SK
]


@pytest.mark.parametrize(("nip", "birth", "tmt_year", "tmt_month", "sex", "seq", "pppk"), VALID_NIPS)
def test_valid_nip(nip: str, birth: dt.date, tmt_year: int, tmt_month: int | None, sex: str, seq: int,
                   pppk: bool) -> None:
    info = parse_nip(nip)
    assert (info.birth_date, info.tmt_year, info.tmt_month, info.sex, info.sequence, info.is_pppk) == (
        birth, tmt_year, tmt_month, sex, seq, pppk
    )


INVALID_NIPS = [
    # nip, words the message must contain
    ("", "18 digit"),
    ("19850314201001100", "18 digit"),  # 17 digits
    ("1985031420100110021", "18 digit"),  # 19 digits
    ("19850314201001100A", "18 digit"),  # non-digit
    ("198502302010011002", "tanggal lahir"),  # 30 February
    ("198513012010011002", "tanggal lahir"),  # month 13
    ("198503002010011002", "tanggal lahir"),  # day 00
    ("199702292020011001", "tanggal lahir"),  # 29 Feb in a non-leap year
    ("198503142010001002", "bulan TMT"),  # TMT month 00
    ("198503142010131002", "bulan TMT"),  # TMT month 13
    ("198503142010221002", "bulan TMT"),  # 22 is neither a month nor the PPPK code
    ("198503141949011002", "tahun TMT"),
    ("200005012016051001", "usia 17"),  # TMT at 16
    ("200005012017041001", "usia 17"),  # one month short of 17
    ("198503142010013002", "jenis kelamin"),  # sex digit 3
    ("198503142010010002", "jenis kelamin"),  # sex digit 0
    ("198503142010011000", "nomor urut 000"),
]


@pytest.mark.parametrize(("nip", "words"), INVALID_NIPS)
def test_invalid_nip(nip: str, words: str) -> None:
    with pytest.raises(IdentityError, match=words):
        parse_nip(nip)


# NIK = PP KK CC (province, regency, district) DD MM YY (birth; DD + 40 for women) NNNN (sequence)
VALID_NIKS = [
    ("1709011403850001", "170901", dt.date(1985, 3, 14), "L"),
    ("1709015403850002", "170901", dt.date(1985, 3, 14), "P"),  # day 14 + 40
    ("1771027101900003", "177102", dt.date(1990, 1, 31), "P"),  # day 31 + 40 = 71
    ("1709010102000004", "170901", dt.date(2000, 2, 1), "L"),  # yy 00 → 2000
    ("1709012912050005", "170901", dt.date(2005, 12, 29), "L"),  # yy not after this year → 20yy
    ("1709012912600006", "170901", dt.date(1960, 12, 29), "L"),  # yy after this year → 19yy
    ("3273 0141 0799 0007", "327301", dt.date(1999, 7, 1), "P"),  # spaces tolerated
]


@pytest.mark.parametrize(("nik", "region", "birth", "sex"), VALID_NIKS)
def test_valid_nik(nik: str, region: str, birth: dt.date, sex: str) -> None:
    info = parse_nik(nik)
    assert (info.region_code, info.birth_date, info.sex) == (region, birth, sex)


INVALID_NIKS = [
    ("", "16 digit"),
    ("170901140385001", "16 digit"),  # 15 digits
    ("17090114038500011", "16 digit"),  # 17 digits
    ("17090114038500A1", "16 digit"),
    ("0009011403850001", "kode wilayah"),  # province 00
    ("1700011403850001", "kode wilayah"),  # regency 00
    ("1709013203850001", "tanggal lahir"),  # day 32
    ("1709010003850001", "tanggal lahir"),  # day 00
    ("1709017203850001", "tanggal lahir"),  # female day 32 (72)
    ("1709014003850001", "tanggal lahir"),  # 40 = female day 0
    ("1709011413850001", "tanggal lahir"),  # month 13
    ("1709013002850001", "tanggal lahir"),  # 30 February
    ("1709011403850000", "nomor urut 0000"),
]


@pytest.mark.parametrize(("nik", "words"), INVALID_NIKS)
def test_invalid_nik(nik: str, words: str) -> None:
    with pytest.raises(IdentityError, match=words):
        parse_nik(nik)


# Employee.clean: the kind must fit the number.
EMPLOYEE_CASES = [
    # kind, nip, nik, sex, error field or None
    (EmployeeKind.PNS, "198503142010011002", "1709011403850001", "L", None),
    (EmployeeKind.CPNS, "199806102025031004", "", "", None),  # sex and birth date filled from the NIP
    (EmployeeKind.PPPK, "198707152022211003", "", "L", None),
    (EmployeeKind.PPPK_PARUH_WAKTU, "", "1709011403850001", "L", None),  # NI PPPK may still be pending
    (EmployeeKind.TKK, "", "1709015403850002", "P", None),
    (EmployeeKind.PNS, "198707152022211003", "", "L", "nip"),  # NI PPPK on a PNS
    (EmployeeKind.PPPK, "198503142010011002", "", "L", "nip"),  # PNS NIP on a PPPK
    (EmployeeKind.PNS, "", "1709011403850001", "L", "nip"),  # ASN without NIP
    (EmployeeKind.PNS, "198503142010011002", "", "P", "sex"),  # sex digit says L
    (EmployeeKind.TKK, "", "", "L", "nik"),  # nobody without any number
    (EmployeeKind.TKK, "", "1709013203850001", "L", "nik"),
    (EmployeeKind.PNS, "198502302010011002", "", "L", "nip"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "nip", "nik", "sex", "error_field"), EMPLOYEE_CASES)
def test_employee_clean(kind: str, nip: str, nik: str, sex: str, error_field: str | None) -> None:
    unit = Unit.objects.create(name="Dinas Contoh", code="DC", kind=UnitKind.DINAS)
    emp = Employee(name="Uji", kind=kind, nip=nip or None, nik=nik or None, sex=sex, unit=unit)
    if error_field is None:
        emp.full_clean()
        if nip:
            assert emp.birth_date == parse_nip(nip).birth_date and emp.sex == parse_nip(nip).sex
    else:
        with pytest.raises(ValidationError) as exc:
            emp.full_clean()
        assert error_field in exc.value.message_dict
