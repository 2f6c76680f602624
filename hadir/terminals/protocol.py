"""The ADMS ("iclock", push) protocol spoken by ZKTeco terminals: pure parsing and formatting.

No ORM here; the views call these and store the results.

ATTLOG line (tab separated):  PIN  YYYY-MM-DD HH:MM:SS  status  verify  workcode  reserved…
  status: 0 check-in, 1 check-out, 2 break-out, 3 break-in, 4 overtime-in, 5 overtime-out
  verify: 0 password, 1 fingerprint, 2 card, 15 face, …
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import parse_qsl

# Fixed namespace so that the CheckIn made from a log line is the same on every push:
# uuid5(TERMINAL_NAMESPACE, f"{sn}|{pin}|{local time}").
TERMINAL_NAMESPACE = uuid.UUID("6f0d3c1e-5a7b-4c1e-9a55-0b1d7c2e8f41")

MAX_PIN_LENGTH = 24
MAX_RAW_LENGTH = 255

VERIFY_NAMES: dict[int, str] = {
    0: "kata sandi",
    1: "sidik jari",
    2: "kartu",
    3: "kata sandi",
    4: "kartu",
    9: "sidik jari + kartu",
    15: "wajah",
    25: "telapak tangan",
}

# status → punch kind (hadir.terminals.models.PunchKind values)
STATUS_PUNCH: dict[int, str] = {
    0: "masuk",
    1: "pulang",
    2: "break_out",
    3: "break_in",
    4: "ot_in",
    5: "ot_out",
}
# Which punch kinds become a presence check-in, and of which CheckIn kind.
PUNCH_CHECKIN_KIND: dict[str, str] = {"masuk": "masuk", "pulang": "pulang"}


class AttLine(NamedTuple):
    pin: str
    local_time: dt.datetime  # naive: the terminal's wall clock
    status: int
    verify: int
    workcode: str
    raw: str
    local_time_text: str  # "YYYY-MM-DD HH:MM:SS", the identity of the line


def parse_local_time(text: str) -> dt.datetime | None:
    """Exactly 'YYYY-MM-DD HH:MM:SS' → naive datetime, or None."""
    if (len(text) != 19 or text[4] != "-" or text[7] != "-" or text[10] != " " or text[13] != ":"
            or text[16] != ":" or not text.isascii()):
        return None
    try:
        when = dt.datetime.fromisoformat(text)  # C-fast; the shape check above keeps it to one format
    except ValueError:
        return None
    return when if when.tzinfo is None else None


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)  # int() itself ignores surrounding whitespace
    except ValueError:
        if not text.strip():
            return default
        raise


def parse_attlog_line(line: str) -> AttLine | None:
    """One ATTLOG line → AttLine, or None when it is not a valid attendance line.

    Tolerates extra trailing fields, missing status/verify/workcode (default 0/0/""), spaces
    instead of tabs between date and time, and surrounding whitespace.
    """
    line = line.strip("\r\n\x00 ")
    if not line:
        return None
    parts = line.split("\t")
    if len(parts) == 1:
        # Some firmwares (and hand-made files) separate with runs of spaces: PIN DATE TIME [status …]
        words = line.split()
        if len(words) < 3:
            return None
        parts = [words[0], f"{words[1]} {words[2]}", *words[3:]]
    pin = parts[0].strip()
    if not pin or len(pin) > MAX_PIN_LENGTH or not pin.isalnum():
        return None
    text = parts[1].strip() if len(parts) > 1 else ""
    when = parse_local_time(text)
    if when is None or when.year < 2000:
        return None
    try:
        status = _int(parts[2]) if len(parts) > 2 else 0
        verify = _int(parts[3]) if len(parts) > 3 else 0
    except ValueError:
        return None
    if not (0 <= status <= 255 and 0 <= verify <= 255):
        return None
    workcode = parts[4].strip()[:16] if len(parts) > 4 else ""
    return AttLine(pin=pin, local_time=when, status=status, verify=verify, workcode=workcode,
                   raw=line[:MAX_RAW_LENGTH], local_time_text=text)


def parse_attlog(body: str) -> tuple[list[AttLine], list[str]]:
    """A POSTed ATTLOG body → (good lines, bad non-blank lines). CRLF and blank lines are fine."""
    good: list[AttLine] = []
    bad: list[str] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        parsed = parse_attlog_line(line)
        if parsed is None:
            bad.append(line)
        else:
            good.append(parsed)
    return good, bad


def punch_kind(status: int, local_time: dt.datetime, noon: dt.time = dt.time(12, 0)) -> str:
    """The punch kind of an ATTLOG status. Terminals without a state key send 255 (or other
    values): such a punch counts as masuk before `noon` and pulang after it."""
    known = STATUS_PUNCH.get(status)
    if known is not None:
        return known
    return "masuk" if local_time.time() < noon else "pulang"


def checkin_kind(punch: str) -> str | None:
    """The presence CheckIn kind a punch becomes, or None (breaks, overtime: kept, not a check-in)."""
    return PUNCH_CHECKIN_KIND.get(punch)


def checkin_uuid(sn: str, pin: str, local_time_text: str) -> uuid.UUID:
    return uuid.uuid5(TERMINAL_NAMESPACE, f"{sn}|{pin}|{local_time_text}")


def to_utc(local_time: dt.datetime, tz: str) -> dt.datetime:
    """Terminal wall-clock time → aware UTC (Indonesian zones have no DST: no ambiguity)."""
    return local_time.replace(tzinfo=zoneinfo.ZoneInfo(tz)).astimezone(dt.UTC)


def utc_converter(tz: str) -> Callable[[dt.datetime], dt.datetime]:
    """A fast to_utc for many lines of one terminal: a fixed offset when the zone has no DST."""
    zone = zoneinfo.ZoneInfo(tz)
    probes = {zone.utcoffset(dt.datetime(2026, m, 1)) for m in (1, 4, 7, 10)}
    if len(probes) != 1:
        return lambda local: to_utc(local, tz)
    offset = probes.pop() or dt.timedelta(0)
    return lambda local: (local - offset).replace(tzinfo=dt.UTC)


def parse_operlog(body: str) -> list[tuple[str, str]]:
    """OPERLOG body → [(kind, line)]: kind is the first word (OPLOG, USER, FP, FACE, BIODATA, …)."""
    rows: list[tuple[str, str]] = []
    for line in body.splitlines():
        line = line.strip("\r\n\x00 ")
        if not line:
            continue
        kind = line.split(None, 1)[0][:20]
        rows.append((kind, line))
    return rows


@dataclass(frozen=True)
class CommandResult:
    command_id: int
    return_code: int | None
    cmd: str
    extra: str  # any lines that followed (INFO answers key=value lines)


def parse_devicecmd(body: str) -> list[CommandResult]:
    """POST /iclock/devicecmd body → results. Each result starts with `ID=..&Return=..&CMD=..`;
    the lines after it (until the next ID=) belong to it (e.g. the INFO answer)."""
    results: list[CommandResult] = []
    current: dict[str, str] | None = None
    extra: list[str] = []

    def flush() -> None:
        if current is None:
            return
        try:
            cid = int(current.get("ID", "").strip())
        except ValueError:
            return
        try:
            code: int | None = int(current.get("Return", "").strip())
        except ValueError:
            code = None
        results.append(CommandResult(cid, code, current.get("CMD", "").strip(), "\n".join(extra)))

    for line in body.splitlines():
        stripped = line.strip("\r\n\x00 ")
        if not stripped:
            continue
        if stripped.startswith("ID="):
            flush()
            current = dict(parse_qsl(stripped, keep_blank_values=True))
            extra = []
        else:
            extra.append(stripped.lstrip("~"))
    flush()
    return results


def parse_info_lines(text: str) -> dict[str, str]:
    """`Key=Value` lines (INFO answers, table=options posts, comma separated too) → dict."""
    info: dict[str, str] = {}
    for chunk in text.replace(",", "\n").splitlines():
        chunk = chunk.strip().lstrip("~")
        if "=" in chunk:
            key, value = chunk.split("=", 1)
            if key.strip():
                info[key.strip()[:40]] = value.strip()[:200]
    return info


INFO_FIELDS = ["firmware", "user_count", "fp_count", "attlog_count", "ip", "fp_version", "face_version",
               "face_enrolled", "face_count", "function"]


def parse_getrequest_info(info: str) -> dict[str, str]:
    """The INFO= query value of getrequest: 'Ver 6.60 Apr 28 2017,12,10,3456,192.168.1.201,10,7,15,0,111'."""
    values = [v.strip() for v in info.split(",")]
    return {name: value for name, value in zip(INFO_FIELDS, values, strict=False) if value}


@dataclass(frozen=True)
class Options:
    sn: str
    attlog_stamp: str
    operlog_stamp: str
    attphoto_stamp: str
    tz_hours: int
    error_delay: int = 30
    delay: int = 10
    trans_times: str = "00:00;14:05"
    trans_interval: int = 1
    realtime: bool = True


TRANS_FLAG = "TransData AttLog\tOpLog\tAttPhoto\tEnrollUser\tChgUser\tEnrollFP\tChgFP\tFACE\tUserPic"


def format_options(opt: Options) -> str:
    """The handshake answer block ("GET OPTION FROM: SN" and one option per line)."""
    lines = [
        f"GET OPTION FROM: {opt.sn}",
        f"ATTLOGStamp={opt.attlog_stamp}",
        f"OPERLOGStamp={opt.operlog_stamp}",
        f"ATTPHOTOStamp={opt.attphoto_stamp}",
        f"ErrorDelay={opt.error_delay}",
        f"Delay={opt.delay}",
        f"TransTimes={opt.trans_times}",
        f"TransInterval={opt.trans_interval}",
        f"TransFlag={TRANS_FLAG}",
        f"TimeZone={opt.tz_hours}",
        f"Realtime={1 if opt.realtime else 0}",
        "Encrypt=None",
    ]
    return "\n".join(lines) + "\n"


def _clean(value: str) -> str:
    # Tabs and new lines separate fields/commands in the protocol: never let a name inject one.
    return " ".join(value.replace("\t", " ").split())


def user_update_command(pin: str, name: str, privilege: int = 0, card: str = "") -> str:
    """DATA UPDATE USERINFO for one user (name cut to the 24 chars terminals display)."""
    return (f"DATA UPDATE USERINFO PIN={_clean(pin)}\tName={_clean(name)[:24]}\tPri={privilege}\tPasswd=\t"
            f"Card={_clean(card)}\tGrp=1\tTZ=0000000100000000\tVerify=0")


def user_delete_command(pin: str) -> str:
    return f"DATA DELETE USERINFO PIN={_clean(pin)}"


def format_command(command_id: int, command: str) -> str:
    return f"C:{command_id}:{command}"
