"""Rotation rosters for 24-hour units: parsing and laying the rotation over a month (tables)."""

from __future__ import annotations

import datetime as dt

import pytest

from hadir.schedules.roster import RotationError, coverage, parse_rotation, rotation_roster

CODES = {"pagi", "siang", "malam"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pagi,pagi,siang,siang,malam,-,-", ["pagi", "pagi", "siang", "siang", "malam", None, None]),
        (" Pagi ; SIANG ; malam ; libur ", ["pagi", "siang", "malam", None]),
        ("malam,L,x,off", ["malam", None, None, None]),
        ("pagi,,siang", ["pagi", "siang"]),
    ],
)
def test_parse_rotation(text: str, expected: list[str | None]) -> None:
    assert parse_rotation(text, CODES) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Rotasi kosong"),
        ("pagi,sore", "Kode shift tidak dikenal: sore"),
        ("-,-", "hanya berisi hari libur"),
        (",".join(["pagi"] * 32), "terlalu panjang"),
    ],
)
def test_parse_rotation_errors(text: str, message: str) -> None:
    with pytest.raises(RotationError, match=message):
        parse_rotation(text, CODES)


def test_rotation_is_staggered_and_covers_every_shift_daily() -> None:
    rotation = parse_rotation("pagi,pagi,siang,siang,malam,-,-", CODES)
    days = [dt.date(2026, 11, 1) + dt.timedelta(days=i) for i in range(30)]
    roster = rotation_roster(list(range(1, 8)), days, rotation)
    assert len(roster) == 7 * 30
    first = {emp: code for emp, day, code in roster if day == days[0]}
    assert first == {1: "pagi", 2: "pagi", 3: "siang", 4: "siang", 5: "malam", 6: None, 7: None}
    second = {emp: code for emp, day, code in roster if day == days[1]}
    assert second[1] == "pagi" and second[2] == "siang" and second[7] == "pagi"
    for day, shifts in coverage(roster).items():
        assert shifts == {"pagi": 2, "siang": 2, "malam": 1}, day


def test_anchor_continues_the_cycle_across_months() -> None:
    rotation: list[str | None] = ["pagi", "siang", "malam", None]
    nov = [dt.date(2026, 11, 29), dt.date(2026, 11, 30)]
    dec = [dt.date(2026, 12, 1)]
    anchor = dt.date(2026, 11, 1)
    a = rotation_roster([1], nov, rotation, anchor=anchor)
    b = rotation_roster([1], dec, rotation, anchor=anchor)
    assert [c for _e, _d, c in a + b] == ["pagi", "siang", "malam"]  # 28 days after the anchor: position 0
    no_stagger = rotation_roster([1, 2], dec, rotation, anchor=anchor, stagger=False)
    assert no_stagger[0][2] == no_stagger[1][2]
