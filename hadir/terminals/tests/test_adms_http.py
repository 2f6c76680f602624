"""A simulated terminal speaking ADMS over real HTTP (live_server + http.client), end to end.

Few, long scenarios on purpose: every live-server test pays a full database flush."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from hadir.presence.models import CheckIn
from hadir.terminals import services
from hadir.terminals.models import AttLog, AttLogState, CommandStatus, Terminal, TerminalCommand, TerminalStatus
from hadir.terminals.simulator import SimulatedTerminal, attlog_line
from hadir.testing import Org

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("hadir.terminals.tests.urls")]

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _at(hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.datetime.now(WIB).date(), dt.time(hh, mm))


@pytest.fixture
def pins(org: Org) -> Org:
    for emp, pin in [(org.staf, "1001"), (org.kabid, "1002")]:
        emp.device_pin = pin
        emp.save(update_fields=["device_pin"])
    return org


def test_terminal_day_over_http(live_server: Any, pins: Org, fake_pipeline: Any) -> None:
    Terminal.objects.create(serial_number="CKJE201160123", name="Lobi", unit=pins.dinkes, location=pins.loc_dinkes,
                            status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
    term = SimulatedTerminal(live_server.url, "CKJE201160123")
    # handshake
    reply = term.handshake()
    assert reply.status == 200 and reply.body.startswith("GET OPTION FROM: CKJE201160123\n")
    assert term.options["ATTLOGStamp"] == "0" and term.options["TimeZone"] == "7"
    # push with garbage and blank lines, CRLF
    body = [attlog_line("1001", _at(7, 5)), "garbage\r", "", attlog_line("1002", _at(7, 9), 0, 15) + "\r",
            "1002\t2026-02-30 07:00:00\t0\t1", attlog_line("1001", _at(16, 2), 1)]
    reply = term.push_attlog(body, stamp="555", path="/iclock/cdata.aspx")
    assert (reply.status, reply.body) == (200, "OK: 3")
    assert AttLog.objects.count() == 3
    assert CheckIn.objects.filter(source="terminal").count() == 3
    # re-push: stored once, no new check-ins, still acknowledged
    assert term.push_attlog(body, stamp="555").body == "OK: 3"
    assert AttLog.objects.count() == 3 and CheckIn.objects.count() == 3
    assert term.handshake().body.splitlines()[1] == "ATTLOGStamp=555"
    # command queue round trip
    cmd = services.queue_command(Terminal.objects.get(), "INFO")
    assert term.poll().body == f"C:{cmd.pk}:INFO\n"
    assert term.poll().body == "OK"
    assert term.report([(cmd.pk, 0, "INFO")], extra="~DeviceName=MB460\n").body == "OK"
    cmd.refresh_from_db()
    assert cmd.status == CommandStatus.DONE and "DeviceName=MB460" in cmd.result
    assert Terminal.objects.get().info["DeviceName"] == "MB460"
    term.close()


def test_unknown_serial_and_ip_allowlist_over_http(live_server: Any, pins: Org, fake_pipeline: Any) -> None:
    term = SimulatedTerminal(live_server.url, "FRESH0001")
    assert term.handshake().status == 200
    assert term.push_attlog([attlog_line("1001", _at(7, 30)), "junk"]).body == "OK: 1"
    terminal = Terminal.objects.get(serial_number="FRESH0001")
    assert terminal.status == TerminalStatus.PENDING
    assert AttLog.objects.get().state == AttLogState.HELD and CheckIn.objects.count() == 0
    assert services.assign_terminal(terminal, unit=pins.dinkes, location=pins.loc_dinkes,
                                    ip_allowlist="192.168.7.0/24") == 1
    # released after commit: the pending line became a check-in
    assert AttLog.objects.get().state == AttLogState.CONVERTED and CheckIn.objects.count() == 1
    # the allow-list now refuses 127.0.0.1
    assert term.push_attlog([attlog_line("1002", _at(7, 31))]).status == 403
    assert AttLog.objects.count() == 1
    term.close()


def test_real_pipeline_over_http(live_server: Any, pins: Org) -> None:
    """End to end through hadir.presence.pipeline."""
    Terminal.objects.create(serial_number="REAL1", unit=pins.dinkes, location=pins.loc_dinkes,
                            status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
    term = SimulatedTerminal(live_server.url, "REAL1")
    now = dt.datetime.now(WIB).replace(microsecond=0, tzinfo=None) - dt.timedelta(minutes=3)
    lines = [attlog_line("1001", now, 0), attlog_line("1002", now, 1)]
    assert term.push_attlog(lines).body == "OK: 2"
    assert term.push_attlog(lines).body == "OK: 2"
    rows = list(CheckIn.objects.filter(source="terminal").order_by("kind"))
    assert [(r.employee.device_pin, r.kind, r.terminal_sn) for r in rows] == [("1001", "masuk", "REAL1"),
                                                                              ("1002", "pulang", "REAL1")]
    assert set(AttLog.objects.values_list("checkin_id", flat=True)) == {r.pk for r in rows}
    assert TerminalCommand.objects.count() == 0
    term.close()
