"""TPP (tambahan penghasilan pegawai): rule sets per Perbup, monthly bases, computed months, closes.

A RuleSet is the regency's Perbup as data (versioned by validity; optional per-OPD or per-employee-kind
overrides); Base is an employee's monthly TPP base with history; Result and Line are one computed month per
employee with its itemised deductions; Period is a month closed (frozen) for one OPD. See hadir/tpp/rules.py for
the arithmetic and docs/tpp.md for the whole picture.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee, EmployeeKind, Unit

from . import rules

PCT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def pct_field(label: Any, default: str = "0") -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(label, max_digits=6, decimal_places=3, default=Decimal(default), validators=PCT)


class PercentOf(models.TextChoices):
    GROSS = "gross", _("TPP (setelah persentase jenis pegawai)")
    SHARE = "share", _("Bagian disiplin kerja")


class TerminalDownRule(models.TextChoices):
    NO_CUT = rules.NO_CUT, _("Tanpa potongan (OPD yang bertanggung jawab)")
    NO_TPP = rules.NO_TPP_DAY, _("Tanpa TPP untuk hari itu")


class RuleSet(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    legal_basis = models.CharField(_("dasar hukum (nomor Perbup)"), max_length=200)
    legal_date = models.DateField(_("tanggal Perbup"))
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    opd = models.ForeignKey(Unit, verbose_name=_("khusus OPD"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", help_text=_("Kosong: seluruh Pemda."))
    employee_kind = models.CharField(_("khusus jenis pegawai"), max_length=10, choices=EmployeeKind.choices,
                                     blank=True, help_text=_("Kosong: semua jenis pegawai."))
    share_pct = pct_field(_("bagian TPP yang dipengaruhi kehadiran (%)"), "40")
    percent_of = models.CharField(_("persen potongan dihitung dari"), max_length=5, choices=PercentOf.choices,
                                  default=PercentOf.GROSS)
    tl1_pct = pct_field("TL1 (%)", "0.5")
    tl2_pct = pct_field("TL2 (%)", "1")
    tl3_pct = pct_field("TL3 (%)", "1.25")
    tl4_pct = pct_field("TL4 (%)", "1.5")
    psw1_pct = pct_field("PSW1 (%)", "0.5")
    psw2_pct = pct_field("PSW2 (%)", "1")
    psw3_pct = pct_field("PSW3 (%)", "1.25")
    psw4_pct = pct_field("PSW4 (%)", "1.5")
    tk_pct = pct_field(_("per hari tanpa keterangan (%)"), "3")
    apel_pagi_pct = pct_field(_("per apel pagi tidak hadir (%)"), "0.5")
    apel_sore_pct = pct_field(_("per apel sore tidak hadir (%)"), "0.5")
    invalid_pct = pct_field(_("per presensi dinyatakan tidak valid oleh atasan (%)"), "1.5")
    missing_in_pct = pct_field(_("per hari tanpa presensi masuk (%)"), "1.5")
    missing_out_pct = pct_field(_("per hari tanpa presensi pulang (%)"), "1.5")
    cpns_pct = pct_field(_("CPNS: persen dari TPP dasar"), "80")
    pppk_pct = pct_field(_("PPPK: persen dari TPP dasar"), "100")
    terminal_down = models.CharField(_("hari mesin absensi mati"), max_length=8, choices=TerminalDownRule.choices,
                                     default=TerminalDownRule.NO_CUT)
    rounding_unit = models.PositiveIntegerField(_("pembulatan ke (Rp)"), default=1,
                                                validators=[MinValueValidator(1), MaxValueValidator(100_000)])
    rounding_down = models.BooleanField(_("bulatkan ke bawah"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("aturan TPP")
        verbose_name_plural = _("aturan TPP")
        ordering = ["-valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai.")})
        overlapping = RuleSet.objects.filter(opd_id=self.opd_id, employee_kind=self.employee_kind).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError({"valid_from": _(
                "Masa berlaku tumpang tindih dengan “%(other)s” (berlaku %(start)s–%(end)s) untuk cakupan yang sama; "
                "akhiri aturan lama dulu.") % {"other": clash.name, "start": clash.valid_from.isoformat(),
                                                "end": clash.valid_to.isoformat() if clash.valid_to else "…"}})

    def as_rules(self) -> rules.Rules:
        events = {"TL1": self.tl1_pct, "TL2": self.tl2_pct, "TL3": self.tl3_pct, "TL4": self.tl4_pct,
                  "PSW1": self.psw1_pct, "PSW2": self.psw2_pct, "PSW3": self.psw3_pct, "PSW4": self.psw4_pct,
                  rules.TK: self.tk_pct, rules.APEL_PAGI: self.apel_pagi_pct, rules.APEL_SORE: self.apel_sore_pct,
                  rules.INVALID: self.invalid_pct, rules.MISSING_IN: self.missing_in_pct,
                  rules.MISSING_OUT: self.missing_out_pct}
        leave = {r.kind: (r.mode, r.pct) for r in self.leave_rules.all()}
        return rules.Rules(
            share_pct=self.share_pct, percent_of=self.percent_of, events={k: Decimal(v) for k, v in events.items()},
            leave=leave, kind_pct={EmployeeKind.CPNS: self.cpns_pct, EmployeeKind.PPPK: self.pppk_pct,
                                   EmployeeKind.PPPK_PARUH_WAKTU: self.pppk_pct},
            terminal_down=self.terminal_down, rounding_unit=self.rounding_unit, rounding_down=self.rounding_down)


class LeaveKey(models.TextChoices):
    CUTI_TAHUNAN = "cuti_tahunan", _("Cuti tahunan")
    SAKIT_SURAT = "sakit_surat", _("Sakit dengan surat dokter")
    SAKIT = "sakit", _("Sakit tanpa surat")
    CUTI_BESAR = "cuti_besar", _("Cuti besar")
    CUTI_MELAHIRKAN = "cuti_melahirkan", _("Cuti melahirkan")
    ALASAN_PENTING = "alasan_penting", _("Izin/cuti alasan penting")
    TUGAS_BELAJAR = "tugas_belajar", _("Tugas belajar")
    DINAS_LUAR = "dinas_luar", _("Dinas luar")
    RAPAT = "rapat", _("Rapat/kegiatan di luar kantor")
    CLTN = "cltn", _("CLTN")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")


class LeaveMode(models.TextChoices):
    NO_CUT = rules.NO_CUT, _("Tanpa potongan")
    PERCENT = rules.PERCENT, _("Potongan persen per hari")
    NO_TPP = rules.NO_TPP_DAY, _("Tanpa TPP untuk hari itu")


class LeaveRule(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="leave_rules")
    kind = models.CharField(_("jenis izin/cuti/tugas"), max_length=20, choices=LeaveKey.choices)
    mode = models.CharField(_("dihitung sebagai"), max_length=8, choices=LeaveMode.choices, default=LeaveMode.NO_CUT)
    pct = pct_field(_("persen per hari"))

    class Meta:
        verbose_name = _("aturan izin/cuti")
        verbose_name_plural = _("aturan izin/cuti")
        constraints = [models.UniqueConstraint(fields=["rule_set", "kind"], name="uniq_tpp_leave_rule")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_mode_display()}"

    def clean(self) -> None:
        if self.mode == LeaveMode.PERCENT and not self.pct:
            raise ValidationError({"pct": _("Isi persen potongan per hari.")})


class Base(models.Model):
    """An employee's monthly TPP base from `valid_from` on (history: the latest row on or before a month's last
    day applies)."""

    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="tpp_bases")
    amount = models.PositiveBigIntegerField(_("TPP dasar per bulan (Rp)"))
    valid_from = models.DateField(_("berlaku mulai"))
    golongan = models.CharField(_("golongan"), max_length=10, blank=True)
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("TPP dasar")
        verbose_name_plural = _("TPP dasar")
        ordering = ["employee", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["employee", "valid_from"], name="uniq_tpp_base_from")]

    def __str__(self) -> str:
        return f"{self.employee_id} · Rp {self.amount:,} sejak {self.valid_from:%d-%m-%Y}".replace(",", ".")


class Period(models.Model):
    """A month closed for one OPD: its results are frozen."""

    month = models.DateField(_("bulan"))  # the 1st
    opd = models.ForeignKey(Unit, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("ditutup"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("bulan TPP yang ditutup")
        verbose_name_plural = _("bulan TPP yang ditutup")
        constraints = [models.UniqueConstraint(fields=["month", "opd"], name="uniq_tpp_period")]

    def __str__(self) -> str:
        return f"TPP {self.month:%m/%Y} · OPD {self.opd_id}"


class Result(models.Model):
    month = models.DateField(_("bulan"))
    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="tpp_results")
    opd = models.ForeignKey(Unit, verbose_name=_("OPD"), null=True, on_delete=models.SET_NULL, related_name="+")
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("aturan"), on_delete=models.PROTECT, related_name="+")
    base = models.BigIntegerField(_("TPP dasar"))
    gross = models.BigIntegerField(_("TPP sesuai jenis pegawai"))
    share = models.BigIntegerField(_("bagian disiplin kerja (batas potongan)"))
    cuts = models.BigIntegerField(_("potongan kehadiran"))
    cuts_uncapped = models.BigIntegerField(_("potongan sebelum batas"))
    no_tpp = models.BigIntegerField(_("hari tanpa TPP"))
    sanction = models.BigIntegerField(_("sanksi PP 94/2021"))
    adjustment = models.BigIntegerField(_("penyesuaian bulan lalu"), default=0)
    net = models.BigIntegerField(_("TPP diterima"))
    working_days = models.PositiveSmallIntegerField(_("hari kerja"))
    closed = models.BooleanField(_("ditutup"), default=False)
    computed_at = models.DateTimeField(_("dihitung"), default=timezone.now)

    class Meta:
        verbose_name = _("TPP bulanan")
        verbose_name_plural = _("TPP bulanan")
        constraints = [models.UniqueConstraint(fields=["month", "employee"], name="uniq_tpp_result")]
        indexes = [models.Index(fields=["month", "opd"], name="tpp_result_month_opd")]

    def __str__(self) -> str:
        return f"TPP {self.month:%m/%Y} · {self.employee_id}"


class Line(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="lines")
    date = models.DateField(_("tanggal"), null=True, blank=True)
    event = models.CharField(_("kejadian"), max_length=16)
    pct = models.DecimalField(_("persen"), max_digits=7, decimal_places=3)
    amount = models.BigIntegerField(_("rupiah"))
    note = models.CharField(_("keterangan"), max_length=100, blank=True)
    of_month = models.DateField(_("untuk bulan"), null=True, blank=True)  # an adjustment: the closed month

    class Meta:
        verbose_name = _("rincian potongan")
        verbose_name_plural = _("rincian potongan")
        ordering = ["result", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date or ''} {self.event} {self.amount}"


