"""The TPP arithmetic (hadir/tpp/rules.py) by tables of cases: a base of Rp 5,000,000, the common Perbup values
(TL1–TL4 and PSW1–PSW4 0.5 / 1 / 1.25 / 1.5 %, TK 3 % a day, 40 % subject to attendance, CPNS 80 %), 20 working
days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from hadir.tpp import rules
from hadir.tpp.rules import Day, Rules, compute, round_net, rupiah

BASE = 5_000_000
EVENTS = {"TL1": D("0.5"), "TL2": D(1), "TL3": D("1.25"), "TL4": D("1.5"),
          "PSW1": D("0.5"), "PSW2": D(1), "PSW3": D("1.25"), "PSW4": D("1.5"),
          "TK": D(3), "APEL_PAGI": D("0.5"), "APEL_SORE": D("0.5"), "INVALID": D("1.5"),
          "NO_IN": D("1.5"), "NO_OUT": D("1.5")}
LEAVE = {"cuti_tahunan": ("none", D(0)), "sakit_surat": ("none", D(0)), "sakit": ("percent", D(2)),
         "cuti_besar": ("no_tpp", D(0)), "cuti_melahirkan": ("none", D(0)), "alasan_penting": ("percent", D(1)),
         "dinas_luar": ("none", D(0)), "rapat": ("none", D(0)), "cltn": ("no_tpp", D(0))}
COMMON = Rules(share_pct=D(40), events=EVENTS, leave=LEAVE, kind_pct={"cpns": D(80)})


def day(n: int, status: str = "hadir", **kw: object) -> Day:
    return Day(date=dt.date(2026, 11, n), status=status, **kw)  # type: ignore[arg-type]


# (case, kind, days, rules, expected net, expected cuts, expected no_tpp)
CASES = [
    ("bulan bersih", "pns", [], COMMON, 5_000_000, 0, 0),
    ("TL1 sekali: 0,5 % × 5 jt", "pns", [day(2, "terlambat", late_category="TL1")], COMMON, 4_975_000, 25_000, 0),
    ("TL4 sekali: 1,5 %", "pns", [day(2, "terlambat", late_category="TL4")], COMMON, 4_925_000, 75_000, 0),
    ("TL2 dan PSW3 di hari yang sama: dua kejadian", "pns",
     [day(3, "terlambat", late_category="TL2", early_category="PSW3")], COMMON, 4_887_500, 112_500, 0),
    ("TK dua hari: 2 × 3 %", "pns", [day(4, "tk"), day(5, "tk")], COMMON, 4_700_000, 300_000, 0),
    ("TK tidak ditambah apel yang terlewat", "pns", [day(4, "tk", apel_pagi_missed=True)], COMMON, 4_850_000,
     150_000, 0),
    ("apel pagi dan sore terlewat", "pns", [day(6, apel_pagi_missed=True, apel_sore_missed=True)], COMMON,
     4_950_000, 50_000, 0),
    ("dua presensi tidak valid di satu hari", "pns", [day(9, invalid_checkins=2)], COMMON, 4_850_000, 150_000, 0),
    ("tanpa presensi pulang (PSW4 tidak dihitung dua kali)", "pns",
     [day(10, "psw", early_category="PSW4", missing_out=True)], COMMON, 4_925_000, 75_000, 0),
    ("tanpa presensi pulang, aturan tanpa PSW4", "pns", [day(10, missing_out=True)], COMMON, 4_925_000, 75_000, 0),
    ("batas: 14 hari TK = 42 % > 40 %", "pns", [day(n, "tk") for n in range(2, 16)], COMMON, 3_000_000,
     2_000_000, 0),
    ("CPNS 80 %: 4 jt, TL1 0,5 % dari 4 jt", "cpns", [day(2, "terlambat", late_category="TL1")], COMMON,
     3_980_000, 20_000, 0),
    ("cuti tahunan: tanpa potongan", "pns", [day(11, "cuti", leave_key="cuti_tahunan")], COMMON, 5_000_000, 0, 0),
    ("sakit tanpa surat: 2 %", "pns", [day(11, "sakit", leave_key="sakit")], COMMON, 4_900_000, 100_000, 0),
    ("sakit dengan surat: tanpa potongan", "pns", [day(11, "sakit", leave_key="sakit_surat")], COMMON, 5_000_000,
     0, 0),
    ("cuti besar: tanpa TPP 2 dari 20 hari", "pns",
     [day(16, "cuti", leave_key="cuti_besar"), day(17, "cuti", leave_key="cuti_besar")], COMMON, 4_500_000, 0,
     500_000),
    ("dinas luar: hadir", "pns", [day(12, "dl", leave_key="dinas_luar")], COMMON, 5_000_000, 0, 0),
    ("mesin mati, aturan tanpa potongan: TK di hari itu tidak dipotong", "pns",
     [day(13, "tk", terminal_down=True)], COMMON, 5_000_000, 0, 0),
    ("mesin mati, aturan tanpa TPP: 1/20 hari", "pns", [day(13, "tk", terminal_down=True)],
     Rules(share_pct=D(40), events=EVENTS, terminal_down=rules.NO_TPP_DAY), 4_750_000, 0, 250_000),
    ("persen dari bagian disiplin (40 % × 5 jt = 2 jt): TL1 = 10.000", "pns",
     [day(2, "terlambat", late_category="TL1")], Rules(share_pct=D(40), percent_of="share", events=EVENTS),
     4_990_000, 10_000, 0),
]


@pytest.mark.parametrize(("case", "kind", "days", "rule", "net", "cuts", "no_tpp"), CASES, ids=[c[0] for c in CASES])
def test_month(case: str, kind: str, days: list[Day], rule: Rules, net: int, cuts: int, no_tpp: int) -> None:
    result = compute(BASE, kind, days, 20, rule)
    assert (result.net, result.cuts, result.no_tpp) == (net, cuts, no_tpp)
    assert result.net == result.gross - result.cuts - result.no_tpp - result.sanction
    assert sum(ln.amount for ln in result.lines if ln.event not in (rules.NO_TPP, rules.TERMINAL_DOWN)) == \
        result.cuts_uncapped


def test_the_cap_is_the_share_and_the_lines_stay_itemised() -> None:
    result = compute(BASE, "pns", [day(n, "tk") for n in range(2, 16)], 20, COMMON)
    assert result.share == 2_000_000 and result.cuts_uncapped == 2_100_000 and result.capped
    assert [ln.event for ln in result.lines] == ["TK"] * 14
    assert result.lines[0] == rules.Line(dt.date(2026, 11, 2), "TK", D(3), 150_000, "")


def test_sanction_is_on_top_of_the_cap() -> None:
    tk = [day(n, "tk") for n in range(2, 16)]
    result = compute(BASE, "pns", tk, 20, COMMON, sanction_pct=D(25))
    assert result.cuts == 2_000_000 and result.sanction == 1_250_000
    assert result.net == 1_750_000
    assert result.lines[-1].event == rules.SANCTION


def test_net_never_negative() -> None:
    result = compute(BASE, "pns", [day(n, "cuti", leave_key="cltn") for n in range(2, 22)], 20, COMMON,
                     sanction_pct=D(25))
    assert result.net == 0


@pytest.mark.parametrize(("value", "unit", "down", "expected"), [
    (4_987_654, 1, True, 4_987_654),
    (4_987_654, 100, True, 4_987_600),
    (4_987_654, 1000, True, 4_987_000),
    (4_987_654, 1000, False, 4_988_000),
    (4_987_499, 1000, False, 4_987_000),
])
def test_rounding(value: int, unit: int, down: bool, expected: int) -> None:
    assert round_net(value, unit, down) == expected


def test_line_rupiah_half_up() -> None:
    assert rupiah(D("12345.5")) == 12346 and rupiah(D("12345.49")) == 12345
    # 0.5 % of Rp 3,333,333 = 16,666.665 → 16,667
    result = compute(3_333_333, "pns", [day(2, "terlambat", late_category="TL1")], 20, COMMON)
    assert result.lines[0].amount == 16_667


def test_adjustment_lines_change_the_net() -> None:
    carried = rules.Line(None, rules.ADJUSTMENT, D(0), 150_000, "penyesuaian 10/2026", dt.date(2026, 10, 1))
    result = compute(BASE, "pns", [], 20, COMMON, adjustments=[carried])
    assert result.net == 4_850_000 and result.lines == [carried]


@pytest.mark.parametrize("amount", [0, 1, 3_333_333, 4_600_000, 7_654_321, 123_456_789])
@pytest.mark.parametrize("pct", ["0.5", "1", "1.25", "1.5", "3", "12", "25", "40", "80", "0.125", "33.333"])
def test_integer_percent_equals_the_decimal_rounding(amount: int, pct: str) -> None:
    assert rules.percent_of(amount, D(pct)) == rupiah(D(amount) * D(pct) / 100)
    assert rules.percent_of(-amount, D(pct)) == -rules.percent_of(amount, D(pct))
