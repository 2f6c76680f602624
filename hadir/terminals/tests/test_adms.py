"""The ADMS endpoints, driven by the simulated terminal through Django's test client (in-process, fast).

The same simulator over real HTTP against a live server: test_adms_http.py."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, TestCase

from hadir.presence.models import CheckIn
from hadir.terminals import services
from hadir.terminals.models import (
    AttLog,
    AttLogState,
    CommandStatus,
    OperLog,
    Terminal,
    TerminalActivity,
    TerminalCommand,
    TerminalPin,
    TerminalStatus,
)
from hadir.terminals.simulator import Reply, SimulatedTerminal, attlog_line
from hadir.testing import Org

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hadir.terminals.tests.urls")]

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _day() -> dt.date:
    return dt.datetime.now(WIB).date()


def _at(hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime.combine(_day(), dt.time(hh, mm, ss))


@pytest.fixture
def pins(org: Org) -> Org:
    for emp, pin in [(org.staf, "1001"), (org.kabid, "1002"), (org.sekretaris, "1003"), (org.guru, "2001")]:
        emp.device_pin = pin
        emp.save(update_fields=["device_pin"])
    return org


@pytest.fixture
def active_terminal(pins: Org) -> Terminal:
    t = Terminal.objects.create(serial_number="CKJE201160123", name="Lobi Dinkes", unit=pins.dinkes,
                                location=pins.loc_dinkes, status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
    return t


class ClientTerminal(SimulatedTerminal):
    """The simulator with Django's test client as transport; after-commit work (the conversion task)
    runs at the end of each request as it would after a real commit."""

    def request(self, method: str, path: str, params: dict[str, str], body: str | bytes = "") -> Reply:
        client = Client(REMOTE_ADDR="127.0.0.1")
        with TestCase.captureOnCommitCallbacks(execute=True):
            resp = client.generic(method, f"{path}?{urlencode(params)}", body, content_type="text/plain",
                                  HTTP_USER_AGENT="iClock Proxy/1.09")
        return Reply(resp.status_code, resp.content.decode())


def sim(sn: str) -> SimulatedTerminal:
    return ClientTerminal("http://testserver", sn)


def test_handshake_answers_the_option_block(active_terminal: Terminal) -> None:
    Terminal.objects.filter(pk=active_terminal.pk).update(attlog_stamp="9876", operlog_stamp="55")
    term = sim(active_terminal.serial_number)
    reply = term.handshake()
    assert reply.status == 200
    lines = reply.body.splitlines()
    assert lines[0] == f"GET OPTION FROM: {active_terminal.serial_number}"
    assert term.options["ATTLOGStamp"] == "9876"
    assert term.options["OPERLOGStamp"] == "55"
    assert term.options["TimeZone"] == "7"
    assert term.options["Realtime"] == "1"
    for key in ["ATTPHOTOStamp", "ErrorDelay", "Delay", "TransTimes", "TransInterval", "TransFlag", "Encrypt"]:
        assert key in term.options
    active_terminal.refresh_from_db()
    assert active_terminal.last_seen is not None
    assert active_terminal.push_version == "2.4.1"
    assert TerminalActivity.objects.filter(terminal=active_terminal).count() == 1


def test_push_garbage_and_repush(active_terminal: Terminal, fake_pipeline: Any) -> None:
    term = sim(active_terminal.serial_number)
    term.handshake()
    lines = [
        attlog_line("1001", _at(7, 21, 5), 0, 1),
        "this is not a log line",
        attlog_line("1002", _at(7, 25), 0, 15),
        "",
        "1003\t2026-99-99 07:00:00\t0\t1",
        attlog_line("1003", _at(12, 0), 2, 1),     # break out: kept, not a check-in
        attlog_line("9999", _at(7, 40), 0, 1),     # nobody has this PIN
        attlog_line("1001", _at(16, 5), 1, 1),
    ]
    reply = term.push_attlog(lines, stamp="1700000000")
    assert (reply.status, reply.body) == (200, "OK: 5")
    assert AttLog.objects.count() == 5
    states = dict(AttLog.objects.values_list("pin", "state").filter(pin__in=["1002", "9999"]))
    assert states == {"1002": AttLogState.CONVERTED, "9999": AttLogState.UNMAPPED}
    assert AttLog.objects.get(pin="1003").state == AttLogState.IGNORED
    checkins = CheckIn.objects.order_by("occurred_at")
    assert [(c.employee.device_pin, c.kind, c.source) for c in checkins] == [
        ("1001", "masuk", "terminal"), ("1002", "masuk", "terminal"), ("1001", "pulang", "terminal")]
    first = checkins[0]
    assert first.occurred_at == _at(7, 21, 5).replace(tzinfo=WIB)
    assert first.terminal_sn == active_terminal.serial_number
    assert first.location_id == active_terminal.location_id
    active_terminal.refresh_from_db()
    assert active_terminal.attlog_stamp == "1700000000"

    # The same lines again (a terminal re-sends when it missed our answer): stored once, no new check-ins.
    reply = term.push_attlog(lines, stamp="1700000000")
    assert (reply.status, reply.body) == (200, "OK: 5")
    assert AttLog.objects.count() == 5
    assert CheckIn.objects.count() == 3
    # Handshake now tells the terminal where we are.
    assert term.handshake().body.count("ATTLOGStamp=1700000000") == 1

    # An employee gets PIN 9999 later: the unmapped line is requeued and converted.
    org_emp = CheckIn.objects.first().employee  # type: ignore[union-attr]
    TerminalPin.objects.create(terminal=active_terminal, pin="9999", employee=org_emp)
    assert services.requeue_unmapped() == 1
    assert services.convert_queued() == 1
    assert CheckIn.objects.count() == 4


def test_unknown_sn_is_pending_and_held_until_assigned(pins: Org, fake_pipeline: Any) -> None:
    term = sim("NEWSN0001")
    assert term.handshake().status == 200
    terminal = Terminal.objects.get(serial_number="NEWSN0001")
    assert terminal.status == TerminalStatus.PENDING
    # Held lines are in the terminal's wall clock; assigned later to a WITA location.
    reply = term.push_attlog([attlog_line("1001", _at(7, 30)), attlog_line("1002", _at(7, 45)), "junk"])
    assert reply.body == "OK: 2"
    assert set(AttLog.objects.values_list("state", flat=True)) == {AttLogState.HELD}
    assert CheckIn.objects.count() == 0
    assert fake_pipeline.calls == []

    pins.loc_dinkes.timezone = "Asia/Makassar"
    pins.loc_dinkes.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        released = services.assign_terminal(terminal, unit=pins.dinkes, location=pins.loc_dinkes, name="Mesin baru")
    assert released == 2
    assert set(AttLog.objects.values_list("state", flat=True)) == {AttLogState.CONVERTED}
    row = CheckIn.objects.get(employee__device_pin="1001")
    # 07:30 WITA = 23:30 UTC the day before
    assert row.occurred_at == _at(7, 30).replace(tzinfo=zoneinfo.ZoneInfo("Asia/Makassar"))
    terminal.refresh_from_db()
    assert terminal.timezone == "Asia/Makassar"
    assert term.handshake().body.splitlines().count("TimeZone=8") == 1


def test_url_variants_real_devices_send(active_terminal: Terminal, fake_pipeline: Any) -> None:
    term = sim(active_terminal.serial_number)
    for path in ["/iclock/cdata", "/iclock/cdata.aspx", "/iclock/cdata/"]:
        assert term.request("GET", path, {"SN": term.sn, "options": "all"}).body.startswith("GET OPTION FROM")
    reply = term.push_attlog([attlog_line("1001", _at(7, 1))], path="/iclock/cdata.aspx")
    assert reply.body == "OK: 1"
    for path in ["/iclock/getrequest", "/iclock/getrequest.aspx", "/iclock/getrequest/"]:
        assert term.request("GET", path, {"SN": term.sn}).body == "OK"
    for path in ["/iclock/devicecmd", "/iclock/devicecmd.aspx", "/iclock/devicecmd/"]:
        assert term.request("POST", path, {"SN": term.sn}, "ID=1&Return=0&CMD=DATA\n").body == "OK"
    assert term.request("GET", "/iclock/ping", {"SN": term.sn}).body == "OK"


def test_command_queue_round_trip(active_terminal: Terminal, pins: Org) -> None:
    term = sim(active_terminal.serial_number)
    assert term.poll().body == "OK"
    reboot = services.queue_command(active_terminal, "REBOOT")
    info = services.queue_command(active_terminal, "INFO")
    users = services.queue_user_sync(active_terminal, [pins.staf, pins.kadis])  # kadis has no PIN
    assert len(users) == 1
    reply = term.poll()
    assert reply.body.splitlines() == [
        f"C:{reboot.pk}:REBOOT",
        f"C:{info.pk}:INFO",
        f"C:{users[0].pk}:DATA UPDATE USERINFO PIN=1001\tName=Dewi Lestari\tPri=0\tPasswd=\tCard=\tGrp=1\t"
        "TZ=0000000100000000\tVerify=0",
    ]
    assert set(TerminalCommand.objects.values_list("status", flat=True)) == {CommandStatus.SENT}
    assert term.poll().body == "OK"  # handed out once
    reply = term.report([(reboot.pk, 0, "REBOOT"), (users[0].pk, -1002, "DATA")])
    assert reply.body == "OK"
    reply = term.report([(info.pk, 0, "INFO")], extra="~DeviceName=SpeedFace-V5L\nFWVersion=ZAM180-NF\n")
    cmds = {c.pk: c for c in TerminalCommand.objects.all()}
    assert (cmds[reboot.pk].status, cmds[reboot.pk].return_code) == (CommandStatus.DONE, 0)
    assert (cmds[users[0].pk].status, cmds[users[0].pk].return_code) == (CommandStatus.FAILED, -1002)
    assert cmds[info.pk].status == CommandStatus.DONE
    active_terminal.refresh_from_db()
    assert active_terminal.info["DeviceName"] == "SpeedFace-V5L"
    assert active_terminal.firmware == "ZAM180-NF"
    # The getrequest INFO parameter was recorded too.
    assert active_terminal.info["user_count"] == "12"


def test_ip_allowlist_refuses_other_addresses(active_terminal: Terminal) -> None:
    active_terminal.ip_allowlist = "10.20.30.0/24"
    active_terminal.save()
    term = sim(active_terminal.serial_number)
    reply = term.handshake()
    assert reply.status == 403
    assert "IP" in reply.body
    assert term.push_attlog([attlog_line("1001", _at(7, 0))]).status == 403
    assert AttLog.objects.count() == 0
    active_terminal.refresh_from_db()
    assert active_terminal.last_seen is None
    active_terminal.ip_allowlist = "10.20.30.0/24, 127.0.0.1"
    active_terminal.save()
    assert term.handshake().status == 200


def test_disabled_terminal_is_refused_and_keeps_its_log(active_terminal: Terminal) -> None:
    Terminal.objects.filter(pk=active_terminal.pk).update(status=TerminalStatus.DISABLED)
    term = sim(active_terminal.serial_number)
    assert term.push_attlog([attlog_line("1001", _at(7, 0))]).status == 403
    assert AttLog.objects.count() == 0


def test_bad_serial_is_a_400(db: Any) -> None:
    term = sim("")
    assert term.handshake().status == 400
    term = sim("../../etc/passwd")
    assert term.handshake().status == 400
    assert Terminal.objects.count() == 0


def test_operlog_is_stored_without_biometric_templates(active_terminal: Terminal) -> None:
    term = sim(active_terminal.serial_number)
    reply = term.push_operlog([
        "OPLOG 4\t0\t2026-11-23 08:00:00\t0\t0\t0\t0",
        "USER PIN=1001\tName=Dewi\tPri=0\tPasswd=\tCard=\tGrp=1",
        "FP PIN=1001\tFID=6\tSize=1024\tValid=1\tTMP=SecretTemplateBase64==",
    ], stamp="321")
    assert reply.body == "OK: 3"
    kinds = list(OperLog.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["OPLOG", "USER", "FP"]
    fp = OperLog.objects.get(kind="FP")
    assert "SecretTemplate" not in fp.raw and "TMP=[dihapus]" in fp.raw
    active_terminal.refresh_from_db()
    assert active_terminal.operlog_stamp == "321"


def test_real_pipeline_makes_terminal_checkins(active_terminal: Terminal) -> None:
    """End to end through hadir.presence.pipeline."""
    term = sim(active_terminal.serial_number)
    now = dt.datetime.now(WIB).replace(microsecond=0, tzinfo=None) - dt.timedelta(minutes=5)
    lines = [attlog_line("1001", now, 0), attlog_line("1002", now, 1)]
    assert term.push_attlog(lines).body == "OK: 2"
    assert term.push_attlog(lines).body == "OK: 2"
    rows = list(CheckIn.objects.filter(source="terminal").order_by("kind"))
    assert [(r.employee.device_pin, r.kind) for r in rows] == [("1001", "masuk"), ("1002", "pulang")]
    assert all(r.terminal_sn == active_terminal.serial_number for r in rows)
    assert set(AttLog.objects.values_list("state", flat=True)) == {AttLogState.CONVERTED}
    assert set(AttLog.objects.values_list("checkin_id", flat=True)) == {r.pk for r in rows}


def test_registration_can_be_limited_to_the_intranet(db: Any, settings: Any) -> None:
    settings.HADIR_TERMINAL_REGISTER_NETWORKS = "10.0.0.0/8"
    assert sim("STRANGER1").handshake().status == 403
    assert not Terminal.objects.filter(serial_number="STRANGER1").exists()
    settings.HADIR_TERMINAL_REGISTER_NETWORKS = "10.0.0.0/8, 127.0.0.0/8"
    assert sim("STRANGER1").handshake().status == 200
    assert Terminal.objects.get(serial_number="STRANGER1").status == TerminalStatus.PENDING
