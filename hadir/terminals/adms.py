"""ADMS/iclock endpoints called by the terminals themselves.

Plain-text answers exactly as terminals expect them ("OK", "OK: n", the option block, "C:id:cmd").
No session, no CSRF (devices cannot do either); a terminal is identified by its serial number and,
where configured, its IP allow-list. Every request counts as a heartbeat (written at most once a minute).
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import protocol, services
from .conf import commands_per_poll, register_networks, trust_proxy
from .models import Terminal, TerminalStatus, ip_allowed

log = logging.getLogger(__name__)

SN_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
# Biometric templates must not be kept (privacy): these OPERLOG/table lines are stored redacted.
BIOMETRIC_FIELD_RE = re.compile(r"((?:TMP|Tmp|Content|PhotoData)=)[^\t]*")


def text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def client_ip(request: HttpRequest) -> str:
    if trust_proxy():
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _terminal(request: HttpRequest) -> tuple[Terminal | None, HttpResponse | None]:
    """Identify (or register) the calling terminal; refuse bad serials, foreign IPs, disabled terminals."""
    sn = request.GET.get("SN", "").strip()
    if not SN_RE.match(sn):
        return None, text("Nomor seri (SN) tidak ada atau tidak valid\n", 400)
    ip = client_ip(request)
    terminal = Terminal.objects.filter(serial_number=sn).first()
    created = False
    if terminal is None:
        if not ip_allowed(register_networks(), ip):
            log.warning("terminal baru %s dari %s ditolak: di luar HADIR_TERMINAL_REGISTER_NETWORKS", sn, ip)
            return None, text("Mesin tidak terdaftar\n", 403)
        terminal, created = services.get_or_register(sn)
    if created:
        log.info("terminal baru terdaftar (menunggu penetapan): %s dari %s", sn, ip)
    if not ip_allowed(terminal.ip_allowlist, ip):
        log.warning("terminal %s ditolak: IP %s tidak diizinkan", sn, ip)
        return None, text("IP tidak diizinkan untuk mesin ini\n", 403)
    if terminal.status == TerminalStatus.DISABLED:
        # Refused, not acknowledged: the terminal keeps its log and re-sends when re-enabled.
        return None, text("Mesin dinonaktifkan\n", 403)
    services.touch(terminal, ip or None)
    return terminal, None


def _body(request: HttpRequest) -> str:
    return request.body.decode("utf-8", errors="replace")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cdata(request: HttpRequest) -> HttpResponse:
    terminal, refusal = _terminal(request)
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
    stamp = request.GET.get("Stamp", request.GET.get("OpStamp", "")).strip()
    if table == "ATTLOG":
        good, bad = protocol.parse_attlog(_body(request))
        if bad:
            log.warning("terminal %s: %d baris ATTLOG tidak valid diabaikan, mis. %r",
                        terminal.serial_number, len(bad), bad[0][:80])
        services.store_attlog(terminal, good, stamp)
        return text(f"OK: {len(good)}")
    if table in {"OPERLOG", "USERINFO", "FINGERTMP", "BIODATA", "ATTPHOTO_LOG"}:
        rows = [(kind, BIOMETRIC_FIELD_RE.sub(r"\1[dihapus]", line))
                for kind, line in protocol.parse_operlog(_body(request))]
        services.store_operlog(terminal, rows, stamp if table == "OPERLOG" else "")
        return text(f"OK: {len(rows)}")
    if table == "ATTPHOTO":
        # Terminal photos are not kept (selfie retention rules apply to photos we need; these we don't).
        if stamp:
            Terminal.objects.filter(pk=terminal.pk).update(attphoto_stamp=stamp[:32])
        return text("OK")
    if table == "OPTIONS":
        services.update_info(terminal, protocol.parse_info_lines(_body(request)))
        return text("OK")
    return text("OK")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def getrequest(request: HttpRequest) -> HttpResponse:
    terminal, refusal = _terminal(request)
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
def devicecmd(request: HttpRequest) -> HttpResponse:
    terminal, refusal = _terminal(request)
    if refusal is not None or terminal is None:
        return refusal or text("", 400)
    services.record_results(terminal, protocol.parse_devicecmd(_body(request)))
    return text("OK")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ping(request: HttpRequest) -> HttpResponse:
    terminal, refusal = _terminal(request)
    if refusal is not None or terminal is None:
        return refusal or text("", 400)
    return text("OK")
