"""Fingerprint/face terminals (ZKTeco and compatibles) and what they send us.

A Terminal pushes its attendance log (ATTLOG) over the ADMS/iclock protocol. Every line is kept
raw in AttLog (evidence, stored once per SN+PIN+time) and then converted to a presence.CheckIn
through the same pipeline as mobile check-ins. An unknown serial number is registered as pending
and its logs are held (stored, not converted) until an administrator assigns the terminal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hadir.org.models import Employee, TimeZoneChoice, Unit, WorkLocation

from .conf import offline_minutes


class TerminalStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu penetapan")
    ACTIVE = "active", _("Aktif")
    DISABLED = "disabled", _("Dinonaktifkan")


def parse_allowlist(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """'10.1.2.3, 192.168.10.0/24' (commas, spaces or new lines) → networks. Raises ValueError."""
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for item in text.replace(",", " ").split():
        nets.append(ipaddress.ip_network(item, strict=False))
    return nets


def ip_allowed(allowlist: str, ip: str) -> bool:
    """True when the list is empty or `ip` lies in one of its networks."""
    if not allowlist.strip():
        return True
    try:
        addr = ipaddress.ip_address(ip)
        nets = parse_allowlist(allowlist)
    except ValueError:
        return False
    return any(addr in net for net in nets)


def hash_push_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class Terminal(models.Model):
    serial_number = models.CharField("nomor seri (SN)", max_length=64, unique=True)
    name = models.CharField("nama", max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", null=True, blank=True, on_delete=models.PROTECT, related_name="terminals"
    )
    location = models.ForeignKey(
        WorkLocation, verbose_name="lokasi kerja", null=True, blank=True, on_delete=models.PROTECT,
        related_name="terminals",
    )
    timezone = models.CharField("zona waktu", max_length=32, choices=TimeZoneChoice.choices,
                                default=TimeZoneChoice.WIB)
    status = models.CharField("status", max_length=10, choices=TerminalStatus.choices,
                              default=TerminalStatus.PENDING)
    ip_allowlist = models.TextField(
        "IP yang diizinkan", blank=True,
        help_text="Kosongkan untuk menerima dari mana saja. Pisahkan dengan koma; boleh CIDR (192.168.1.0/24).",
    )
    push_key_hash = models.CharField(
        "kunci push (hash)", max_length=64, blank=True, editable=False,
        help_text="SHA-256 dari kunci push; kuncinya sendiri hanya ditampilkan sekali saat dibuat.",
    )
    created_at = models.DateTimeField("terdaftar", default=utc_now)
    activated_at = models.DateTimeField("diaktifkan", null=True, blank=True)
    last_seen = models.DateTimeField("terakhir terhubung", null=True, blank=True)
    last_ip = models.GenericIPAddressField("IP terakhir", null=True, blank=True)
    last_attlog_at = models.DateTimeField("log terakhir diterima", null=True, blank=True)
    attlog_stamp = models.CharField("ATTLOGStamp", max_length=32, default="0")
    operlog_stamp = models.CharField("OPERLOGStamp", max_length=32, default="0")
    attphoto_stamp = models.CharField("ATTPHOTOStamp", max_length=32, default="0")
    firmware = models.CharField("versi firmware", max_length=120, blank=True)
    push_version = models.CharField("versi protokol push", max_length=20, blank=True)
    info = models.JSONField("info perangkat", default=dict, blank=True)
    offline_alerted_at = models.DateTimeField("peringatan luring dikirim", null=True, blank=True)
    # Pull mode (older terminals without ADMS): `hadir terminals pull` reads them over TCP/UDP 4370.
    pull_address = models.CharField(
        "alamat tarik (pull)", max_length=100, blank=True,
        help_text="Hanya untuk mesin lama tanpa ADMS: host atau host:port (bawaan 4370).",
    )
    pull_udp = models.BooleanField("tarik lewat UDP", default=False)
    pull_password = models.PositiveIntegerField("kata sandi komunikasi", default=0)

    class Meta:
        verbose_name = "mesin absensi"
        verbose_name_plural = "mesin absensi"
        ordering = ["name", "serial_number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.serial_number})" if self.name else self.serial_number

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            parse_allowlist(self.ip_allowlist)
        except ValueError:
            errors["ip_allowlist"] = "Daftar IP tidak valid; contoh: 10.1.2.3, 192.168.1.0/24."
        if self.status == TerminalStatus.ACTIVE:
            if not self.unit_id:
                errors["unit"] = "Mesin aktif harus ditetapkan ke unit kerja."
            if not self.location_id:
                errors["location"] = "Mesin aktif harus ditetapkan ke lokasi kerja."
        if self.location_id and self.unit_id and self.location and self.unit:
            if self.location.unit.opd_id != self.unit.opd_id:
                errors["location"] = "Lokasi kerja harus milik OPD yang sama dengan unit mesin."
        if errors:
            raise ValidationError(errors)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_secured(self) -> bool:
        """A terminal proves itself by its network (allow-list) or by its push key; without either it is not."""
        return bool(self.ip_allowlist.strip() or self.push_key_hash)

    def new_push_key(self) -> str:
        """Make a new push key, keep only its hash (caller saves) and return the key: shown once, never again."""
        key = secrets.token_urlsafe(24)
        self.push_key_hash = hash_push_key(key)
        return key

    def push_key_matches(self, key: str) -> bool:
        return bool(self.push_key_hash and key) and hmac.compare_digest(self.push_key_hash, hash_push_key(key))

    @property
    def utc_offset_hours(self) -> int:
        offset = utc_now().astimezone(self.tzinfo).utcoffset() or dt.timedelta(0)
        return int(offset.total_seconds() // 3600)

    def is_online(self, now: dt.datetime | None = None) -> bool:
        if self.last_seen is None:
            return False
        now = now or utc_now()
        return (now - self.last_seen) <= dt.timedelta(minutes=offline_minutes())


class AttLogState(models.TextChoices):
    HELD = "held", _("Ditahan (mesin belum ditetapkan)")
    QUEUED = "queued", _("Menunggu diproses")
    CONVERTED = "converted", _("Menjadi presensi")
    IGNORED = "ignored", _("Disimpan, bukan presensi")
    UNMAPPED = "unmapped", _("PIN tidak dikenal")
    FAILED = "failed", _("Gagal diproses")


class PunchKind(models.TextChoices):
    """The terminal's punch state (the ATTLOG status column)."""

    MASUK = "masuk", pgettext_lazy("jenis presensi", "Masuk")
    PULANG = "pulang", pgettext_lazy("jenis presensi", "Pulang")
    ISTIRAHAT_KELUAR = "break_out", _("Istirahat keluar")
    ISTIRAHAT_KEMBALI = "break_in", _("Istirahat kembali")
    LEMBUR_MASUK = "ot_in", _("Lembur masuk")
    LEMBUR_PULANG = "ot_out", _("Lembur pulang")


class AttLog(models.Model):
    """One raw attendance line as the terminal sent it. Stored once per (terminal, PIN, local time)."""

    # Indexed through the unique (terminal, local_time, pin) constraint; a separate FK index would only
    # slow the ingest down.
    terminal = models.ForeignKey(Terminal, verbose_name="mesin", on_delete=models.PROTECT, related_name="attlogs",
                                 db_index=False)
    pin = models.CharField("PIN", max_length=24)
    # The terminal's own wall-clock time, exactly as sent ("YYYY-MM-DD HH:MM:SS"): the identity of the line.
    local_time = models.CharField("waktu mesin", max_length=19)
    # The same instant in UTC, from the terminal's time zone (recomputed when a held terminal is assigned).
    occurred_at = models.DateTimeField("waktu (UTC)")
    status = models.SmallIntegerField("status", default=0)
    verify = models.SmallIntegerField("verifikasi", default=0)
    workcode = models.CharField("kode kerja", max_length=16, blank=True)
    punch = models.CharField("jenis", max_length=10, choices=PunchKind.choices, blank=True)
    raw = models.CharField("baris asli", max_length=255)
    received_at = models.DateTimeField("diterima", default=utc_now)
    state = models.CharField("keadaan", max_length=10, choices=AttLogState.choices, default=AttLogState.QUEUED)
    # CheckIns are evidence and never deleted, so no index is needed for the reverse lookup.
    checkin = models.ForeignKey(
        "presence.CheckIn", verbose_name="presensi", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )

    class Meta:
        verbose_name = "log mesin"
        verbose_name_plural = "log mesin"
        ordering = ["-local_time"]
        constraints = [
            # (terminal, local_time, pin): also serves "this terminal's lines of a day" range scans.
            models.UniqueConstraint(fields=["terminal", "local_time", "pin"], name="uniq_attlog_sn_time_pin"),
        ]
        indexes = [
            # Only lines still waiting for something are indexed (converted lines drop out).
            models.Index(fields=["state", "terminal"], name="attlog_open_state",
                         condition=Q(state__in=["held", "queued", "unmapped", "failed"])),
        ]

    def __str__(self) -> str:
        return f"{self.pin} {self.local_time} ({self.status})"


class OperLog(models.Model):
    """An OPERLOG line (operations, user enrolment) kept as sent."""

    terminal = models.ForeignKey(Terminal, verbose_name="mesin", on_delete=models.CASCADE, related_name="operlogs")
    kind = models.CharField("jenis", max_length=20, blank=True)
    raw = models.TextField("baris asli")
    received_at = models.DateTimeField("diterima", default=utc_now)

    class Meta:
        verbose_name = "log operasi mesin"
        verbose_name_plural = "log operasi mesin"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.raw[:60]}"


class CommandStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENT = "sent", _("Terkirim")
    DONE = "done", _("Berhasil")
    FAILED = "failed", _("Gagal")


class TerminalCommand(models.Model):
    """A command for the terminal, fetched by GET /iclock/getrequest as `C:<id>:<command>`."""

    terminal = models.ForeignKey(Terminal, verbose_name="mesin", on_delete=models.CASCADE, related_name="commands")
    command = models.TextField("perintah")
    status = models.CharField("status", max_length=8, choices=CommandStatus.choices, default=CommandStatus.QUEUED)
    created_at = models.DateTimeField("dibuat", default=utc_now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oleh", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField("dikirim", null=True, blank=True)
    done_at = models.DateTimeField("selesai", null=True, blank=True)
    return_code = models.IntegerField("kode balikan", null=True, blank=True)
    result = models.TextField("hasil", blank=True)

    class Meta:
        verbose_name = "perintah mesin"
        verbose_name_plural = "perintah mesin"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["terminal", "status"], name="termcmd_terminal_status")]

    def __str__(self) -> str:
        return f"C:{self.pk}:{self.command[:60]}"


class TerminalPin(models.Model):
    """Per-terminal PIN override, for terminals whose PINs differ from Employee.device_pin."""

    terminal = models.ForeignKey(Terminal, verbose_name="mesin", on_delete=models.CASCADE, related_name="pins")
    pin = models.CharField("PIN", max_length=24)
    employee = models.ForeignKey(Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "PIN khusus mesin"
        verbose_name_plural = "PIN khusus mesin"
        constraints = [models.UniqueConstraint(fields=["terminal", "pin"], name="uniq_terminal_pin")]

    def __str__(self) -> str:
        return f"{self.terminal_id}:{self.pin} → {self.employee_id}"


class TerminalActivity(models.Model):
    """Which local hours of a date a terminal talked to us (bit h of `hours_mask` = hour h)."""

    terminal = models.ForeignKey(Terminal, on_delete=models.CASCADE, related_name="activity")
    date = models.DateField("tanggal (waktu setempat)")
    hours_mask = models.IntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = "aktivitas mesin"
        verbose_name_plural = "aktivitas mesin"
        constraints = [models.UniqueConstraint(fields=["terminal", "date"], name="uniq_terminal_activity")]

    def __str__(self) -> str:
        return f"{self.terminal_id} {self.date} {self.hours_mask:024b}"

    def hours(self) -> list[int]:
        return [h for h in range(24) if self.hours_mask & (1 << h)]


class TerminalDownDay(models.Model):
    """A working day on which an OPD's terminal did not report during office hours.

    Regencies hold the OPD answerable for it; the TPP rules read these rows.
    """

    terminal = models.ForeignKey(Terminal, verbose_name="mesin", on_delete=models.CASCADE, related_name="down_days")
    opd = models.ForeignKey(Unit, verbose_name="OPD", on_delete=models.PROTECT, related_name="terminal_down_days")
    date = models.DateField("tanggal")
    office_start = models.TimeField("jam kerja mulai", null=True, blank=True)
    office_end = models.TimeField("jam kerja selesai", null=True, blank=True)
    last_seen = models.DateTimeField("terakhir terhubung", null=True, blank=True)
    detected_at = models.DateTimeField("dicatat", default=utc_now)
    note = models.CharField("catatan", max_length=300, blank=True)

    class Meta:
        verbose_name = "hari mesin mati"
        verbose_name_plural = "hari mesin mati"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["terminal", "date"], name="uniq_terminal_down_day")]
        indexes = [models.Index(fields=["opd", "date"], name="downday_opd_date")]

    def __str__(self) -> str:
        return f"{self.terminal} {self.date}"
