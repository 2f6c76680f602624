"""Terminal settings, each overridable in settings.py / the environment (HADIR_TERMINAL_*)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def offline_minutes() -> int:
    """A terminal silent for longer than this is shown offline (devices poll every Delay=30 s)."""
    return int(getattr(settings, "HADIR_TERMINAL_OFFLINE_MINUTES", 15))


def seen_every_seconds() -> int:
    """last_seen / activity are written at most this often per terminal."""
    return int(getattr(settings, "HADIR_TERMINAL_SEEN_EVERY_SECONDS", 60))


def trust_proxy() -> bool:
    """Take the client IP from X-Forwarded-For (behind a trusted reverse proxy)."""
    return bool(getattr(settings, "HADIR_TERMINAL_TRUST_PROXY", False))


def default_office_hours() -> tuple[dt.time, dt.time]:
    """Office hours used when the schedules app cannot tell (Mon–Fri 07:30–16:00)."""
    start, end = getattr(settings, "HADIR_TERMINAL_OFFICE_HOURS", ("07:30", "16:00"))
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def noon_split() -> dt.time:
    """A punch without a known state (e.g. 255) counts as masuk before this local time, pulang after."""
    return dt.time.fromisoformat(getattr(settings, "HADIR_TERMINAL_NOON_SPLIT", "12:00"))


def commands_per_poll() -> int:
    return int(getattr(settings, "HADIR_TERMINAL_COMMANDS_PER_POLL", 20))


def register_networks() -> str:
    """Networks from which an unknown serial number may register itself as pending (empty: anywhere).
    E.g. "10.0.0.0/8, 192.168.0.0/16" for a regency intranet; keeps strangers from filling the pending list."""
    return str(getattr(settings, "HADIR_TERMINAL_REGISTER_NETWORKS", ""))
