"""The risk score: one table of weights, combined as independent evidence."""

from __future__ import annotations

import pytest

from hadir.integrity.risk import WEIGHTS, monthly, score


@pytest.mark.parametrize(("flags", "reason", "expected"), [
    ([], "", 0),
    (["not_enrolled"], "", 0),                       # no reference face yet is not evidence
    (["clock_skew"], "", 15),
    (["mock_location"], "", 70),
    (["face_mismatch", "mock_location"], "", 91),    # 1 − 0.3 × 0.3
    (["round_coordinates", "zero_accuracy"], "", 58),  # two weak signals: 1 − 0.65²
    (["mock_location", "mock_location"], "", 70),    # a code counts once
    ([], "outside_radius", 20),                      # rejected outside the radius
    ([], "outside_working_hours", 0),                # a mistaken try, not cheating
    (list(WEIGHTS), "mock_location", 100),           # never above 100
    (["some_future_flag"], "", 25),                  # an unknown code weighs the default
])
def test_score(flags: list[str], reason: str, expected: int) -> None:
    assert score(flags, reason) == expected


@pytest.mark.parametrize(("scores", "expected"), [
    ([], 0),
    ([0] * 20, 0),
    ([0] * 19 + [70], 4),      # one odd morning in a month stays low
    ([70] * 10 + [0] * 10, 42),  # every other day flagged: a habit (17.5 + 25)
    ([91] * 20, 96),
])
def test_monthly(scores: list[int], expected: int) -> None:
    assert monthly(scores) == expected
