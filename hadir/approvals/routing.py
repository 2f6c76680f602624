"""Who approves whom — pure functions over plain values (no ORM).

The atasan langsung is the holder of Position.parent. Where HR data leaves `parent` empty the tiers
are derived from the unit tree the way regencies run them:
  - staff of a unit answer to the head of that unit (staf sekretariat → sekretaris,
    staf bidang → kepala bidang, staf subbagian → kepala subbagian);
  - the head of a unit answers to the head of the parent unit (kepala subbagian → sekretaris,
    kepala seksi → kepala bidang, sekretaris and kepala bidang → kepala dinas);
  - the head of an OPD has no atasan inside Hadir (Sekda/Bupati): BKPSDM decides.
A vacant position (no holder, no acting head on the date) passes the item one level up; nobody
approves themself.

Escalation (`route`, run hourly by the escalation job) — the positions of an employee's chain that can act
on a day (a holder or a Plt/Plh other than the employee) are numbered 0 (the first who can act, normally the
atasan langsung) to top (normally the OPD head); an item's escalation level is its place in that list:
  1. an item that waited the OPD's `escalate_after_days` at its approver moves ONE level up and waits the full
     period again there; never past the top (at the top it stays until decided);
  2. an item whose approver can no longer act (position vacant, no Plt/Plh) moves at once to the next position
     above that can act (the top, if none above can); one whose approver is off the employee's chain (BKPSDM
     while someone can act again, a transfer) goes to its level of today's chain, at most the top;
  3. BKPSDM (approver None) decides only items of employees whose chain has nobody able to act (the OPD head's
     own, or a whole chain vacant).
One run moves an item at most once. As the level is the item's place among those who can act, "dieskalasi N×"
in the inbox never exceeds that chain's length − 1 (an old level beyond it is corrected without a move).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# --- the position chain ------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionNode:
    id: int
    unit_id: int
    parent_id: int | None  # explicit atasan position (None: derive from the unit tree)
    is_head: bool


@dataclass(frozen=True)
class UnitNode:
    id: int
    parent_id: int | None
    is_pemda: bool = False


def head_position_of(unit_id: int, heads: Mapping[int, int]) -> int | None:
    return heads.get(unit_id)


def superior_of(position_id: int, positions: Mapping[int, PositionNode], units: Mapping[int, UnitNode],
                heads: Mapping[int, int]) -> int | None:
    """The atasan position of `position_id` (explicit parent, else derived from the unit tree)."""
    node = positions[position_id]
    if node.parent_id is not None:
        return node.parent_id
    if not node.is_head:
        own_head = heads.get(node.unit_id)
        if own_head is not None and own_head != position_id:
            return own_head
    unit = units.get(node.unit_id)
    while unit is not None and unit.parent_id is not None:
        unit = units.get(unit.parent_id)
        if unit is None or unit.is_pemda:
            return None
        head = heads.get(unit.id)
        if head is not None and head != position_id:
            return head
    return None


def superior_chain(position_id: int | None, positions: Mapping[int, PositionNode], units: Mapping[int, UnitNode],
                   heads: Mapping[int, int], limit: int = 20) -> list[int]:
    """Superior positions nearest first (cycle-safe)."""
    chain: list[int] = []
    if position_id is None or position_id not in positions:
        return chain
    current: int | None = position_id
    seen = {position_id}
    while current is not None and len(chain) < limit:
        current = superior_of(current, positions, units, heads) if current in positions else None
        if current is None or current in seen:
            break
        chain.append(current)
        seen.add(current)
    return chain


# --- resolving the approver -------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One superior position on a given date: its holders and its acting heads (Plt/Plh)."""

    position_id: int
    holder_ids: frozenset[int] = frozenset()
    delegate_ids: frozenset[int] = frozenset()

    def approvers(self, subject_id: int) -> frozenset[int]:
        return (self.holder_ids | self.delegate_ids) - {subject_id}


@dataclass(frozen=True)
class Resolution:
    position_id: int | None  # None: no one in the tree — BKPSDM decides
    approver_ids: frozenset[int]
    vacant_skipped: int  # positions passed because vacant (or only the subject)
    level: int = 0  # place among the positions that can act: 0 = the first, `top` = the last
    top: int = 0


def acting(chain: Sequence[Slot], subject_id: int) -> list[tuple[int, Slot]]:
    """(index in `chain`, slot) of the superior slots someone other than the subject can act for, nearest first."""
    return [(i, slot) for i, slot in enumerate(chain) if slot.approvers(subject_id)]


def _at(chain: Sequence[Slot], subject_id: int, able: list[tuple[int, Slot]], level: int) -> Resolution:
    if not able:
        return Resolution(None, frozenset(), len(chain))
    level = max(0, min(level, len(able) - 1))
    index, slot = able[level]
    return Resolution(slot.position_id, slot.approvers(subject_id), index - level, level, len(able) - 1)


def resolve(chain: Sequence[Slot], subject_id: int, escalation: int = 0) -> Resolution:
    """The approver for `subject_id` at level `escalation`: the first superior slot with someone other than the
    subject in it, then `escalation` such slots further up — never past the last one (the top of the chain that
    can act). Nobody in the chain able to act: BKPSDM (position None)."""
    return _at(chain, subject_id, acting(chain, subject_id), escalation)


# --- escalation -------------------------------------------------------------------------------

STAY = ""
ESCALATE = "escalate"
REROUTE = "reroute"


@dataclass(frozen=True)
class Route:
    """Where a pending item belongs after one run of the escalation job. `move` is ESCALATE (waited long enough:
    one level up), REROUTE (its approver cannot act or is off the chain) or STAY (the level may still have been
    corrected: the approver is unchanged and nobody is told)."""

    move: str
    resolution: Resolution

    @property
    def position_id(self) -> int | None:
        return self.resolution.position_id

    @property
    def level(self) -> int:
        return self.resolution.level


def route(chain: Sequence[Slot], subject_id: int, *, position_id: int | None, level: int, waited_days: float,
          escalate_after_days: int) -> Route:
    """One item in one escalation run (module docstring): at most one move. `position_id`/`level`: where it waits
    now; `waited_days`: since it reached that approver; `escalate_after_days` <= 0 turns escalation off."""
    able = acting(chain, subject_id)
    if not able:
        return Route(STAY if position_id is None else REROUTE, _at(chain, subject_id, able, 0))
    places = [slot.position_id for _i, slot in able]
    if position_id in places:
        here = places.index(position_id)
        if 0 < escalate_after_days <= waited_days and here < len(able) - 1:
            return Route(ESCALATE, _at(chain, subject_id, able, here + 1))
        return Route(STAY, _at(chain, subject_id, able, here))
    in_chain = [slot.position_id for slot in chain]
    if position_id is not None and position_id in in_chain:  # fell vacant: the next above that can act
        vacant_at = in_chain.index(position_id)
        above = [n for n, (i, _slot) in enumerate(able) if i > vacant_at]
        return Route(REROUTE, _at(chain, subject_id, able, above[0] if above else len(able) - 1))
    return Route(REROUTE, _at(chain, subject_id, able, level))


# --- which check-ins need approval -------------------------------------------------------------

APEL_KINDS = frozenset({"apel_pagi", "apel_sore"})
REVIEWABLE_KINDS = frozenset({"masuk", "pulang", "apel_pagi", "apel_sore"})


def needs_approval(mode: str, *, kind: str, source: str, verdict: str, fraud_flags: Sequence[str]) -> bool:
    """Policy `mode` ("none" | "all" | "flagged" | "apel") applied to one check-in."""
    if verdict != "accepted" or kind not in REVIEWABLE_KINDS:
        return False  # rejected attempts and location pings never wait for the atasan
    if mode == "all":
        return True
    if mode == "flagged":
        return bool(fraud_flags) or source == "offline"
    if mode == "apel":
        return kind in APEL_KINDS
    return False
