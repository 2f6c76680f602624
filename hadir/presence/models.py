"""Presence events and the derived daily status.

CheckIn rows are evidence: never edited after they are written, except for the approval fields
(validity*) which the approvals app sets, itself logged in the audit trail. DailyStatus is derived
and can be recomputed from CheckIns (plus schedules, holidays and leave) at any time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

from hadir.org.models import Employee, WorkLocation


class CheckInKind(models.TextChoices):
    MASUK = "masuk", pgettext_lazy("jenis presensi", "Masuk")
    PULANG = "pulang", pgettext_lazy("jenis presensi", "Pulang")
    APEL_PAGI = "apel_pagi", gettext_lazy("Apel pagi")
    APEL_SORE = "apel_sore", gettext_lazy("Apel sore")
    PING = "ping", gettext_lazy("Ping lokasi")


class CheckInSource(models.TextChoices):
    MOBILE = "mobile", gettext_lazy("Aplikasi (online)")
    OFFLINE = "offline", gettext_lazy("Aplikasi (luring)")
    TERMINAL = "terminal", pgettext_lazy("sumber presensi", "Mesin absensi")
    MANUAL = "manual", gettext_lazy("Koreksi manual")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", gettext_lazy("Diterima")
    REJECTED = "rejected", gettext_lazy("Ditolak")


class Validity(models.TextChoices):
    NOT_REQUIRED = "not_required", gettext_lazy("Tidak perlu persetujuan")
    PENDING = "pending", gettext_lazy("Menunggu persetujuan")
    VALID = "valid", gettext_lazy("Valid")
    INVALID = "invalid", gettext_lazy("Tidak valid")


def selfie_path(instance: CheckIn, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"selfie/{instance.local_date:%Y/%m}/{instance.client_uuid}.{ext}"


class CheckIn(models.Model):
    client_uuid = models.UUIDField("UUID klien", unique=True, default=uuid.uuid4)
    employee = models.ForeignKey(Employee, verbose_name="pegawai", on_delete=models.PROTECT, related_name="checkins")
    kind = models.CharField("jenis", max_length=12, choices=CheckInKind.choices)
    source = models.CharField("sumber", max_length=10, choices=CheckInSource.choices, default=CheckInSource.MOBILE)
    # occurred_at is the time that counts: server receipt time for online check-ins, the plausible
    # capture time for offline batches and terminal logs. client_time is what the device claimed.
    occurred_at = models.DateTimeField("waktu presensi", db_index=True)
    received_at = models.DateTimeField("diterima server", auto_now_add=True)
    client_time = models.DateTimeField("waktu perangkat", null=True, blank=True)
    local_date = models.DateField("tanggal (waktu setempat)")
    latitude = models.FloatField("lintang", null=True, blank=True)
    longitude = models.FloatField("bujur", null=True, blank=True)
    accuracy_m = models.FloatField("akurasi GPS (m)", null=True, blank=True)
    mock_location = models.BooleanField("lokasi palsu (dilaporkan perangkat)", default=False)
    device_id = models.CharField("ID perangkat", max_length=128, blank=True)
    location = models.ForeignKey(
        WorkLocation, verbose_name="lokasi kerja", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    distance_m = models.FloatField("jarak ke lokasi (m)", null=True, blank=True)
    photo = models.ImageField("swafoto", upload_to=selfie_path, null=True, blank=True)
    terminal_sn = models.CharField("SN mesin", max_length=64, blank=True)
    verdict = models.CharField("keputusan", max_length=10, choices=Verdict.choices)
    reason_code = models.CharField("kode alasan", max_length=40, blank=True)
    reason = models.CharField("alasan", max_length=300, blank=True)
    fraud_flags = models.JSONField("tanda kecurangan", default=list, blank=True)
    validity = models.CharField(
        "status persetujuan", max_length=14, choices=Validity.choices, default=Validity.NOT_REQUIRED
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    validity_reason = models.CharField("alasan persetujuan", max_length=300, blank=True)

    class Meta:
        verbose_name = "presensi"
        verbose_name_plural = "presensi"
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["employee", "local_date"], name="checkin_emp_date"),
            models.Index(fields=["local_date", "verdict"], name="checkin_date_verdict"),
            # fraud signals on the hot path: the previous fix of an employee, and who used a device today
            models.Index(fields=["employee", "occurred_at"], name="checkin_emp_time"),
            models.Index(fields=["device_id", "local_date"], name="checkin_device_date"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M} {self.verdict}"


class DayStatus(models.TextChoices):
    BELUM = "belum", gettext_lazy("Belum presensi")
    HADIR = "hadir", gettext_lazy("Hadir")
    TERLAMBAT = "terlambat", gettext_lazy("Terlambat")
    PSW = "psw", gettext_lazy("Pulang sebelum waktunya")
    TK = "tk", gettext_lazy("Tanpa keterangan")
    IZIN = "izin", gettext_lazy("Izin")
    SAKIT = "sakit", gettext_lazy("Sakit")
    CUTI = "cuti", gettext_lazy("Cuti")
    DINAS_LUAR = "dl", gettext_lazy("Dinas luar")
    LIBUR = "libur", gettext_lazy("Libur")


# Present or excused: counted as compliant on the board (blue).
COMPLIANT_STATUSES = {DayStatus.HADIR, DayStatus.DINAS_LUAR, DayStatus.CUTI, DayStatus.IZIN, DayStatus.SAKIT,
                      DayStatus.LIBUR}
EXCUSED_STATUSES = {DayStatus.CUTI, DayStatus.IZIN, DayStatus.SAKIT, DayStatus.DINAS_LUAR}


class ApelStatus(models.TextChoices):
    """Attendance at one apel (morning/afternoon assembly) on one employee-day."""

    NONE = "", gettext_lazy("Tidak ada apel")  # no apel scheduled, not a working day, excused, or not decided yet
    HADIR = "hadir", gettext_lazy("Ikut apel")
    TIDAK = "tidak", gettext_lazy("Tidak ikut apel")


class DailyStatus(models.Model):
    employee = models.ForeignKey(Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="daily")
    date = models.DateField("tanggal")
    status = models.CharField("status", max_length=10, choices=DayStatus.choices)
    is_working_day = models.BooleanField("hari kerja", default=True)
    first_in = models.DateTimeField("masuk", null=True, blank=True)
    last_out = models.DateTimeField("pulang", null=True, blank=True)
    late_minutes = models.PositiveIntegerField("terlambat (menit)", default=0)
    late_category = models.CharField("kategori TL", max_length=4, blank=True)
    early_minutes = models.PositiveIntegerField("pulang cepat (menit)", default=0)
    early_category = models.CharField("kategori PSW", max_length=4, blank=True)
    missing_in = models.BooleanField("tidak absen masuk", default=False)
    missing_out = models.BooleanField("tidak absen pulang", default=False)
    excuse_ref = models.CharField("rujukan izin/cuti/DL", max_length=60, blank=True)
    apel_pagi = models.CharField(gettext_lazy("apel pagi"), max_length=6, choices=ApelStatus.choices, blank=True,
                                 default="")
    apel_sore = models.CharField(gettext_lazy("apel sore"), max_length=6, choices=ApelStatus.choices, blank=True,
                                 default="")
    closed = models.BooleanField("hari ditutup", default=False)
    starts_at = models.DateTimeField(gettext_lazy("mulai kerja/shift"), null=True, blank=True,
                                     help_text=gettext_lazy("Awal hari kerja atau shift (kosong pada hari libur): "
                                                            "sebelum itu pegawai belum diharapkan hadir."))
    corrected = models.BooleanField(gettext_lazy("dikoreksi"), default=False,
                                    help_text=gettext_lazy("Hari ini memuat presensi dari koreksi yang disetujui."))
    computed_at = models.DateTimeField("dihitung", auto_now=True)
    # Presence during the day (hadir.integrity roll calls): asked, and answered in place. Written by the integrity
    # app, never by the status computation (a database default, so its raw upserts leave them alone).
    roll_calls_asked = models.PositiveSmallIntegerField(gettext_lazy("panggilan kehadiran"), default=0, db_default=0)
    roll_calls_ok = models.PositiveSmallIntegerField(gettext_lazy("panggilan dijawab di tempat"), default=0,
                                                     db_default=0)

    class Meta:
        verbose_name = "status harian"
        verbose_name_plural = "status harian"
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="uniq_daily_status")]
        indexes = [models.Index(fields=["date", "status"], name="daily_date_status")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"

    @property
    def is_compliant(self) -> bool:
        return self.status in COMPLIANT_STATUSES and not self.late_minutes and not self.early_minutes


class DirtyDay(models.Model):
    """The outbox of derived data (hadir/presence/outbox.py): one row says "the daily status of this employee
    (or, without an employee, of everyone) on this date is stale". Whatever changes an input of a day's status
    writes one in the same transaction as its change; the drain recomputes the statuses set-based, invalidates
    the board and deletes the rows. A row that names a new check-in also stands for that check-in's own
    follow-ups (its approval item, its device's last-seen stamp), run by the same drain."""

    employee = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    close = models.BooleanField(default=False, help_text="close the day for them now (belum → tk)")
    checkin = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "status harian tertunda"
        verbose_name_plural = "status harian tertunda"

    def __str__(self) -> str:
        return f"{self.employee_id or '*'} {self.date} {self.reason}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Menunggu persetujuan")
    APPROVED = "approved", gettext_lazy("Disetujui")
    REJECTED = "rejected", gettext_lazy("Ditolak")
    CANCELLED = "cancelled", gettext_lazy("Dibatalkan")


def evidence_path(instance: Correction, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"koreksi/{instance.date:%Y/%m}/{uuid.uuid4()}.{ext}"


class Correction(models.Model):
    """Koreksi presensi: an employee who forgot to scan, or whose terminal was down, asks for a masuk or pulang
    at a given local time on a given date, with a reason and evidence. It goes through the approval tiers
    (hadir.approvals); once approved it becomes a check-in of source "manual" that counts like any other, and
    the day is marked as corrected wherever it is shown."""

    employee = models.ForeignKey(Employee, verbose_name=gettext_lazy("pegawai"), on_delete=models.CASCADE,
                                 related_name="corrections")
    date = models.DateField(gettext_lazy("tanggal"))
    kind = models.CharField(gettext_lazy("jenis"), max_length=12, choices=[
        (CheckInKind.MASUK, CheckInKind.MASUK.label), (CheckInKind.PULANG, CheckInKind.PULANG.label)])
    time = models.TimeField(gettext_lazy("jam (waktu setempat)"))
    reason = models.CharField(gettext_lazy("alasan"), max_length=300)
    evidence = models.FileField(gettext_lazy("bukti"), upload_to=evidence_path, blank=True)
    evidence_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=gettext_lazy("diajukan oleh"))
    filed_at = models.DateTimeField(gettext_lazy("diajukan"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=gettext_lazy("diputuskan oleh"))
    decided_at = models.DateTimeField(gettext_lazy("diputuskan"), null=True, blank=True)
    decision_reason = models.CharField(gettext_lazy("alasan keputusan"), max_length=300, blank=True)
    checkin = models.OneToOneField(CheckIn, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="correction", verbose_name=gettext_lazy("presensi hasil koreksi"))

    class Meta:
        verbose_name = gettext_lazy("koreksi presensi")
        verbose_name_plural = gettext_lazy("koreksi presensi")
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["employee", "date"], name="correction_emp_date")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.kind} {self.time:%H:%M} {self.status}"
