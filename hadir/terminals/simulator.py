"""A simulated ZKTeco terminal speaking ADMS over real HTTP (http.client): for tests, the benchmark
and trying a server by hand (`python -m hadir.terminals.simulator http://127.0.0.1:8000 SN123 1001`)."""

from __future__ import annotations

import datetime as dt
import http.client
import sys
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int
    body: str


@dataclass
class SimulatedTerminal:
    base_url: str
    sn: str
    pushver: str = "2.4.1"
    info: str = "Ver 6.60 Apr 28 2017,12,10,3456,192.168.1.201,10,7,15,0,111"
    source_headers: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    push_key: str = ""  # the terminal's push key: sent in the path, /iclock/k/<key>/cdata
    _conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            parts = urlsplit(self.base_url)
            self._conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, params: dict[str, str], body: str | bytes = "") -> Reply:
        if self.push_key and path.startswith("/iclock/"):
            path = f"/iclock/k/{self.push_key}/" + path.removeprefix("/iclock/")
        url = f"{path}?{urlencode(params)}"
        headers = {"User-Agent": "iClock Proxy/1.09", "Content-Type": "text/plain", **self.source_headers}
        data = body.encode() if isinstance(body, str) else body
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, url, body=data if method == "POST" else None, headers=headers)
                resp = conn.getresponse()
                return Reply(resp.status, resp.read().decode("utf-8", errors="replace"))
            except (ConnectionError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def handshake(self) -> Reply:
        reply = self.request("GET", "/iclock/cdata", {"SN": self.sn, "options": "all", "pushver": self.pushver,
                                                      "language": "69"})
        if reply.status == 200:
            self.options = dict(line.split("=", 1) for line in reply.body.splitlines() if "=" in line)
        return reply

    def push_attlog(self, lines: list[str], stamp: str = "", path: str = "/iclock/cdata") -> Reply:
        body = "".join(line + "\n" for line in lines)
        return self.request("POST", path, {"SN": self.sn, "table": "ATTLOG", "Stamp": stamp or "9999"}, body)

    def push_operlog(self, lines: list[str], stamp: str = "1") -> Reply:
        body = "".join(line + "\n" for line in lines)
        return self.request("POST", "/iclock/cdata", {"SN": self.sn, "table": "OPERLOG", "OpStamp": stamp}, body)

    def poll(self) -> Reply:
        return self.request("GET", "/iclock/getrequest", {"SN": self.sn, "INFO": self.info})

    def report(self, results: list[tuple[int, int, str]], extra: str = "") -> Reply:
        body = "".join(f"ID={cid}&Return={ret}&CMD={cmd}\n" for cid, ret, cmd in results) + extra
        return self.request("POST", "/iclock/devicecmd", {"SN": self.sn}, body)


def attlog_line(pin: str, when: dt.datetime, status: int = 0, verify: int = 1, workcode: str = "0") -> str:
    return f"{pin}\t{when:%Y-%m-%d %H:%M:%S}\t{status}\t{verify}\t{workcode}\t0\t0"


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: python -m hadir.terminals.simulator BASE_URL SN PIN [status]")
        return 2
    term = SimulatedTerminal(argv[0], argv[1])
    print(term.handshake().body)
    status = int(argv[3]) if len(argv) > 3 else 0
    print(term.push_attlog([attlog_line(argv[2], dt.datetime.now(), status)]).body)
    print(term.poll().body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
