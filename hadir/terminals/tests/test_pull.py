"""Pull mode (pyzk) with a fake ZK connection object; `hadir terminals` subcommands."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hadir.terminals import pull
from hadir.terminals.models import AttLog, AttLogState, Terminal, TerminalStatus
from hadir.testing import Org

pytestmark = pytest.mark.django_db


class FakeConn:
    def __init__(self, records: list[Any]) -> None:
        self.records = records
        self.calls: list[str] = []

    def disable_device(self) -> None:
        self.calls.append("disable")

    def enable_device(self) -> None:
        self.calls.append("enable")

    def disconnect(self) -> None:
        self.calls.append("disconnect")

    def get_firmware_version(self) -> str:
        return "Ver 6.21 Nov 19 2008"

    def get_attendance(self) -> list[Any]:
        self.calls.append("attendance")
        return self.records


class FakeZK:
    """Stands in for zk.ZK: records how it was built, hands out the FakeConn."""

    made: list[dict[str, Any]] = []

    def __init__(self, conn: FakeConn | None, fail: bool = False) -> None:
        self.conn, self.fail = conn, fail

    def __call__(self, host: str, **kw: Any) -> FakeZK:
        FakeZK.made.append({"host": host, **kw})
        return self

    def connect(self) -> FakeConn:
        if self.fail or self.conn is None:
            raise OSError("timed out")
        return self.conn


def rec(pin: int, when: dt.datetime, punch: int = 0, status: int = 1) -> SimpleNamespace:
    return SimpleNamespace(user_id=str(pin), timestamp=when, status=status, punch=punch, uid=pin)


@pytest.mark.parametrize(
    ("address", "expected"),
    [("10.0.0.9", ("10.0.0.9", 4370)), ("10.0.0.9:5005", ("10.0.0.9", 5005)), (" host.lan:4370 ", ("host.lan", 4370))],
)
def test_split_address(address: str, expected: tuple[str, int]) -> None:
    assert pull.split_address(address) == expected


@pytest.mark.parametrize("address", [":4370", "10.0.0.9:abc", "10.0.0.9:70000"])
def test_bad_addresses(address: str) -> None:
    with pytest.raises(pull.PullError):
        pull.split_address(address)


def test_pull_stores_once_and_restores_the_device(org: Org, fake_pipeline: Any,
                                                  django_capture_on_commit_callbacks: Any) -> None:
    org.staf.device_pin = "15"
    org.staf.save()
    t = Terminal.objects.create(serial_number="OLD1", unit=org.dinkes, location=org.loc_dinkes,
                                status=TerminalStatus.ACTIVE, pull_address="10.0.0.9:4370", pull_password=123)
    conn = FakeConn([rec(15, dt.datetime(2026, 11, 23, 7, 2, 11)), rec(15, dt.datetime(2026, 11, 23, 16, 1), 1),
                     rec(99, dt.datetime(2026, 11, 23, 7, 30)), SimpleNamespace(user_id="1", timestamp=None)])
    with django_capture_on_commit_callbacks(execute=True):
        assert pull.pull_terminal(t, factory=FakeZK(conn)) == 3
    assert conn.calls == ["disable", "attendance", "enable", "disconnect"]
    assert FakeZK.made[-1]["host"] == "10.0.0.9" and FakeZK.made[-1]["password"] == 123
    assert sorted(AttLog.objects.values_list("pin", "punch", "state")) == [
        ("15", "masuk", AttLogState.CONVERTED), ("15", "pulang", AttLogState.CONVERTED),
        ("99", "masuk", AttLogState.UNMAPPED)]
    # pulling again (the terminal still holds everything) stores nothing new
    with django_capture_on_commit_callbacks(execute=True):
        assert pull.pull_terminal(t, factory=FakeZK(FakeConn(conn.records))) == 0
    assert AttLog.objects.count() == 3
    t.refresh_from_db()
    assert t.firmware == "Ver 6.21 Nov 19 2008" and t.last_seen is not None


def test_pull_connection_failure(org: Org) -> None:
    t = Terminal.objects.create(serial_number="OLD2", pull_address="10.0.0.10")
    with pytest.raises(pull.PullError, match="Tidak dapat terhubung"):
        pull.pull_terminal(t, factory=FakeZK(None, fail=True))


def test_command_pull_uses_pyzk(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = FakeConn([rec(1, dt.datetime(2026, 11, 23, 7, 0))])
    monkeypatch.setattr(pull, "default_factory", lambda: FakeZK(conn))
    out = StringIO()
    call_command("terminals", "pull", "--sn", "OLD3", "--address", "10.0.0.11", stdout=out)
    assert "OLD3: 1 log baru (ditahan" in out.getvalue()
    assert AttLog.objects.get().state == AttLogState.HELD  # unknown SN: registered pending, held
    assert Terminal.objects.get(serial_number="OLD3").pull_address == "10.0.0.11"
    with pytest.raises(CommandError):
        call_command("terminals", "pull", "--sn", "NOPE", stdout=StringIO())


def test_command_other_actions(org: Org) -> None:
    out = StringIO()
    call_command("terminals", "down-days", "--date", "2026-11-23", stdout=out)
    call_command("terminals", "convert", stdout=out)
    call_command("terminals", "offline", stdout=out)
    assert "hari mesin mati" in out.getvalue()


def test_pyzk_is_importable_when_installed() -> None:
    zk = pytest.importorskip("zk")
    assert pull.default_factory() is zk.ZK
