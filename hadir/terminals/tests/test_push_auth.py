"""Terminal authentication: a push counts only from an approved terminal that comes from its allow-listed
network (the socket address, or X-Forwarded-For through the configured trusted proxies) or shows its push key.
Strangers are capped; oversize pushes are refused whole; OPERLOG is bounded."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, TestCase

from hadir.presence.models import CheckIn
from hadir.terminals import services
from hadir.terminals.models import AttLog, OperLog, Terminal, TerminalStatus
from hadir.terminals.simulator import attlog_line
from hadir.testing import Org

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hadir.terminals.tests.urls")]

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OUTSIDE = "203.0.113.9"  # an address on the internet, not the office's
OFFICE = "10.20.30.40"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def pins(org: Org) -> Org:
    org.staf.device_pin = "1001"
    org.staf.save(update_fields=["device_pin"])
    return org


@pytest.fixture
def terminal(pins: Org) -> Terminal:
    return Terminal.objects.create(serial_number="CKJE201160123", name="Lobi Dinkes", unit=pins.dinkes,
                                   location=pins.loc_dinkes, status=TerminalStatus.ACTIVE,
                                   ip_allowlist="10.20.30.0/24")


def line_now() -> str:
    when = dt.datetime.now(WIB).replace(microsecond=0, tzinfo=None) - dt.timedelta(minutes=5)
    return attlog_line("1001", when) + "\n"


def push(sn: str, *, address: str = OUTSIDE, key: str = "", body: str | None = None, table: str = "ATTLOG",
         **headers: Any) -> Any:
    prefix = f"/iclock/k/{key}" if key else "/iclock"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client(REMOTE_ADDR=address).post(f"{prefix}/cdata?SN={sn}&table={table}&Stamp=1",
                                                line_now() if body is None else body,
                                                content_type="text/plain", **headers)


# (who pushes, allow-list, trusted proxies, X-Forwarded-For, key shown, counted?)
CASES = [
    ("forger outside, known serial and PIN", "10.20.30.0/24", 0, None, "", False),
    ("office LAN, no proxy", "10.20.30.0/24", 0, None, "", True),
    ("forger spoofs the first XFF entry behind one proxy", "10.20.30.0/24", 1, f"{OFFICE}, {OUTSIDE}", "", False),
    ("office behind one proxy (nginx appends the real address)", "10.20.30.0/24", 1, f"1.2.3.4, {OFFICE}", "", True),
    ("XFF ignored when no proxy is trusted", "10.20.30.0/24", 0, OFFICE, "", False),
    ("right push key from anywhere", "10.20.30.0/24", 0, None, "right", True),
    ("wrong push key", "10.20.30.0/24", 0, None, "wrong-key-0123456789", False),
    ("approved without allow-list or key", "", 0, None, "", False),
]


@pytest.mark.parametrize(("who", "allow", "proxies", "xff", "key", "counted"), CASES, ids=[c[0] for c in CASES])
def test_who_may_push(terminal: Terminal, settings: Any, who: str, allow: str, proxies: int, xff: str | None,
                      key: str, counted: bool) -> None:
    settings.HADIR_TERMINAL_TRUSTED_PROXIES = proxies
    terminal.ip_allowlist = allow
    right = terminal.new_push_key()
    terminal.save()
    headers = {"HTTP_X_FORWARDED_FOR": xff} if xff else {}
    # the proxy itself connects from its own address; without a proxy the office LAN connects directly
    address = "127.0.0.1" if proxies else (OFFICE if who.startswith("office") else OUTSIDE)
    resp = push(terminal.serial_number, address=address, key=right if key == "right" else key, **headers)
    if counted:
        assert resp.status_code == 200, resp.content
        assert resp.content == b"OK: 1"
        assert CheckIn.objects.filter(employee__device_pin="1001", source="terminal").count() == 1
    else:
        assert resp.status_code == 403
        assert AttLog.objects.count() == 0
        assert CheckIn.objects.count() == 0


def test_pending_terminal_is_heard_but_never_counted(pins: Org) -> None:
    resp = push("NEWSN0001", address=OFFICE)
    assert resp.status_code == 200
    terminal = Terminal.objects.get(serial_number="NEWSN0001")
    assert terminal.status == TerminalStatus.PENDING
    assert AttLog.objects.filter(terminal=terminal).count() == 1
    assert CheckIn.objects.count() == 0
    # approved by an operator: the address it talked from becomes its allow-list
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.assign_terminal(terminal, unit=pins.dinkes, location=pins.loc_dinkes)
    terminal.refresh_from_db()
    assert terminal.ip_allowlist == OFFICE
    assert push("NEWSN0001", address=OUTSIDE).status_code == 403


def test_unknown_serials_are_rate_limited_and_capped(db: Any, settings: Any) -> None:
    settings.HADIR_TERMINAL_REGISTER_PER_HOUR = 5
    settings.HADIR_TERMINAL_PENDING_MAX = 8
    codes = [push(f"FAKE{n:03d}", address=OUTSIDE).status_code for n in range(100)]
    assert codes[:5] == [200] * 5
    assert set(codes[5:]) == {429}
    # other addresses, until the pending list is full
    codes = [push(f"OTHER{n:03d}", address=f"198.51.100.{n}").status_code for n in range(10)]
    assert codes.count(200) == 3 and set(codes[3:]) == {429}
    assert Terminal.objects.filter(status=TerminalStatus.PENDING).count() == 8
    resp = push("FAKE999", address="198.51.100.200", HTTP_ACCEPT_LANGUAGE="id")
    assert "menunggu penetapan" in resp.content.decode()


def test_registration_networks_from_the_environment(db: Any, settings: Any) -> None:
    settings.HADIR_TERMINAL_REGISTER_NETWORKS = "10.0.0.0/8"
    assert push("STRANGER1", address=OUTSIDE).status_code == 403
    assert push("STRANGER1", address=OFFICE).status_code == 200


def test_oversize_push_is_refused_whole(terminal: Terminal, settings: Any) -> None:
    settings.HADIR_TERMINAL_MAX_BODY_BYTES = 10_000
    settings.HADIR_TERMINAL_MAX_LINES = 100
    big = "OPLOG 4\t0\t2026-11-23 08:00:00\t0\t0\t0\t" + "x" * 20_000 + "\n"
    resp = push(terminal.serial_number, address=OFFICE, body=big, table="OPERLOG")
    assert resp.status_code == 413
    assert "terlalu besar" in resp.content.decode()
    many = line_now() * 101
    resp = push(terminal.serial_number, address=OFFICE, body=many)
    assert resp.status_code == 413
    assert "Terlalu banyak baris" in resp.content.decode()
    assert AttLog.objects.count() == 0 and OperLog.objects.count() == 0


def test_operlog_is_bounded_per_terminal(terminal: Terminal, settings: Any) -> None:
    settings.HADIR_TERMINAL_OPERLOG_KEEP = 50
    for batch in range(3):
        body = "".join(f"OPLOG 4\t0\t2026-11-23 08:{batch:02d}:{n:02d}\t0\t0\t0\t{n}\n" for n in range(40))
        assert push(terminal.serial_number, address=OFFICE, body=body, table="OPERLOG").status_code == 200
    assert OperLog.objects.filter(terminal=terminal).count() == 50
    newest = OperLog.objects.filter(terminal=terminal).order_by("-id").first()
    assert newest is not None and "08:02:39" in newest.raw


def test_pending_terminal_holds_a_bounded_log(db: Any, settings: Any) -> None:
    settings.HADIR_TERMINAL_PENDING_HELD_MAX = 3
    assert push("NEWSN0002", address=OFFICE, body=line_now() * 1).status_code == 200
    body = "".join(attlog_line("1001", dt.datetime(2026, 11, 23, 7, m)) + "\n" for m in range(5))
    assert push("NEWSN0002", address=OFFICE, body=body).status_code == 503
    assert AttLog.objects.count() == 1


def test_operator_makes_a_push_key_shown_once(org: Org, terminal: Terminal) -> None:
    client = Client()
    client.force_login(org.operator_dinkes)
    resp = client.post(f"/api/terminals/{terminal.pk}/push-key")
    assert resp.status_code == 200
    key = resp.json()["push_key"]
    assert resp.json()["path"] == f"/iclock/k/{key}/"
    terminal.refresh_from_db()
    assert key not in terminal.push_key_hash and terminal.push_key_matches(key)
    assert key not in client.get(f"/api/terminals/{terminal.pk}").content.decode()
    assert push(terminal.serial_number, address=OUTSIDE, key=key).status_code == 200
    # a new key retires the old one
    client.post(f"/api/terminals/{terminal.pk}/push-key")
    assert push(terminal.serial_number, address=OUTSIDE, key=key).status_code == 403
    # another OPD's operator cannot
    other = Client()
    other.force_login(org.operator_disdik)
    assert other.post(f"/api/terminals/{terminal.pk}/push-key").status_code == 404
    terminal.refresh_from_db()
    assert terminal.push_key_matches(key) is False and terminal.push_key_hash
