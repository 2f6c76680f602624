"""The risk score of a check-in (0–100) from its flags and its verdict: one table of weights, combined as
independent evidence, 1 − Π(1 − wᵢ/100), so one strong signal outweighs several weak ones and the score never
exceeds 100. An employee's monthly risk is the mean of their check-ins' scores together with the share of flagged
check-ins (docs/integrity.md).

The weights say how strongly each signal alone points at cheating, not how often it fires. Codes are the stable
flag codes of hadir.presence.fraud and of the face match; a code not in the table weighs DEFAULT_WEIGHT.
"""

from __future__ import annotations

from collections.abc import Iterable

WEIGHTS: dict[str, int] = {
    # the device or the app itself says so
    "mock_location": 70,
    # position and movement
    "impossible_speed": 60,
    "two_devices": 60,
    "repeated_coordinates": 55,
    "no_gps_jitter": 45,
    "round_coordinates": 35,
    "zero_accuracy": 35,
    "constant_accuracy": 30,
    # device and time
    "shared_device": 40,
    "offline_implausible": 55,
    "clock_skew": 15,
    # face and photo
    "face_mismatch": 70,
    "reused_photo": 65,
    "multiple_faces": 40,
    "no_face": 40,
    "not_enrolled": 0,  # no reference yet: not evidence against the employee
}
DEFAULT_WEIGHT = 25
# Reason codes of rejected check-ins that are themselves evidence of cheating (not just a late or mistaken try).
REJECTION_WEIGHTS: dict[str, int] = {
    "mock_location": 70, "device_mismatch": 50, "device_missing": 30, "capture_in_future": 50,
    "capture_too_old": 30, "outside_radius": 20,
}


def weight(code: str) -> int:
    return WEIGHTS.get(code, DEFAULT_WEIGHT)


def score(flags: Iterable[str], reason_code: str = "") -> int:
    """0 (nothing suspicious) to 100."""
    keep = 1.0
    for code in set(flags):
        keep *= 1 - weight(code) / 100
    if reason_code:
        keep *= 1 - REJECTION_WEIGHTS.get(reason_code, 0) / 100
    return round(100 * (1 - keep))


def monthly(scores: list[int]) -> int:
    """An employee's risk over a month: the mean score, raised by how often they were flagged at all — a single
    odd morning stays low, a habit climbs."""
    if not scores:
        return 0
    mean = sum(scores) / len(scores)
    flagged = sum(1 for s in scores if s > 0) / len(scores)
    return round(min(100.0, mean * 0.5 + flagged * 50))
