"""Work schedules: patterns per weekday, Ramadan hours, shift rosters, holidays and lateness rule sets.

How the schedule of one employee on one date is found (see services.py):
  1. a ShiftAssignment for (employee, date) wins (24-hour units: RSUD, puskesmas rawat inap);
  2. otherwise the employee's WorkPattern: a PatternAssignment on their work location, else the one on
     the deepest unit above them, else the pattern marked default (Perpres 21/2023, 5 working days);
     a pattern with `uses_roster` means "only the roster counts" (no roster entry → day off);
  3. inside a RamadanPeriod the pattern's Ramadan rows (WorkPatternDay.ramadan) replace the normal ones;
  4. a Holiday for the date (national, cuti bersama, or a local one covering the employee's unit) makes
     an office day a non-working day; a rostered shift on a holiday is still worked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee, Unit, WorkLocation


class Weekday(models.IntegerChoices):
    SENIN = 0, _("Senin")
    SELASA = 1, _("Selasa")
    RABU = 2, _("Rabu")
    KAMIS = 3, _("Kamis")
    JUMAT = 4, _("Jumat")
    SABTU = 5, _("Sabtu")
    MINGGU = 6, _("Minggu")


class WorkPattern(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    is_default = models.BooleanField(
        _("pola bawaan"), default=False,
        help_text=_("Dipakai untuk pegawai yang unit/lokasinya tidak diberi pola khusus. Hanya satu pola bawaan."),
    )
    uses_roster = models.BooleanField(
        _("memakai jadwal shift"), default=False,
        help_text=_("Unit 24 jam: hari kerja ditentukan oleh jadwal shift per pegawai; tanpa jadwal berarti libur."),
    )
    works_on_holidays = models.BooleanField(
        _("tetap masuk pada hari libur"), default=False,
        help_text=_("Centang untuk layanan yang tetap buka pada hari libur nasional/cuti bersama."),
    )

    class Meta:
        verbose_name = _("pola jam kerja")
        verbose_name_plural = _("pola jam kerja")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_pattern")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Marking a pattern as the default takes the mark from the previous one (only one default).
        with transaction.atomic():
            if self.is_default:
                WorkPattern.objects.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
            super().save(*args, **kwargs)


def _default_masuk_open() -> dt.time:
    return dt.time(5, 30)


def _default_pulang_close() -> dt.time:
    return dt.time(23, 59)


class WorkPatternDay(models.Model):
    """Working hours of one weekday in a pattern. A weekday without a row is a day off."""

    pattern = models.ForeignKey(WorkPattern, verbose_name=_("pola"), on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    ramadan = models.BooleanField(_("jam Ramadan"), default=False)
    start = models.TimeField(_("jam masuk"))
    end = models.TimeField(_("jam pulang"))
    masuk_open = models.TimeField(_("presensi masuk dibuka"), default=_default_masuk_open)
    masuk_close = models.TimeField(
        _("presensi masuk ditutup"), null=True, blank=True, help_text=_("Kosong = sampai jam pulang.")
    )
    pulang_open = models.TimeField(
        _("presensi pulang dibuka"), null=True, blank=True, help_text=_("Kosong = sejak jam masuk.")
    )
    pulang_close = models.TimeField(_("presensi pulang ditutup"), default=_default_pulang_close)
    apel_pagi_open = models.TimeField(_("apel pagi dibuka"), null=True, blank=True)
    apel_pagi_close = models.TimeField(_("apel pagi ditutup"), null=True, blank=True)
    apel_sore_open = models.TimeField(_("apel sore dibuka"), null=True, blank=True)
    apel_sore_close = models.TimeField(_("apel sore ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = _("hari kerja")
        verbose_name_plural = _("hari kerja")
        ordering = ["pattern", "ramadan", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "weekday", "ramadan"], name="uniq_pattern_weekday")
        ]

    def __str__(self) -> str:
        suffix = " (Ramadan)" if self.ramadan else ""
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}{suffix}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = str(_("Jam pulang harus setelah jam masuk."))
        if self.masuk_open and self.start and self.masuk_open > self.start:
            errors["masuk_open"] = str(_("Presensi masuk harus dibuka sebelum atau tepat pada jam masuk."))
        if self.pulang_close and self.end and self.pulang_close < self.end:
            errors["pulang_close"] = str(_("Presensi pulang harus ditutup setelah jam pulang."))
        for name in ("apel_pagi", "apel_sore"):
            a, b = getattr(self, f"{name}_open"), getattr(self, f"{name}_close")
            if (a is None) != (b is None):
                errors[f"{name}_close"] = str(_("Isi jam buka dan jam tutup apel, atau kosongkan keduanya."))
            elif a is not None and b is not None and b <= a:
                errors[f"{name}_close"] = str(_("Jam tutup apel harus setelah jam bukanya."))
        if errors:
            raise ValidationError(errors)


class PatternAssignment(models.Model):
    """Puts a pattern on a unit subtree or on a work location. Most specific wins: location, then the
    deepest unit above the employee, then the default pattern."""

    pattern = models.ForeignKey(WorkPattern, verbose_name=_("pola"), on_delete=models.CASCADE,
                                related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja (beserta sub-unit)"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(WorkLocation, verbose_name=_("lokasi kerja"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("berlaku sejak"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("penetapan pola jam kerja")
        verbose_name_plural = _("penetapan pola jam kerja")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(location__isnull=True))
                | (Q(unit__isnull=True) & Q(location__isnull=False)),
                name="assignment_unit_xor_location",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pattern} → {self.location or self.unit}"

    def clean(self) -> None:
        if bool(self.unit_id) == bool(self.location_id):
            raise ValidationError(str(_("Pilih salah satu: unit kerja atau lokasi kerja.")))
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": str(_("Tanggal akhir tidak boleh sebelum tanggal mulai."))})

    def active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class RamadanPeriod(models.Model):
    """Dates of Ramadan hours (set each year by a circular of the KemenPAN-RB / the Pemda)."""

    name = models.CharField(_("nama"), max_length=120)
    start = models.DateField(_("tanggal mulai"))
    end = models.DateField(_("tanggal selesai"))

    class Meta:
        verbose_name = _("periode Ramadan")
        verbose_name_plural = _("periode Ramadan")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": str(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))})


class Shift(models.Model):
    """A shift of a 24-hour unit. `end` before `start` means the shift ends on the next calendar day."""

    name = models.CharField(_("nama"), max_length=60)
    code = models.SlugField(_("kode"), max_length=20, help_text=_("mis. pagi, siang, malam"))
    unit = models.ForeignKey(Unit, verbose_name=_("unit (OPD)"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", help_text=_("Kosong = berlaku untuk semua unit."))
    start = models.TimeField(_("jam mulai"))
    end = models.TimeField(_("jam selesai"))
    masuk_open_minutes = models.PositiveIntegerField(
        _("presensi masuk dibuka (menit sebelum mulai)"), default=120, validators=[MaxValueValidator(600)]
    )
    pulang_close_minutes = models.PositiveIntegerField(
        _("presensi pulang ditutup (menit setelah selesai)"), default=240, validators=[MaxValueValidator(720)]
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shift")
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="uniq_shift_code")]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def clean(self) -> None:
        if self.start == self.end:
            raise ValidationError({"end": str(_("Jam selesai tidak boleh sama dengan jam mulai."))})
        same = Shift.objects.filter(code=self.code, unit__isnull=True).exclude(pk=self.pk)
        if self.code and self.unit_id is None and same.exists():  # (the unique constraint lets NULL units repeat)
            raise ValidationError({"code": str(_("Kode shift ini sudah dipakai."))})


class ShiftAssignment(models.Model):
    """One line of the roster: employee works `shift` on `date` (the date the shift starts).
    A row with no shift is an explicit day off."""

    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="shift_assignments")
    date = models.DateField(_("tanggal"))
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="assignments", help_text=_("Kosong = libur (lepas dinas)."))

    class Meta:
        verbose_name = _("jadwal shift")
        verbose_name_plural = _("jadwal shift")
        ordering = ["date", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="uniq_shift_assignment")]
        indexes = [models.Index(fields=["date"], name="shift_assignment_date")]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.shift or 'libur'}"


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    LOCAL = "local", _("Libur daerah")


class Holiday(models.Model):
    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=14, choices=HolidayKind.choices, default=HolidayKind.LOCAL)
    unit = models.ForeignKey(Unit, verbose_name=_("hanya untuk unit"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("Kosong = seluruh Pemda. Diisi = unit ini beserta sub-unitnya."))
    imported = models.BooleanField(_("dari kalender nasional"), default=False, editable=False)
    is_active = models.BooleanField(
        _("berlaku"), default=True,
        help_text=_("Hapus centang untuk membatalkan libur tanpa menghapusnya (impor ulang tidak memulihkannya)."),
    )

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date", "name"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class LatenessRuleSet(models.Model):
    """TL/PSW thresholds in minutes, versioned by effective date (a new Perbup → a new row)."""

    name = models.CharField(_("nama"), max_length=120)
    effective_from = models.DateField(_("berlaku sejak"), unique=True)
    tl2_from = models.PositiveIntegerField(_("TL2 mulai menit ke-"), default=31, validators=[MinValueValidator(2)])
    tl3_from = models.PositiveIntegerField(_("TL3 mulai menit ke-"), default=61, validators=[MinValueValidator(3)])
    tl4_from = models.PositiveIntegerField(_("TL4 mulai menit ke-"), default=91, validators=[MinValueValidator(4)])
    psw2_from = models.PositiveIntegerField(_("PSW2 mulai menit ke-"), default=31, validators=[MinValueValidator(2)])
    psw3_from = models.PositiveIntegerField(_("PSW3 mulai menit ke-"), default=61, validators=[MinValueValidator(3)])
    psw4_from = models.PositiveIntegerField(_("PSW4 mulai menit ke-"), default=91, validators=[MinValueValidator(4)])
    grace_minutes = models.PositiveIntegerField(
        _("toleransi (menit)"), default=0, validators=[MaxValueValidator(60)],
        help_text=_("Keterlambatan/pulang cepat sampai batas ini tidak dihitung."),
    )
    missing_out_is_psw4 = models.BooleanField(
        _("tidak absen pulang dihitung PSW4"), default=True,
    )
    missing_in_is_tl4 = models.BooleanField(
        _("tidak absen masuk (tetapi absen pulang) dihitung TL4"), default=True,
    )

    class Meta:
        verbose_name = _("aturan keterlambatan")
        verbose_name_plural = _("aturan keterlambatan")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.tl2_from < self.tl3_from < self.tl4_from):
            errors["tl4_from"] = str(_("Batas TL harus naik: TL2 < TL3 < TL4."))
        if not (self.psw2_from < self.psw3_from < self.psw4_from):
            errors["psw4_from"] = str(_("Batas PSW harus naik: PSW2 < PSW3 < PSW4."))
        if errors:
            raise ValidationError(errors)


class ScheduleRevision(models.Model):
    """A token replaced on every change of the schedule tables, so each process can keep its copy of those
    (small, rarely edited) tables and re-read them only when the token moved: one tiny query per use
    instead of one per table. Saves/deletes bump it through signals (apps.py); bulk writers call
    `hadir.schedules.services.bump_revision()`."""

    token = models.CharField(max_length=36)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("revisi jadwal")
        verbose_name_plural = _("revisi jadwal")

    def __str__(self) -> str:
        return self.token
