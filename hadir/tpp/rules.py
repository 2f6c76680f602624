"""TPP arithmetic as pure functions over plain values (no database): one employee's month → itemised lines and
the net, by one rule set. The engine (hadir.tpp.engine) reads the month set-based and calls `compute` per
employee; tests drive `compute` with tables of cases (hadir/tpp/tests/test_rules.py).

The model, as regencies' Perbup on TPP commonly write it (the numbers are the rule set's data):

    gross        = base × kind percent (CPNS commonly 80 %; PNS and PPPK 100 %)
    share        = gross × attendance share (commonly 40 %: "TPP berdasarkan disiplin kerja"; the rest is kinerja)
    per event    = percent × (gross, or share — `percent_of`) for each TL1–TL4, PSW1–PSW4, TK day, missed apel,
                   invalid check-in, day with no scan on one side, leave day with a percent
    cuts         = min(Σ events, share)                       — "a month's attendance cuts never exceed the share"
    no-TPP days  = gross ÷ working days × days without TPP   — leave kinds and terminal-down days the rule set
                   says earn no TPP; outside the cap (the employee is not paid for those days at all)
    sanction     = gross × 25 % while a PP 94/2021 tukin sanction is active (on top, outside the cap)
    net          = max(0, gross − cuts − no-TPP days − sanction), rounded per the rule set

On one day, events add up (a late arrival and an early leave are two events); a day without TPP or an excused day
carries no attendance events; a terminal-down day either drops that day's attendance events (no cut) or is a day
without TPP, as the rule set chooses. Amounts are integer rupiah; each line is rounded half-up to the rupiah,
the net to the rule set's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

HUNDRED = Decimal(100)

# Event codes (a TppLine's `event`)
TL = ("TL1", "TL2", "TL3", "TL4")
PSW = ("PSW1", "PSW2", "PSW3", "PSW4")
TK = "TK"
APEL_PAGI = "APEL_PAGI"
APEL_SORE = "APEL_SORE"
INVALID = "INVALID"
MISSING_IN = "NO_IN"
MISSING_OUT = "NO_OUT"
LEAVE = "LEAVE"
NO_TPP = "NO_TPP"
TERMINAL_DOWN = "TERMINAL_DOWN"
SANCTION = "SANCTION"
ADJUSTMENT = "ADJUSTMENT"

# How a leave or duty kind counts (LeaveRule.mode)
NO_CUT = "none"
PERCENT = "percent"
NO_TPP_DAY = "no_tpp"

# Rule keys of the leave and duty kinds (LeaveRule.kind); hadir.leave's kinds map onto them (engine.LEAVE_KEY).
LEAVE_KEYS = ("cuti_tahunan", "sakit_surat", "sakit", "cuti_besar", "cuti_melahirkan", "alasan_penting",
              "tugas_belajar", "dinas_luar", "rapat", "cltn", "cuti_bersama")


@dataclass(frozen=True)
class Rules:
    """The numbers of one rule set (percents as Decimal 0–100)."""

    share_pct: Decimal = Decimal(40)
    percent_of: str = "gross"  # "gross" | "share"
    events: Mapping[str, Decimal] = field(default_factory=dict)  # TL1…PSW4, TK, APEL_*, INVALID, NO_IN, NO_OUT
    leave: Mapping[str, tuple[str, Decimal]] = field(default_factory=dict)  # key → (mode, pct)
    kind_pct: Mapping[str, Decimal] = field(default_factory=dict)  # employee kind → % of base (default 100)
    terminal_down: str = NO_CUT  # NO_CUT | NO_TPP_DAY
    rounding_unit: int = 1
    rounding_down: bool = True


@dataclass(slots=True)
class Day:
    """One working day of the employee, as the daily status says (only days that may carry a line)."""

    date: dt.date
    status: str  # DayStatus value
    late_category: str = ""
    early_category: str = ""
    missing_in: bool = False
    missing_out: bool = False
    apel_pagi_missed: bool = False
    apel_sore_missed: bool = False
    invalid_checkins: int = 0
    leave_key: str = ""  # for izin/sakit/cuti/dl days: the rule key of the leave kind
    terminal_down: bool = False
    ref: str = ""


@dataclass(slots=True)
class Line:
    date: dt.date | None
    event: str
    pct: Decimal
    amount: int
    note: str = ""
    of_month: dt.date | None = None  # an ADJUSTMENT: the closed month it corrects


@dataclass
class Result:
    gross: int
    share: int
    lines: list[Line]
    cuts: int  # attendance cuts after the cap
    cuts_uncapped: int
    no_tpp: int
    sanction: int
    net: int

    @property
    def capped(self) -> bool:
        return self.cuts < self.cuts_uncapped


def rupiah(value: Decimal) -> int:
    """Half-up to the rupiah."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1024)
def _ratio(pct: Decimal) -> tuple[int, int]:
    num, den = pct.as_integer_ratio()
    return num, den * 100


def percent_of(amount: int, pct: Decimal) -> int:
    """amount × pct %, half-up to the rupiah, in exact integer arithmetic (the same as `rupiah` of the Decimal
    product; a month of a regency makes hundreds of thousands of these)."""
    num, den = _ratio(pct)
    a = amount * num
    return (2 * a + den) // (2 * den) if a >= 0 else -((-2 * a + den) // (2 * den))


def day_share(gross: int, working_days: int) -> int:
    """One working day's TPP, half-up to the rupiah."""
    return (2 * gross + working_days) // (2 * working_days) if working_days > 0 else 0


def round_net(value: int, unit: int, down: bool) -> int:
    if unit <= 1:
        return value
    q = Decimal(value) / unit
    return int(q.quantize(Decimal(1), rounding=ROUND_DOWN if down else ROUND_HALF_UP)) * unit


def day_events(day: Day, rules: Rules) -> list[tuple[str, Decimal, str]]:
    """(event, percent, note) of one day's attendance events — what the rule set cuts for that day."""
    out: list[tuple[str, Decimal, str]] = []
    ev = rules.events
    if day.status == "tk":
        out.append((TK, ev.get(TK, Decimal(0)), ""))
        return out  # a TK day is one event: no lateness or apel on a day with no check-in
    if day.late_category in TL:
        out.append((day.late_category, ev.get(day.late_category, Decimal(0)), ""))
    if day.early_category in PSW:
        out.append((day.early_category, ev.get(day.early_category, Decimal(0)), ""))
    if day.missing_in and day.late_category != "TL4":  # (a rule set that makes "no masuk" TL4 already cut it)
        out.append((MISSING_IN, ev.get(MISSING_IN, Decimal(0)), ""))
    if day.missing_out and day.early_category != "PSW4":
        out.append((MISSING_OUT, ev.get(MISSING_OUT, Decimal(0)), ""))
    if day.apel_pagi_missed:
        out.append((APEL_PAGI, ev.get(APEL_PAGI, Decimal(0)), ""))
    if day.apel_sore_missed:
        out.append((APEL_SORE, ev.get(APEL_SORE, Decimal(0)), ""))
    for _ in range(day.invalid_checkins):
        out.append((INVALID, ev.get(INVALID, Decimal(0)), ""))
    return out


def compute(base: int, kind: str, days: Iterable[Day], working_days: int, rules: Rules,
            sanction_pct: Decimal = Decimal(0), adjustments: Iterable[Line] = ()) -> Result:
    """One employee's month. `days`: the working days that may carry a line (hadir on time can be left out);
    `working_days`: all working days of the month for this employee (the divisor of a day's TPP);
    `sanction_pct`: an active PP 94/2021 tukin cut (25) or 0; `adjustments`: lines carried from closed months
    (positive: a further cut; negative: paid back)."""
    gross = percent_of(base, rules.kind_pct.get(kind, HUNDRED))
    share = percent_of(gross, rules.share_pct)
    basis = share if rules.percent_of == "share" else gross
    per_day = day_share(gross, working_days)
    lines: list[Line] = []
    cut_total = 0
    no_tpp_total = 0
    for day in sorted(days, key=lambda d: d.date):
        if day.terminal_down and rules.terminal_down == NO_TPP_DAY:
            amount = per_day
            lines.append(Line(day.date, TERMINAL_DOWN, HUNDRED, amount, day.ref))
            no_tpp_total += amount
            continue
        if day.leave_key and day.status in ("izin", "sakit", "cuti", "dl"):
            mode, pct = rules.leave.get(day.leave_key, (NO_CUT, Decimal(0)))
            if mode == NO_TPP_DAY:
                amount = per_day
                lines.append(Line(day.date, NO_TPP, HUNDRED, amount, day.leave_key))
                no_tpp_total += amount
            elif mode == PERCENT and pct > 0:
                amount = percent_of(basis, pct)
                lines.append(Line(day.date, LEAVE, pct, amount, day.leave_key))
                cut_total += amount
            continue
        if day.terminal_down:  # NO_CUT: the OPD answers for its terminal, not the employee
            continue
        for event, pct, note in day_events(day, rules):
            if pct <= 0:
                continue
            amount = percent_of(basis, pct)
            lines.append(Line(day.date, event, pct, amount, note or day.ref))
            cut_total += amount
    cuts = min(cut_total, share)
    sanction = percent_of(gross, sanction_pct) if sanction_pct > 0 else 0
    if sanction:
        lines.append(Line(None, SANCTION, sanction_pct, sanction, "PP 94/2021"))
    adjustment = 0
    for line in adjustments:
        lines.append(line)
        adjustment += line.amount
    net = max(0, gross - cuts - no_tpp_total - sanction - adjustment)
    net = round_net(net, rules.rounding_unit, rules.rounding_down)
    return Result(gross=gross, share=share, lines=lines, cuts=cuts, cuts_uncapped=cut_total, no_tpp=no_tpp_total,
                  sanction=sanction, net=net)
