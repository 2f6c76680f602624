"""The ADMS text formats, as pure functions: tables of lines real terminals send."""

from __future__ import annotations

import datetime as dt

import pytest

from hadir.terminals import protocol
from hadir.terminals.health import office_hours_mask, reported_during
from hadir.terminals.models import ip_allowed

T = dt.datetime


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1001\t2026-11-23 07:21:05\t0\t1\t0\t0\t0", ("1001", T(2026, 11, 23, 7, 21, 5), 0, 1, "0")),
        ("1001\t2026-11-23 16:02:00\t1\t15\t\t\t", ("1001", T(2026, 11, 23, 16, 2), 1, 15, "")),
        # extra trailing fields (newer firmwares add mask/temperature columns)
        ("7\t2026-11-23 07:00:00\t0\t1\t0\t0\t0\t0\t36.5\t255", ("7", T(2026, 11, 23, 7), 0, 1, "0")),
        # missing trailing fields
        ("7\t2026-11-23 07:00:00", ("7", T(2026, 11, 23, 7), 0, 0, "")),
        ("7\t2026-11-23 07:00:00\t1", ("7", T(2026, 11, 23, 7), 1, 0, "")),
        # CRLF and spaces around
        ("  42\t2026-11-23 12:30:00\t2\t1\t0\r\n", ("42", T(2026, 11, 23, 12, 30), 2, 1, "0")),
        # space separated (exported files)
        ("42 2026-11-23 12:30:00 3 1", ("42", T(2026, 11, 23, 12, 30), 3, 1, "")),
        ("A17\t2026-01-01 00:00:00\t255\t1", ("A17", T(2026, 1, 1), 255, 1, "")),
    ],
)
def test_good_attlog_lines(line: str, expected: tuple[object, ...]) -> None:
    parsed = protocol.parse_attlog_line(line)
    assert parsed is not None
    assert (parsed.pin, parsed.local_time, parsed.status, parsed.verify, parsed.workcode) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "garbage",
        "1001",
        "1001\tnot-a-date\t0\t1",
        "1001\t2026-13-40 07:00:00\t0\t1",
        "1001\t2026-11-23\t0\t1",
        "\t2026-11-23 07:00:00\t0\t1",
        "10 01\t2026-11-23 07:00:00\t0\t1",
        "1001\t2026-11-23 07:00:00\tX\t1",
        "1001\t2026-11-23 07:00:00\t0\t-1",
        "1001\t2026-11-23 07:00:00\t999\t1",
        "1234567890123456789012345\t2026-11-23 07:00:00\t0\t1",
        "1001\t1970-01-01 00:00:00\t0\t1",
        "<html>oops</html>",
    ],
)
def test_bad_attlog_lines(line: str) -> None:
    assert protocol.parse_attlog_line(line) is None


def test_body_counts_good_lines_and_keeps_them() -> None:
    body = ("1\t2026-11-23 07:01:00\t0\t1\r\n"
            "\r\n"
            "rubbish line\r\n"
            "2\t2026-11-23 07:02:00\t0\t15\t0\t0\r\n"
            "3\tbad date\t0\t1\n")
    good, bad = protocol.parse_attlog(body)
    assert [g.pin for g in good] == ["1", "2"]
    assert bad == ["rubbish line", "3\tbad date\t0\t1"]


@pytest.mark.parametrize(
    ("status", "time", "punch", "checkin"),
    [
        (0, "07:15", "masuk", "masuk"),
        (1, "16:05", "pulang", "pulang"),
        (2, "12:00", "break_out", None),
        (3, "13:00", "break_in", None),
        (4, "17:00", "ot_in", None),
        (5, "21:00", "ot_out", None),
        # no state key: split at noon
        (255, "07:30", "masuk", "masuk"),
        (255, "11:59", "masuk", "masuk"),
        (255, "12:00", "pulang", "pulang"),
        (8, "16:30", "pulang", "pulang"),
    ],
)
def test_status_to_punch_and_checkin_kind(status: int, time: str, punch: str, checkin: str | None) -> None:
    when = dt.datetime.combine(dt.date(2026, 11, 23), dt.time.fromisoformat(time))
    assert protocol.punch_kind(status, when) == punch
    assert protocol.checkin_kind(punch) == checkin


def test_checkin_uuid_is_stable_per_sn_pin_time() -> None:
    a = protocol.checkin_uuid("SN1", "1001", "2026-11-23 07:00:00")
    assert a == protocol.checkin_uuid("SN1", "1001", "2026-11-23 07:00:00")
    assert a != protocol.checkin_uuid("SN2", "1001", "2026-11-23 07:00:00")
    assert a != protocol.checkin_uuid("SN1", "1002", "2026-11-23 07:00:00")
    assert a != protocol.checkin_uuid("SN1", "1001", "2026-11-23 07:00:01")


@pytest.mark.parametrize(
    ("tz", "local", "utc"),
    [
        ("Asia/Jakarta", T(2026, 11, 23, 7, 0), T(2026, 11, 23, 0, 0, tzinfo=dt.UTC)),
        ("Asia/Makassar", T(2026, 11, 23, 7, 0), T(2026, 11, 22, 23, 0, tzinfo=dt.UTC)),
        ("Asia/Jayapura", T(2026, 11, 23, 7, 0), T(2026, 11, 22, 22, 0, tzinfo=dt.UTC)),
    ],
)
def test_local_time_to_utc(tz: str, local: dt.datetime, utc: dt.datetime) -> None:
    assert protocol.to_utc(local, tz) == utc


def test_option_block() -> None:
    text = protocol.format_options(protocol.Options(sn="ABC123", attlog_stamp="500", operlog_stamp="7",
                                                    attphoto_stamp="0", tz_hours=8))
    lines = text.splitlines()
    assert lines[0] == "GET OPTION FROM: ABC123"
    opts = dict(line.split("=", 1) for line in lines[1:])
    assert opts["ATTLOGStamp"] == "500"
    assert opts["OPERLOGStamp"] == "7"
    assert opts["TimeZone"] == "8"
    assert opts["Realtime"] == "1"
    assert opts["Encrypt"] == "None"
    assert set(opts) >= {"ErrorDelay", "Delay", "TransTimes", "TransInterval", "TransFlag", "ATTPHOTOStamp"}


def test_devicecmd_results_with_info_answer() -> None:
    body = ("ID=3&Return=0&CMD=DATA\n"
            "ID=4&Return=-1002&CMD=REBOOT\n"
            "ID=5&Return=0&CMD=INFO\n~DeviceName=X628\nFWVersion=Ver 8.0.4\nUserCount=120\n"
            "ID=oops&Return=0&CMD=DATA\n")
    results = protocol.parse_devicecmd(body)
    assert [(r.command_id, r.return_code, r.cmd) for r in results] == [(3, 0, "DATA"), (4, -1002, "REBOOT"),
                                                                       (5, 0, "INFO")]
    assert protocol.parse_info_lines(results[2].extra) == {"DeviceName": "X628", "FWVersion": "Ver 8.0.4",
                                                           "UserCount": "120"}


def test_getrequest_info_fields() -> None:
    info = protocol.parse_getrequest_info("Ver 6.60 Apr 28 2017,12,10,3456,192.168.1.201,10")
    assert info == {"firmware": "Ver 6.60 Apr 28 2017", "user_count": "12", "fp_count": "10",
                    "attlog_count": "3456", "ip": "192.168.1.201", "fp_version": "10"}


def test_user_update_command_cannot_be_injected() -> None:
    cmd = protocol.user_update_command("1001", "Budi\tPri=14\nC:9:REBOOT")
    assert "\n" not in cmd
    assert cmd.startswith("DATA UPDATE USERINFO PIN=1001\tName=Budi Pri=14 C:9:REBOOT\tPri=0\t")


@pytest.mark.parametrize(
    ("allow", "ip", "ok"),
    [
        ("", "203.0.113.9", True),
        ("10.1.2.3", "10.1.2.3", True),
        ("10.1.2.3", "10.1.2.4", False),
        ("192.168.10.0/24, 10.1.2.3", "192.168.10.77", True),
        ("192.168.10.0/24\n10.1.2.3", "192.168.11.1", False),
        ("192.168.10.0/24", "not-an-ip", False),
        ("garbage", "10.0.0.1", False),
        ("::1", "::1", True),
    ],
)
def test_ip_allowlist(allow: str, ip: str, ok: bool) -> None:
    assert ip_allowed(allow, ip) is ok


@pytest.mark.parametrize(
    ("hours", "start", "end", "reported"),
    [
        ([8], "07:30", "16:00", True),
        ([7], "07:30", "16:00", True),   # 07:10 contact: the hour overlaps office hours
        ([15], "07:30", "16:00", True),
        ([16], "07:30", "16:00", False),  # 16:xx is after 16:00
        ([5, 6, 17, 22], "07:30", "16:00", False),
        ([], "07:30", "16:00", False),
        ([16], "07:30", "16:30", True),
        ([0], "00:00", "08:00", True),
        ([23], "19:00", "23:59", True),
    ],
)
def test_reported_during_office_hours(hours: list[int], start: str, end: str, reported: bool) -> None:
    mask = sum(1 << h for h in hours)
    assert reported_during(mask, dt.time.fromisoformat(start), dt.time.fromisoformat(end)) is reported


def test_office_hours_mask_bits() -> None:
    assert office_hours_mask(dt.time(7, 30), dt.time(16, 0)) == sum(1 << h for h in range(7, 16))


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2026-11-23 07:00:00", True), ("2026-11-23T07:00:00", False), ("2026-11-23 07:00+07", False),
     ("2026-11-23 7:00:00 ", False), ("2026-02-30 07:00:00", False), ("٢٠٢٦-11-23 07:00:00", False),
     ("2026-11-23 24:00:00", False)],
)
def test_local_time_shape(text: str, ok: bool) -> None:
    assert (protocol.parse_local_time(text) is not None) is ok


def test_blank_status_columns_default_to_zero() -> None:
    parsed = protocol.parse_attlog_line("5\t2026-11-23 07:00:00\t \t ")
    assert parsed is not None and (parsed.status, parsed.verify) == (0, 0)
