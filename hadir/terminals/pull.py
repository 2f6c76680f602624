"""Pull mode for older terminals without ADMS push: read the attendance log over the ZK protocol
(TCP/UDP port 4370) with pyzk (optional dependency: `pip install hadir[terminals]`).

The records go through exactly the same path as pushed lines (store_attlog: stored once per
SN+PIN+time, then converted through the presence pipeline), so pulling twice never duplicates.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from . import protocol, services
from .models import Terminal, TerminalStatus

log = logging.getLogger(__name__)

ConnectionFactory = Callable[..., Any]


class PullError(Exception):
    pass


def default_factory() -> ConnectionFactory:
    try:
        from zk import ZK
    except ImportError:
        raise PullError("pyzk belum terpasang: pip install 'hadir[terminals]'") from None
    return ZK  # type: ignore[no-any-return]


def split_address(address: str) -> tuple[str, int]:
    """'192.168.1.201' or '192.168.1.201:4370' → (host, port)."""
    address = address.strip()
    host, sep, port = address.rpartition(":")
    if not sep:
        return address, 4370
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PullError(f"Alamat tidak valid: {address!r}")
    return host, int(port)


def record_to_line(record: Any) -> protocol.AttLine | None:
    """A pyzk Attendance (user_id, timestamp, status = verify type, punch = in/out state) → AttLine."""
    pin = str(getattr(record, "user_id", "")).strip()
    when = getattr(record, "timestamp", None)
    if not isinstance(when, dt.datetime):
        return None
    when = when.replace(microsecond=0, tzinfo=None)
    punch = int(getattr(record, "punch", 0) or 0)
    verify = int(getattr(record, "status", 0) or 0)
    text = when.strftime("%Y-%m-%d %H:%M:%S")
    return protocol.parse_attlog_line(f"{pin}\t{text}\t{punch}\t{verify}\t0\tpull")


def pull_terminal(terminal: Terminal, factory: ConnectionFactory | None = None, timeout: int = 15) -> int:
    """Read every record from the terminal and store the new ones. Returns how many were new."""
    if not terminal.pull_address:
        raise PullError(f"Mesin {terminal.serial_number} tidak punya alamat tarik.")
    host, port = split_address(terminal.pull_address)
    zk = (factory or default_factory())(host, port=port, timeout=timeout, password=terminal.pull_password,
                                         force_udp=terminal.pull_udp, ommit_ping=True)
    try:
        conn = zk.connect()
    except Exception as exc:
        raise PullError(f"Tidak dapat terhubung ke {host}:{port}: {exc}") from exc
    try:
        conn.disable_device()  # no punches while we read
        try:
            firmware = conn.get_firmware_version()
            if firmware:
                services.update_info(terminal, {"firmware": str(firmware)})
        except Exception:  # informational only
            pass
        records = conn.get_attendance() or []
    finally:
        try:
            conn.enable_device()
        finally:
            conn.disconnect()
    lines = [line for line in (record_to_line(r) for r in records) if line is not None]
    services.touch(terminal, host)
    new = services.store_attlog(terminal, lines, now=timezone.now())
    log.info("terminal %s: %d records pulled, %d new", terminal.serial_number, len(lines), new)
    return new


def pullable() -> list[Terminal]:
    return list(Terminal.objects.exclude(pull_address="").exclude(status=TerminalStatus.DISABLED))
