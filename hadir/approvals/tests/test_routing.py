"""Pure routing rules as tables: the derived tiers, vacancy, self-approval, escalation, policy modes."""

from __future__ import annotations

import pytest

from hadir.approvals.routing import (
    ESCALATE,
    REROUTE,
    STAY,
    PositionNode,
    Slot,
    UnitNode,
    needs_approval,
    resolve,
    route,
    superior_chain,
)

# A Dinas with no explicit Position.parent anywhere: tiers come from the unit tree.
#   unit 1 Pemda; 2 Dinas; 3 Sekretariat; 4 Subbagian Umum (under 3); 5 Bidang; 6 Seksi (under 5)
UNITS = {
    1: UnitNode(1, None, is_pemda=True), 2: UnitNode(2, 1), 3: UnitNode(3, 2), 4: UnitNode(4, 3),
    5: UnitNode(5, 2), 6: UnitNode(6, 5),
}
POSITIONS = {
    10: PositionNode(10, 2, None, True),  # kepala dinas
    30: PositionNode(30, 3, None, True),  # sekretaris
    31: PositionNode(31, 3, None, False),  # staf sekretariat
    40: PositionNode(40, 4, None, True),  # kepala subbagian umum
    41: PositionNode(41, 4, None, False),  # staf subbagian
    50: PositionNode(50, 5, None, True),  # kepala bidang
    51: PositionNode(51, 5, None, False),  # staf bidang
    60: PositionNode(60, 6, None, True),  # kepala seksi
    61: PositionNode(61, 6, None, False),  # staf seksi
    70: PositionNode(70, 5, 30, False),  # explicit parent wins (seconded to the secretary)
}
HEADS = {2: 10, 3: 30, 4: 40, 5: 50, 6: 60}


@pytest.mark.parametrize(
    ("position", "chain"),
    [
        (10, []),  # head of OPD: no atasan inside Hadir
        (30, [10]),  # sekretaris → kadis
        (50, [10]),  # kabid → kadis
        (31, [30, 10]),  # staf sekretariat → sekretaris
        (40, [30, 10]),  # kasubag → sekretaris
        (41, [40, 30, 10]),
        (51, [50, 10]),  # staf bidang → kabid
        (60, [50, 10]),  # kasi → kabid
        (61, [60, 50, 10]),
        (70, [30, 10]),
        (None, []),  # no position: no chain
    ],
)
def test_derived_tiers(position: int | None, chain: list[int]) -> None:
    assert superior_chain(position, POSITIONS, UNITS, HEADS) == chain


def test_cycle_in_explicit_parents_terminates() -> None:
    positions = {1: PositionNode(1, 2, 2, False), 2: PositionNode(2, 2, 1, False)}
    assert superior_chain(1, positions, {2: UnitNode(2, None)}, {}) == [2]


S = 7  # the subject's employee id


@pytest.mark.parametrize(
    ("case", "chain", "escalation", "expected_position", "expected_ids"),
    [
        ("held", [Slot(1, frozenset({1}))], 0, 1, {1}),
        ("vacant escalates one level", [Slot(1), Slot(2, frozenset({2}))], 0, 2, {2}),
        ("two vacant levels", [Slot(1), Slot(2), Slot(3, frozenset({3}))], 0, 3, {3}),
        ("acting head fills a vacancy", [Slot(1, delegate_ids=frozenset({9})), Slot(2, frozenset({2}))], 0, 1, {9}),
        ("holder and Plh both decide", [Slot(1, frozenset({1}), frozenset({9}))], 0, 1, {1, 9}),
        ("only the subject: escalate (no self-approval)", [Slot(1, delegate_ids=frozenset({S})),
                                                           Slot(2, frozenset({2}))], 0, 2, {2}),
        ("subject removed from shared slot", [Slot(1, frozenset({1}), frozenset({S}))], 0, 1, {1}),
        ("escalated once", [Slot(1, frozenset({1})), Slot(2, frozenset({2}))], 1, 2, {2}),
        ("escalation skips vacancies too", [Slot(1, frozenset({1})), Slot(2), Slot(3, frozenset({3}))], 1, 3, {3}),
        ("never past the top", [Slot(1, frozenset({1}))], 1, 1, {1}),
        ("far past the top: still the top", [Slot(1, frozenset({1})), Slot(2, frozenset({2}))], 9, 2, {2}),
        ("all vacant: BKPSDM", [Slot(1), Slot(2)], 0, None, set()),
        ("no chain: BKPSDM", [], 0, None, set()),
    ],
)
def test_resolve(case: str, chain: list[Slot], escalation: int, expected_position: int | None,
                 expected_ids: set[int]) -> None:
    result = resolve(chain, S, escalation)
    assert (result.position_id, set(result.approver_ids)) == (expected_position, expected_ids)


@pytest.mark.parametrize(
    ("mode", "kind", "source", "verdict", "flags", "expected"),
    [
        ("none", "masuk", "offline", "accepted", ["mock_location"], False),
        ("all", "masuk", "mobile", "accepted", [], True),
        ("all", "pulang", "terminal", "accepted", [], True),
        ("all", "ping", "mobile", "accepted", [], False),  # location pings never wait
        ("all", "masuk", "mobile", "rejected", [], False),  # rejected attempts are already not counted
        ("flagged", "masuk", "mobile", "accepted", [], False),
        ("flagged", "masuk", "mobile", "accepted", ["mock_location"], True),
        ("flagged", "pulang", "offline", "accepted", [], True),
        ("apel", "apel_pagi", "mobile", "accepted", [], True),
        ("apel", "apel_sore", "terminal", "accepted", [], True),
        ("apel", "masuk", "offline", "accepted", ["x"], False),
    ],
)
def test_needs_approval(mode: str, kind: str, source: str, verdict: str, flags: list[str], expected: bool) -> None:
    assert needs_approval(mode, kind=kind, source=source, verdict=verdict, fraud_flags=flags) is expected


def held(*positions: int) -> list[Slot]:
    """A chain whose positions are held by an employee of the same number (0: vacant)."""
    return [Slot(p, frozenset({p})) if p > 0 else Slot(-p) for p in positions]


TWO = held(1, 2)  # sekretaris → kepala dinas
THREE = held(1, 2, 3)  # kepala subbagian → sekretaris → kepala dinas


@pytest.mark.parametrize(
    ("case", "chain", "at", "level", "waited", "days", "expected"),
    [
        # (position, level) where the item waits, days waited there, policy → (move, position, level)
        ("fresh", TWO, 1, 0, 0.5, 3, (STAY, 1, 0)),
        ("not yet", TWO, 1, 0, 2.99, 3, (STAY, 1, 0)),
        ("waited the period: one level", TWO, 1, 0, 3.0, 3, (ESCALATE, 2, 1)),
        ("waited 29 days: still one level", THREE, 1, 0, 29, 3, (ESCALATE, 2, 1)),
        ("next period at the new level", THREE, 2, 1, 3.5, 3, (ESCALATE, 3, 2)),
        ("at the top (OPD head): stays", TWO, 2, 1, 29, 3, (STAY, 2, 1)),
        ("escalation off", TWO, 1, 0, 29, 0, (STAY, 1, 0)),
        ("OPD head's own item: BKPSDM, stays", [], None, 0, 29, 3, (STAY, None, 0)),
        ("escalation skips a vacancy", held(1, 0, 3), 1, 0, 3, 3, (ESCALATE, 3, 1)),
        ("Plt/Plh fills the vacancy", [Slot(1, delegate_ids=frozenset({9})), Slot(2, frozenset({2}))], 1, 0, 1, 3,
         (STAY, 1, 0)),
        ("next slot only the subject (Plt of own atasan): top", [Slot(1, frozenset({1})),
                                                                 Slot(2, delegate_ids=frozenset({S}))],
         1, 0, 9, 3, (STAY, 1, 0)),
        # re-routing: at once, whatever the wait; the wait starts again
        ("approver fell vacant: next above", held(0, 2), 1, 0, 0.1, 3, (REROUTE, 2, 0)),
        ("middle fell vacant: next above", held(1, 0, 3), 2, 1, 0.1, 3, (REROUTE, 3, 1)),
        ("top fell vacant: the top that can act", held(1, 0), 2, 1, 0.1, 3, (REROUTE, 1, 0)),
        ("whole chain vacant: BKPSDM", held(0, 0), 1, 0, 0.1, 3, (REROUTE, None, 0)),
        ("BKPSDM, then a head appointed", held(1), None, 0, 0.1, 3, (REROUTE, 1, 0)),
        ("flooded to BKPSDM (9×): back to the top", TWO, None, 9, 0.1, 3, (REROUTE, 2, 1)),
        ("off the chain (transfer): same level", TWO, 99, 1, 0.1, 3, (REROUTE, 2, 1)),
        # the level is the place in the chain that can act: corrected without a move
        ("vacancy below: level follows, no move", held(0, 2, 3), 2, 1, 0.1, 3, (STAY, 2, 0)),
        ("9× at the top of a 2-level chain", TWO, 2, 9, 0.1, 3, (STAY, 2, 1)),
    ],
)
def test_route(case: str, chain: list[Slot], at: int | None, level: int, waited: float, days: int,
               expected: tuple[str, int | None, int]) -> None:
    result = route(chain, S, position_id=at, level=level, waited_days=waited, escalate_after_days=days)
    assert (result.move, result.position_id, result.level) == expected


def test_route_moves_an_unattended_item_one_level_per_period() -> None:
    """Hourly runs over a month on a three-level chain: one move per period waited, then it rests at the top."""
    at: int | None = 1
    level, since = 0, 0.0
    moves: list[tuple[float, int | None]] = []
    for hour in range(1, 30 * 24):
        now = hour / 24
        result = route(THREE, S, position_id=at, level=level, waited_days=now - since, escalate_after_days=3)
        if result.move != STAY:
            at, level, since = result.position_id, result.level, now
            moves.append((now, at))
    assert moves == [(3.0, 2), (6.0, 3)] and level == 2
