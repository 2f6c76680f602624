"""Exports escape formula-leading text (CSV/Excel injection): the cell shows the text, never runs it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hadir.files import spreadsheet_text

CASES = [
    ("=HYPERLINK(\"http://x\",\"klik\")", "'=HYPERLINK(\"http://x\",\"klik\")"),
    ("+62 812 3456", "'+62 812 3456"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Dewi Lestari", "Dewi Lestari"),
    ("199703212025032001", "199703212025032001"),
    ("", ""),
    (-12, -12),
    (2.5, 2.5),
    (dt.date(2026, 11, 23), dt.date(2026, 11, 23)),
    (None, None),
]


@pytest.mark.parametrize(("value", "written"), CASES, ids=[repr(c[0]) for c in CASES])
def test_formula_leading_text_is_escaped(value: Any, written: Any) -> None:
    assert spreadsheet_text(value) == written
