"""Leave rules as tables: the cuti tahunan quota with carry-over (PP 11/2017, Peraturan BKN 24/2017),
who may take which leave for how long, and what an upload really is."""

from __future__ import annotations

import datetime as dt

import pytest

from hadir.leave import rules
from hadir.leave.rules import annual_quota

D = dt.date

# (case, year, used per year, first entitled year, carry-over, cuti-besar years) → (own, carried, total)
QUOTA_TABLE = [
    ("first entitled year: 12 of its own", 2026, {}, 2026, True, (), (12, 0, 12)),
    ("not entitled yet (under one year of service)", 2026, {}, 2027, True, (), (0, 0, 0)),
    ("used all last year: nothing carried", 2026, {2025: 12}, 2025, True, (), (12, 0, 12)),
    # 2024 untaken → 6 carried into 2025 (18); 12 used there spend the 6 carried first → 6 own left → 6 carried
    ("used 12 of 18 last year: the 6 left are own days", 2026, {2025: 12}, 2024, True, (), (12, 6, 18)),
    ("used 10 of 12 last year: 2 carried", 2026, {2025: 10}, 2025, True, (), (12, 2, 14)),
    ("used 6 last year: 6 carried → 18", 2026, {2025: 6, 2024: 3}, 2024, True, (), (12, 6, 18)),
    ("used 2 last year: carry capped at 6 → 18", 2026, {2025: 2, 2024: 1}, 2024, True, (), (12, 6, 18)),
    ("untaken one year (the first): 18", 2026, {}, 2025, True, (), (12, 6, 18)),
    ("untaken two years running: 24", 2026, {}, 2024, True, (), (12, 12, 24)),
    ("untaken three years running: still 24", 2026, {}, 2020, True, (), (12, 12, 24)),
    ("untaken last year, used the year before: 18", 2026, {2024: 1}, 2023, True, (), (12, 6, 18)),
    ("carried days are spent first", 2026, {2025: 8, 2024: 6}, 2023, True, (), (12, 6, 18)),
    # 2025: 12 own + 6 carried = 18; used 14 → 6 carried spent, 8 own → 4 own left → 4 carried into 2026
    ("carried spent first, remainder of own carries", 2026, {2025: 14, 2024: 6}, 2023, True, (), (12, 4, 16)),
    ("PPPK: no accumulation", 2026, {}, 2023, False, (), (12, 0, 12)),
    ("cuti besar this year: no cuti tahunan", 2026, {2025: 12}, 2020, True, (2026,), (0, 0, 0)),
    ("cuti besar last year: nothing to carry from it", 2026, {2024: 12}, 2020, True, (2025,), (12, 0, 12)),
]


@pytest.mark.parametrize(("case", "year", "used", "first", "carry", "besar", "expected"), QUOTA_TABLE,
                         ids=[row[0] for row in QUOTA_TABLE])
def test_annual_quota(case: str, year: int, used: dict[int, int], first: int, carry: bool,
                      besar: tuple[int, ...], expected: tuple[int, int, int]) -> None:
    quota = annual_quota(year, used, first, carry_over=carry, no_entitlement_years=frozenset(besar))
    assert (quota.own, quota.carried, quota.total) == expected


# History before Hadir kept the books, and HR's opening balances (year → days carried into it)
HISTORY_TABLE = [
    ("no history before 2026: nothing carried", 2026, {}, 2020, 2026, {}, (12, 0, 12)),
    ("HR entered 6 carried into 2026", 2026, {}, 2020, 2026, {2026: 6}, (12, 6, 18)),
    ("HR entered 12 (two untaken years)", 2026, {}, 2020, 2026, {2026: 12}, (12, 12, 24)),
    ("tracked 2026 untaken → 6 into 2027", 2027, {}, 2020, 2026, {}, (12, 6, 18)),
    ("opening 2026 = 6, 2026 untaken → 6 into 2027", 2027, {}, 2020, 2026, {2026: 6}, (12, 6, 18)),
    ("opening 2026 = 6, used 10 in 2026 → 8 own left → 6", 2027, {2026: 10}, 2020, 2026, {2026: 6}, (12, 6, 18)),
    ("opening 2026 = 0, used 10 in 2026 → 2", 2027, {2026: 10}, 2020, 2026, {2026: 0}, (12, 2, 14)),
    ("tracked 2026 and 2027 untaken → 24 in 2028", 2028, {}, 2020, 2026, {}, (12, 12, 24)),
]


@pytest.mark.parametrize(("case", "year", "used", "first", "known_from", "opening", "expected"), HISTORY_TABLE,
                         ids=[row[0] for row in HISTORY_TABLE])
def test_annual_quota_history_and_opening(case: str, year: int, used: dict[int, int], first: int, known_from: int,
                                          opening: dict[int, int], expected: tuple[int, int, int]) -> None:
    quota = annual_quota(year, used, first, known_from=known_from, opening=opening)
    assert (quota.own, quota.carried, quota.total) == expected


def test_quota_remaining_and_pending() -> None:
    quota = annual_quota(2026, {2026: 5, 2025: 12}, 2025, pending=3)
    assert (quota.total, quota.used, quota.remaining, quota.available) == (12, 5, 7, 4)
    assert annual_quota(2026, {2026: 20}, 2026).remaining == 0


def test_first_entitled_year_after_one_year_of_service() -> None:
    assert rules.first_entitled_year(D(2025, 3, 1)) == 2026
    assert rules.first_entitled_year(None) == 1900  # unknown start: do not block


# (kind, employee kind, start, end, service start) → first problem field or None
CHECK_TABLE = [
    (rules.CUTI_TAHUNAN, "pns", D(2026, 3, 2), D(2026, 3, 6), D(2010, 1, 1), None),
    (rules.CUTI_TAHUNAN, "cpns", D(2026, 3, 2), D(2026, 3, 6), D(2025, 9, 1), "kind"),  # < 1 year service
    (rules.CUTI_BESAR, "pns", D(2026, 3, 1), D(2026, 5, 31), D(2015, 1, 1), None),  # exactly 3 months
    (rules.CUTI_BESAR, "pns", D(2026, 3, 1), D(2026, 6, 1), D(2015, 1, 1), "end_date"),  # 3 months + 1 day
    (rules.CUTI_BESAR, "pns", D(2026, 3, 1), D(2026, 3, 31), D(2023, 1, 1), "kind"),  # < 5 years
    (rules.CUTI_BESAR, "pppk", D(2026, 3, 1), D(2026, 3, 31), D(2015, 1, 1), "kind"),  # PNS only
    (rules.CLTN, "pppk", D(2026, 3, 1), D(2026, 3, 31), D(2015, 1, 1), "kind"),
    (rules.CLTN, "pns", D(2026, 3, 1), D(2029, 2, 28), D(2015, 1, 1), None),  # up to 3 years
    (rules.CLTN, "pns", D(2026, 3, 1), D(2029, 3, 1), D(2015, 1, 1), "end_date"),
    (rules.CUTI_MELAHIRKAN, "pppk", D(2026, 1, 31), D(2026, 4, 29), D(2022, 1, 1), None),
    (rules.CUTI_MELAHIRKAN, "pns", D(2026, 1, 31), D(2026, 4, 30), D(2022, 1, 1), "end_date"),
    (rules.CUTI_PENTING, "pns", D(2026, 1, 31), D(2026, 2, 27), D(2022, 1, 1), None),
    (rules.CUTI_PENTING, "pns", D(2026, 1, 31), D(2026, 2, 28), D(2022, 1, 1), "end_date"),
    (rules.CUTI_PENTING, "pppk", D(2026, 1, 5), D(2026, 1, 6), D(2022, 1, 1), "kind"),
    (rules.IZIN_SAKIT, "tkk", D(2026, 1, 5), D(2026, 1, 7), None, None),
    (rules.IZIN_SAKIT, "tkk", D(2026, 1, 5), D(2026, 1, 8), None, "end_date"),  # longer: cuti sakit
    (rules.DINAS_LUAR, "pppk_pw", D(2026, 1, 5), D(2026, 1, 9), None, None),
    (rules.DINAS_LUAR, "pns", D(2026, 1, 9), D(2026, 1, 5), None, "end_date"),  # reversed dates
    ("piknik", "pns", D(2026, 1, 5), D(2026, 1, 5), None, "kind"),
]


@pytest.mark.parametrize(("kind", "emp_kind", "start", "end", "service", "field"), CHECK_TABLE)
def test_check_request(kind: str, emp_kind: str, start: dt.date, end: dt.date, service: dt.date | None,
                       field: str | None) -> None:
    problems = rules.check_request(kind, emp_kind, start, end, service)
    assert (problems[0][0] if problems else None) == field


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [(D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2026, 11, 15), 3, D(2027, 2, 15)),
     (D(2026, 3, 1), 36, D(2029, 3, 1))],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert rules.add_months(start, months) == expected


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8
DOC_TABLE = [
    ("pdf", b"%PDF-1.7\n%\xe2\xe3", 1000, ("application/pdf", "pdf")),
    ("jpeg", b"\xff\xd8\xff\xe0\0\x10JFIF", 50_000, ("image/jpeg", "jpg")),
    ("png", PNG, 50_000, ("image/png", "png")),
    ("exactly the limit", b"%PDF-1.4", 5 * 1024 * 1024, ("application/pdf", "pdf")),
    ("one byte over", b"%PDF-1.4", 5 * 1024 * 1024 + 1, "terlalu besar"),
    ("empty", b"", 0, "kosong"),
    ("gif", b"GIF89a", 100, "PDF, JPEG atau PNG"),
    ("windows exe renamed .pdf", b"MZ\x90\x00", 100, "PDF, JPEG atau PNG"),
    ("html claiming pdf", b"<html><body>", 100, "PDF, JPEG atau PNG"),
    ("zip/docx", b"PK\x03\x04", 100, "PDF, JPEG atau PNG"),
]


@pytest.mark.parametrize(("case", "head", "size", "expected"), DOC_TABLE, ids=[r[0] for r in DOC_TABLE])
def test_sniff_document(case: str, head: bytes, size: int, expected: tuple[str, str] | str) -> None:
    if isinstance(expected, tuple):
        assert rules.sniff_document(head, size) == expected
    else:
        with pytest.raises(rules.DocumentError, match=expected):
            rules.sniff_document(head, size)


def test_day_status_and_geofence_sets_cover_every_kind() -> None:
    assert set(rules.DAY_STATUS) == set(rules.KIND_LABELS)
    assert {rules.DAY_STATUS[k] for k in rules.DUTY_KINDS} == {"dl"}
    assert rules.DAY_STATUS[rules.CUTI_SAKIT] == "sakit" and rules.DAY_STATUS[rules.IZIN_PENTING] == "izin"


# PP 11/2017 Pasal 325 (PNS) and PP 49/2018 (PPPK): cuti melahirkan is for a woman giving birth; cuti besar and
# CLTN rest on at least 5 years of continuous service (Pasal 315, 335). (kind, sex, service start, problem?)
CONDITION_TABLE = [
    (rules.CUTI_MELAHIRKAN, "P", D(2015, 1, 5), None),
    (rules.CUTI_MELAHIRKAN, "L", D(2015, 1, 5), "Cuti melahirkan hanya untuk pegawai perempuan."),
    (rules.CUTI_MELAHIRKAN, "", D(2015, 1, 5), "Jenis kelamin pegawai belum tercatat"),
    (rules.CUTI_BESAR, "L", D(2015, 1, 5), None),
    (rules.CUTI_BESAR, "L", D(2023, 1, 5), "memerlukan masa kerja paling sedikit 5 tahun"),
    (rules.CUTI_BESAR, "P", None, "tanggal mulai masa kerja pegawai belum tercatat"),
    (rules.CLTN, "P", None, "tanggal mulai masa kerja pegawai belum tercatat"),
    (rules.CUTI_TAHUNAN, "L", None, None),  # unknown start: entitled (the quota decides)
]


@pytest.mark.parametrize(("kind", "sex", "service", "problem"), CONDITION_TABLE)
def test_leave_conditions(kind: str, sex: str, service: dt.date | None, problem: str | None) -> None:
    problems = rules.check_request(kind, "pns", D(2026, 3, 2), D(2026, 3, 6), service, sex=sex)
    if problem is None:
        assert problems == []
    else:
        assert problems and problem in problems[0][1]
    if kind == rules.CUTI_MELAHIRKAN:
        assert (rules.CUTI_MELAHIRKAN in rules.kinds_for("pns", sex)) is (sex == "P")
