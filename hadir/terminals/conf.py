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


def trusted_proxies() -> int:
    """How many reverse proxies in front of Hadir append to X-Forwarded-For (0: use the socket's address).

    With N trusted proxies the client is the N-th entry from the right — the one the outermost trusted proxy
    appended; whatever the client itself put in the header (left of it) is never believed."""
    return max(0, int(getattr(settings, "HADIR_TERMINAL_TRUSTED_PROXIES", 0)))


def max_body_bytes() -> int:
    """Largest push body accepted (bytes); larger pushes are refused with 413 and nothing is stored."""
    return int(getattr(settings, "HADIR_TERMINAL_MAX_BODY_BYTES", 1024 * 1024))


def max_lines() -> int:
    """Most lines accepted in one push (a terminal sends its log in batches; firmwares default to a few hundred)."""
    return int(getattr(settings, "HADIR_TERMINAL_MAX_LINES", 5000))


def pending_max() -> int:
    """Most terminals waiting for assignment at once; further unknown serials are refused until some are assigned."""
    return int(getattr(settings, "HADIR_TERMINAL_PENDING_MAX", 50))


def register_per_hour() -> int:
    """Unknown serials one address may register per hour."""
    return int(getattr(settings, "HADIR_TERMINAL_REGISTER_PER_HOUR", 5))


def operlog_keep() -> int:
    """OPERLOG/USERINFO rows kept per terminal (the oldest are dropped beyond this)."""
    return int(getattr(settings, "HADIR_TERMINAL_OPERLOG_KEEP", 5000))


def pending_held_max() -> int:
    """Most log lines held for one pending terminal (a pending terminal is not yet trusted)."""
    return int(getattr(settings, "HADIR_TERMINAL_PENDING_HELD_MAX", 20000))


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
