"""ADMS/iclock endpoints called by the terminals themselves.

Plain-text answers exactly as terminals expect them ("OK", "OK: n", the option block, "C:id:cmd").
No session, no CSRF (devices cannot do either). A serial number is printed on the device, so it identifies
a terminal but does not authenticate it: a push counts only when the terminal is approved (active) and proves
itself by its network (its IP allow-list, the client address taken from the socket or through the configured
number of trusted proxies) or by its push key (in the push URL, `/iclock/k/<key>/cdata`). See README.md here.
Every accepted request counts as a heartbeat (written at most once a minute).
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import protocol, services
from .conf import (
    commands_per_poll,
    max_body_bytes,
    max_lines,
    pending_held_max,
    pending_max,
    register_networks,
    register_per_hour,
    trusted_proxies,
)
from .models import Terminal, TerminalStatus, ip_allowed

log = logging.getLogger(__name__)

SN_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
# Biometric templates must not be kept (privacy): these OPERLOG/table lines are stored redacted.
BIOMETRIC_FIELD_RE = re.compile(r"((?:TMP|Tmp|Content|PhotoData)=)[^\t]*")


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def client_ip(request: HttpRequest) -> str:
    """The socket's address, or — behind N trusted proxies — the N-th X-Forwarded-For entry from the right
    (the one the outermost trusted proxy appended). Entries a client wrote itself are never believed."""
    proxies = trusted_proxies()
    if proxies:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= proxies:
            return entries[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _log_refusal(sn: str, ip: str, reason: str) -> None:
    """One log line per terminal, address and reason per 10 minutes — not one per push."""
    digest = hashlib.sha256(f"{sn}|{ip}|{reason}".encode()).hexdigest()[:32]
    if cache.add(f"hadir:terminal-refused:{digest}", 1, 600):
        log.warning("push mesin %s dari %s ditolak: %s", sn, ip or "?", reason)


def _may_register(ip: str) -> None:
    """An unknown serial: only from the registration networks, a few per address per hour, a bounded list."""
    if not ip_allowed(register_networks(), ip):
        raise Refused(403, "Mesin tidak terdaftar\n")
    key = f"hadir:terminal-register:{ip}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    if count > register_per_hour():
        raise Refused(429, "Terlalu banyak mesin baru dari alamat ini; coba lagi nanti\n")
    if Terminal.objects.filter(status=TerminalStatus.PENDING).count() >= pending_max():
        raise Refused(429, "Terlalu banyak mesin menunggu penetapan; tetapkan atau hapus yang ada dulu\n")


def _terminal(request: HttpRequest, key: str = "") -> tuple[Terminal | None, HttpResponse | None]:
    """Identify and authenticate the calling terminal; refuse bad serials, strangers and oversize pushes."""
    sn = request.GET.get("SN", "").strip()
    if not SN_RE.match(sn):
        return None, text("Nomor seri (SN) tidak ada atau tidak valid\n", 400)
    ip = client_ip(request)
    try:
        if _content_length(request) > max_body_bytes():
            raise Refused(413, f"Kiriman terlalu besar (maksimal {max_body_bytes()} bita); kirim bertahap\n")
        terminal = Terminal.objects.filter(serial_number=sn).first()
        created = False
        if terminal is None:
            if key:  # a key for a serial we do not know proves nothing
                raise Refused(403, "Kunci push tidak cocok\n")
            _may_register(ip)
            with transaction.atomic():
                terminal, created = services.get_or_register(sn)
            if created:
                log.info("terminal baru terdaftar (menunggu penetapan): %s dari %s", sn, ip)
        key_ok = terminal.push_key_matches(key)
        if key and not key_ok:
            raise Refused(403, "Kunci push tidak cocok\n")
        network_ok = bool(terminal.ip_allowlist.strip()) and ip_allowed(terminal.ip_allowlist, ip)
        if not (key_ok or network_ok):
            if terminal.is_secured:
                raise Refused(403, "IP tidak diizinkan untuk mesin ini dan kunci push tidak ada\n")
            if terminal.status != TerminalStatus.PENDING:
                # Approved but with neither an allow-list nor a key: anyone who reads the serial could push.
                raise Refused(403, "Mesin belum diamankan: isi daftar IP atau buat kunci push\n")
            # A pending terminal may talk (its lines are held, never counted) until an operator approves it.
        if terminal.status == TerminalStatus.DISABLED:
            # Refused, not acknowledged: the terminal keeps its log and re-sends when re-enabled.
            raise Refused(403, "Mesin dinonaktifkan\n")
    except Refused as refusal:
        _log_refusal(sn, ip, refusal.message.strip())
        return None, text(refusal.message, refusal.status)
    services.touch(terminal, ip or None)
    return terminal, None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _lines(request: HttpRequest) -> str:
    """The push body as text; more than HADIR_TERMINAL_MAX_LINES lines is refused as a whole."""
    body = request.body
    if len(body) > max_body_bytes():
        raise Refused(413, f"Kiriman terlalu besar (maksimal {max_body_bytes()} bita); kirim bertahap\n")
    if body.count(b"\n") > max_lines():
        raise Refused(413, f"Terlalu banyak baris dalam satu kiriman (maksimal {max_lines()}); kirim bertahap\n")
    return body.decode("utf-8", errors="replace")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cdata(request: HttpRequest, key: str = "") -> HttpResponse:
    terminal, refusal = _terminal(request, key)
    if refusal is not None or terminal is None:
        return refusal or text("", 400)
    if request.method == "GET":
        pushver = request.GET.get("pushver", "")
        if pushver and pushver[:20] != terminal.push_version:
            Terminal.objects.filter(pk=terminal.pk).update(push_version=pushver[:20])
        if request.GET.get("options", "").lower() == "all" or "options" in request.GET:
            opts = protocol.Options(
                sn=terminal.serial_number, attlog_stamp=terminal.attlog_stamp or "0",
                operlog_stamp=terminal.operlog_stamp or "0", attphoto_stamp=terminal.attphoto_stamp or "0",
                tz_hours=terminal.utc_offset_hours,
            )
            return text(protocol.format_options(opts))
        return text("OK")

    table = request.GET.get("table", "").upper()
    try:
        body = _lines(request)
    except Refused as too_big:
        _log_refusal(terminal.serial_number, client_ip(request), too_big.message.strip())
        return text(too_big.message, too_big.status)
    stamp = request.GET.get("Stamp", request.GET.get("OpStamp", "")).strip()
    if table == "ATTLOG":
        good, bad = protocol.parse_attlog(body)
        if terminal.status == TerminalStatus.PENDING and good and services.held_count(terminal) + len(good) > \
                pending_held_max():
            # Not yet approved, so not yet trusted: hold a bounded number of lines, refuse the rest (the
            # terminal keeps them and re-sends after the operator assigns it).
            _log_refusal(terminal.serial_number, client_ip(request), "pending held lines full")
            return text("Mesin belum ditetapkan dan antrean lognya penuh; minta operator menetapkan mesin\n", 503)
        if bad:
            log.warning("terminal %s: %d baris ATTLOG tidak valid diabaikan, mis. %r",
                        terminal.serial_number, len(bad), bad[0][:80])
        services.store_attlog(terminal, good, stamp)
        return text(f"OK: {len(good)}")
    if table in {"OPERLOG", "USERINFO", "FINGERTMP", "BIODATA", "ATTPHOTO_LOG"}:
        rows = [(kind, BIOMETRIC_FIELD_RE.sub(r"\1[dihapus]", line))
                for kind, line in protocol.parse_operlog(body)]
        services.store_operlog(terminal, rows, stamp if table == "OPERLOG" else "")
        return text(f"OK: {len(rows)}")
    if table == "ATTPHOTO":
        # Terminal photos are not kept (selfie retention rules apply to photos we need; these we don't).
        if stamp:
            Terminal.objects.filter(pk=terminal.pk).update(attphoto_stamp=stamp[:32])
        return text("OK")
    if table == "OPTIONS":
        services.update_info(terminal, protocol.parse_info_lines(body))
        return text("OK")
    return text("OK")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def getrequest(request: HttpRequest, key: str = "") -> HttpResponse:
    terminal, refusal = _terminal(request, key)
    if refusal is not None or terminal is None:
        return refusal or text("", 400)
    info = request.GET.get("INFO", "")
    if info:
        services.update_info(terminal, protocol.parse_getrequest_info(info))
    commands = services.next_commands(terminal, commands_per_poll())
    if not commands:
        return text("OK")
    return text("\n".join(protocol.format_command(c.pk, c.command) for c in commands) + "\n")


@csrf_exempt
@require_http_methods(["POST"])
def devicecmd(request: HttpRequest, key: str = "") -> HttpResponse:
    terminal, refusal = _terminal(request, key)
    if refusal is not None or terminal is None:
        return refusal or text("", 400)
    try:
        body = _lines(request)
    except Refused as too_big:
        return text(too_big.message, too_big.status)
    services.record_results(terminal, protocol.parse_devicecmd(body))
    return text("OK")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ping(request: HttpRequest, key: str = "") -> HttpResponse:
    terminal, refusal = _terminal(request, key)
    if refusal is not None or terminal is None:
        return refusal or text("", 400)
    return text("OK")
