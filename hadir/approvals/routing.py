"""Who approves whom — pure functions over plain values (no ORM).

The atasan langsung is the holder of Position.parent. Where HR data leaves `parent` empty the tiers
are derived from the unit tree the way regencies run them:
  - staff of a unit answer to the head of that unit (staf sekretariat → sekretaris,
    staf bidang → kepala bidang, staf subbagian → kepala subbagian);
  - the head of a unit answers to the head of the parent unit (kepala subbagian → sekretaris,
    kepala seksi → kepala bidang, sekretaris and kepala bidang → kepala dinas);
  - the head of an OPD has no atasan inside Hadir (Sekda/Bupati): BKPSDM decides.
A vacant position (no holder, no acting head on the date) passes the item one level up; nobody
approves themself; an escalated item skips the approvers it already waited for.
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


def resolve(chain: Sequence[Slot], subject_id: int, escalation: int = 0) -> Resolution:
    """The effective approver for `subject_id`: the first superior slot with someone other than the
    subject in it, after passing `escalation` such approvers (items that waited too long)."""
    skipped = 0
    remaining = escalation
    for slot in chain:
        approvers = slot.approvers(subject_id)
        if not approvers:
            skipped += 1
            continue
        if remaining:
            remaining -= 1
            continue
        return Resolution(slot.position_id, approvers, skipped)
    return Resolution(None, frozenset(), skipped)


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


def escalation_due(age_days: float, escalate_after_days: int, current_level: int) -> int:
    """The escalation level an item of this age should be at (one level per period waited)."""
    if escalate_after_days <= 0:
        return current_level
    return max(current_level, int(age_days // escalate_after_days))
