"""Organisation model: units (OPD tree), positions (jabatan tree), employees, work locations, roles."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .identity import IdentityError, parse_nik, parse_nip

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class UnitKind(models.TextChoices):
    PEMDA = "pemda", _("Pemerintah Daerah")
    SEKRETARIAT_DAERAH = "setda", _("Sekretariat Daerah")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    KANTOR = "kantor", _("Kantor")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    RSUD = "rsud", _("RSUD")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    BIDANG = "bidang", _("Bidang")
    BAGIAN = "bagian", _("Bagian")
    SUBBAGIAN = "subbagian", _("Subbagian")
    SEKSI = "seksi", _("Seksi")
    UPT = "upt", _("UPT")
    SEKOLAH = "sekolah", _("Sekolah")
    PUSKESMAS = "puskesmas", _("Puskesmas")


# Kinds that are an OPD in their own right when they hang directly under the Pemda.
OPD_KINDS = {
    UnitKind.SEKRETARIAT_DAERAH,
    UnitKind.DINAS,
    UnitKind.BADAN,
    UnitKind.KANTOR,
    UnitKind.INSPEKTORAT,
    UnitKind.KECAMATAN,
    UnitKind.RSUD,
    UnitKind.SEKRETARIAT,
}

PATH_STEP = 6  # digits per level in Unit.path


class Unit(models.Model):
    """A node of the organisation tree: the Pemda at the root, OPDs below it, sub-units below those.

    `path` is a materialised path (zero-padded ids joined by '.') so that a whole subtree is one
    indexed prefix query; `opd` points at the OPD a unit belongs to (itself for an OPD).
    """

    name = models.CharField(_("nama"), max_length=200)
    code = models.CharField(_("kode"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    opd = models.ForeignKey(
        "self", verbose_name=_("OPD"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = pgettext_lazy("jamak", "unit kerja")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_opd(self) -> bool:
        return self.opd_id is not None and self.opd_id == self.pk

    def clean(self) -> None:
        if self.parent_id and self.pk:
            node: Unit | None = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("Induk unit tidak boleh unit itu sendiri atau turunannya.")})
                node = node.parent

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        self._refresh_tree_fields()

    def _refresh_tree_fields(self) -> None:
        parent = self.parent
        path = f"{parent.path}.{self.pk:0{PATH_STEP}d}" if parent else f"{self.pk:0{PATH_STEP}d}"
        if self.kind == UnitKind.PEMDA:
            opd_id = None
        elif parent is None or parent.kind == UnitKind.PEMDA or (self.kind in OPD_KINDS and parent.opd_id is None):
            opd_id = self.pk
        else:
            opd_id = parent.opd_id
        if path != self.path or opd_id != self.opd_id:
            old_path = self.path
            Unit.objects.filter(pk=self.pk).update(path=path, opd_id=opd_id)
            self.path, self.opd_id = path, opd_id
            if old_path:
                for child in Unit.objects.filter(parent=self):
                    child._refresh_tree_fields()

    def subtree(self) -> QuerySet[Unit]:
        return Unit.objects.filter(Q(path=self.path) | Q(path__startswith=self.path + "."))

    def ancestors(self) -> list[Unit]:
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class TimeZoneChoice(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class WorkLocation(models.Model):
    """A place where check-ins are accepted: a circle around a point, in a time zone."""

    name = models.CharField(_("nama"), max_length=200)
    code = models.CharField(
        "kode", max_length=40, unique=True, null=True, blank=True,
        help_text=_("Kode singkat untuk impor dan mesin absensi, mis. LOK-DINKES."),
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="locations")
    latitude = models.FloatField(_("lintang"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("bujur"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    radius_m = models.PositiveIntegerField(
        "radius (m)", default=100, validators=[MinValueValidator(10), MaxValueValidator(5000)]
    )
    timezone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZoneChoice.choices, default=TimeZoneChoice.WIB)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("lokasi kerja")
        verbose_name_plural = pgettext_lazy("jamak", "lokasi kerja")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Eselon(models.TextChoices):
    II_A = "II.a", _("II.a")
    II_B = "II.b", _("II.b")
    III_A = "III.a", _("III.a")
    III_B = "III.b", _("III.b")
    IV_A = "IV.a", _("IV.a")
    IV_B = "IV.b", _("IV.b")
    FUNGSIONAL = "JF", _("Jabatan Fungsional")
    PELAKSANA = "JP", _("Jabatan Pelaksana")
    NON_ASN = "NA", _("Non-ASN")


class Position(models.Model):
    """A jabatan. `parent` is the atasan langsung's position; the tree gives the approval tiers."""

    name = models.CharField(_("nama jabatan"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="positions")
    parent = models.ForeignKey(
        "self", verbose_name=_("atasan langsung"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="subordinates",
    )
    eselon = models.CharField(_("eselon/jenis"), max_length=8, choices=Eselon.choices, default=Eselon.PELAKSANA)
    is_head = models.BooleanField(_("kepala unit"), default=False, help_text=_("Pemegang jabatan ini memimpin unitnya."))
    code = models.CharField(_("kode"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = pgettext_lazy("jamak", "jabatan")
        ordering = ["unit__path", "-is_head", "name"]

    def __str__(self) -> str:
        return f"{self.name} — {self.unit.name}" if self.unit_id else self.name

    def clean(self) -> None:
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("Atasan tidak boleh jabatan itu sendiri atau bawahannya.")})
            node = node.parent


class EmployeeKind(models.TextChoices):
    PNS = "pns", _("PNS")
    CPNS = "cpns", _("CPNS")
    PPPK = "pppk", _("PPPK")
    PPPK_PARUH_WAKTU = "pppk_pw", _("PPPK Paruh Waktu")
    TKK = "tkk", _("TKK/Honorer")


ASN_KINDS = {EmployeeKind.PNS, EmployeeKind.CPNS, EmployeeKind.PPPK, EmployeeKind.PPPK_PARUH_WAKTU}
PPPK_KINDS = {EmployeeKind.PPPK, EmployeeKind.PPPK_PARUH_WAKTU}


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def active_on(self, day: dt.date) -> EmployeeQuerySet:
        return self.active_between(day, day)

    def active_between(self, start: dt.date, end: dt.date) -> EmployeeQuerySet:
        """Active staff whose employment overlaps [start, end] (one who left during it is included)."""
        return self.filter(Q(active_from__lte=end) | Q(active_from__isnull=True)).filter(
            Q(active_until__gte=start) | Q(active_until__isnull=True)
        ).filter(is_active=True)


class Employee(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    kind = models.CharField(_("jenis pegawai"), max_length=10, choices=EmployeeKind.choices)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(
        Position, verbose_name=_("jabatan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="holders"
    )
    locations = models.ManyToManyField(WorkLocation, verbose_name=_("lokasi kerja"), blank=True, related_name="employees")
    tpp_base = models.PositiveBigIntegerField(_("TPP dasar (Rp)"), default=0)
    active_from = models.DateField(_("aktif sejak"), null=True, blank=True)
    active_until = models.DateField(_("aktif sampai"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    device_pin = models.CharField(_("PIN mesin absensi"), max_length=24, unique=True, null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="employee",
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = pgettext_lazy("jamak", "pegawai")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["unit", "is_active"]),
            # The today board pages employees by name; PostgreSQL walks this index and stops after a page.
            models.Index(fields=["name", "id"], name="employee_name_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else self.name

    @property
    def opd(self) -> Unit | None:
        return self.unit.opd

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind in ASN_KINDS and self.kind != EmployeeKind.PPPK_PARUH_WAKTU and not self.nip:
            errors["nip"] = _("NIP wajib diisi untuk ASN.")
        if self.nip:
            try:
                info = parse_nip(self.nip)
            except IdentityError as exc:
                errors["nip"] = str(exc)
            else:
                if info.is_pppk and self.kind not in PPPK_KINDS:
                    errors["nip"] = _("NIP ini berformat NI PPPK, tetapi jenis pegawai bukan PPPK.")
                elif not info.is_pppk and self.kind in PPPK_KINDS:
                    errors["nip"] = _("Jenis pegawai PPPK memerlukan NI PPPK (kode 21 pada bulan TMT).")
                else:
                    self.sex = self.sex or info.sex
                    self.birth_date = self.birth_date or info.birth_date
                    if self.sex != info.sex:
                        errors["sex"] = _("Jenis kelamin tidak sesuai dengan kode pada NIP.")
        if self.nik:
            try:
                parse_nik(self.nik)
            except IdentityError as exc:
                errors["nik"] = str(exc)
        if not self.nip and not self.nik:
            errors["nik"] = _("Pegawai tanpa NIP wajib memiliki NIK.")
        if self.active_from and self.active_until and self.active_until < self.active_from:
            errors["active_until"] = _("Tanggal akhir aktif tidak boleh sebelum tanggal mulai.")
        if self.position_id and self.unit_id and self.position and self.unit:
            if self.position.unit.opd_id != self.unit.opd_id:
                errors["position"] = _("Jabatan harus berada di OPD yang sama dengan unit kerja pegawai.")
        if errors:
            raise ValidationError(errors)

    def superior_positions(self) -> list[Position]:
        """Positions up the tree starting at the atasan langsung (for escalation when vacant)."""
        chain: list[Position] = []
        node = self.position.parent if self.position else None
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Role(models.TextChoices):
    OPERATOR_OPD = "operator_opd", _("Operator OPD")
    ADMIN_BKPSDM = "admin_bkpsdm", _("Admin BKPSDM")
    SUPER_ADMIN = "super_admin", _("Super-admin")


class RoleAssignment(models.Model):
    """An administrative role over a unit subtree. (Employee and atasan are implied, not assigned.)

    An operator OPD is assigned to their OPD; an admin BKPSDM normally to the Pemda root (the whole
    regency); a super-admin needs no unit.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="hadir_roles"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("cakupan unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    granted_at = models.DateTimeField(_("diberikan"), default=timezone.now)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = pgettext_lazy("jamak", "peran")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_role_assignment")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit or 'semua'}"

    def clean(self) -> None:
        if self.role != Role.SUPER_ADMIN and not self.unit_id:
            raise ValidationError({"unit": _("Peran ini memerlukan cakupan unit.")})


class ApiToken(models.Model):
    """Bearer token for native (Android) clients. Only a hash of the key is stored (hadir/org/tokens.py).

    It opens the API until it expires, is revoked (by its owner or a BKPSDM admin), or the owner's password
    changes: `session_hash` is the owner's `get_session_auth_hash()` when it was issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("nama perangkat"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    session_hash = models.CharField(max_length=128, blank=True, default="")
    revoked = models.BooleanField(_("dicabut"), default=False)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = pgettext_lazy("jamak", "token API")

    def __str__(self) -> str:
        return f"{self.user} · {self.label or f'{self.created_at:%Y-%m-%d}'}"


def employee_of(user: User | object) -> Employee | None:
    """The Employee record linked to a user, or None."""
    try:
        return user.employee  # type: ignore[union-attr,attr-defined,no-any-return]
    except (Employee.DoesNotExist, AttributeError):
        return None


class DeviceBindingQuerySet(models.QuerySet["DeviceBinding"]):
    def active(self) -> DeviceBindingQuerySet:
        return self.filter(revoked_at__isnull=True)

    def shared_key_hashes(self) -> QuerySet[DeviceBinding, str]:
        """Key hashes bound (now or in the past) by more than one employee."""
        return (
            DeviceBinding.objects.values("key_hash")
            .annotate(n=Count("employee", distinct=True))
            .filter(n__gt=1)
            .values_list("key_hash", flat=True)
        )

    def shared(self) -> DeviceBindingQuerySet:
        return self.filter(key_hash__in=self.shared_key_hashes())


class DeviceBinding(models.Model):
    """The phone an employee checks in with (beside their API tokens and their terminal PIN).

    The check-in app generates a random device key on first start and keeps it; the employee's first login in
    the app binds that key to them (hadir.mobile), and the check-in pipeline refuses check-ins from any other
    key until an operator resets the binding (hadir.presence). Only a SHA-256 hash of the key is stored. A key
    that several employees have bound is a shared device ("titip absen" on one phone): listed for operators
    and flagged on the check-ins made with it."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="device_bindings"
    )
    key_hash = models.CharField(_("hash kunci perangkat"), max_length=64, db_index=True)
    user_agent = models.CharField(_("peramban/perangkat"), max_length=300, blank=True)
    label = models.CharField(_("nama perangkat"), max_length=100, blank=True)
    bound_at = models.DateTimeField(_("diikat pada"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("direset pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("direset oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    revoke_reason = models.CharField(_("alasan reset"), max_length=300, blank=True)

    objects = DeviceBindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ikatan perangkat")
        verbose_name_plural = _("ikatan perangkat")
        ordering = ["-bound_at"]
        constraints = [
            # One active device per employee; the history of reset bindings is kept.
            models.UniqueConstraint(
                fields=["employee"], condition=Q(revoked_at__isnull=True), name="uniq_active_device_binding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.key_hint}"

    @property
    def key_hint(self) -> str:
        """A short, non-secret handle admins can compare between rows."""
        return self.key_hash[:10]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# The app makes 32 random bytes, base64url-encoded (43 chars); accept any sane opaque key.
DEVICE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


def hash_device_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_valid_device_key(key: str) -> bool:
    return bool(DEVICE_KEY_RE.match(key or ""))
