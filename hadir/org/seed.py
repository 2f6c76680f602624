"""Seed a realistic demo regency, "Kabupaten Contoh" in Bengkulu province (used by `hadir demo`).

Deterministic for a given random.Random: the same seed gives the same regency. Everything bulky
(users, employees, positions, location links) goes through bulk_create, and the demo password is
hashed once and reused, so ~2,000 employees seed in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .identity import parse_nik, parse_nip
from .models import (
    Employee,
    EmployeeKind,
    Eselon,
    Position,
    Role,
    RoleAssignment,
    Sex,
    Unit,
    UnitKind,
    WorkLocation,
)

DEMO_PASSWORD = "hadir-demo-2026"
REGION_NIK = "1709"  # Bengkulu province (17), a regency code; districts 01..10 follow.

# Offices of the regency government cluster around one complex (Karang Tinggi area, inland of Kota Bengkulu).
COMPLEX = (-3.7130, 102.4210)

KECAMATAN: list[tuple[str, float, float]] = [
    ("Karang Tinggi", -3.7020, 102.4330),
    ("Talang Empat", -3.7410, 102.3720),
    ("Pondok Kelapa", -3.6610, 102.3540),
    ("Taba Penanjung", -3.6840, 102.5480),
    ("Pagar Jati", -3.5840, 102.5260),
    ("Merigi Sakti", -3.6230, 102.6120),
    ("Semidang Lagan", -3.7920, 102.4520),
    ("Pematang Tiga", -3.5710, 102.4010),
]

VILLAGES: list[tuple[str, float, float]] = [
    ("Taba Teret", -3.7260, 102.3980), ("Renah Semanek", -3.6950, 102.5010), ("Kancing", -3.6120, 102.4520),
    ("Karang Nanding", -3.7550, 102.4190), ("Pekik Nyaring", -3.6420, 102.3410),
    ("Sunda Kelapa", -3.6690, 102.3700), ("Penanjung Panjang", -3.6980, 102.5660), ("Bajak", -3.7170, 102.4700),
    ("Tanjung Terdana", -3.6030, 102.5850), ("Lagan Bungin", -3.8060, 102.4350), ("Arga Indah", -3.7480, 102.4920),
    ("Taba Lagan", -3.7790, 102.3960), ("Pulau Panggung", -3.5600, 102.4320), ("Kembang Seri", -3.6330, 102.4850),
    ("Datar Lebar", -3.5920, 102.5020),
]


@dataclass
class OpdSpec:
    code: str
    name: str
    kind: str
    head: str
    head_eselon: str = Eselon.II_B
    subunits: list[tuple[UnitKind, str]] = field(default_factory=list)  # (kind, name)
    weight: int = 4  # relative staff size


def _dinas(code: str, name: str, head: str, bidang: list[str], kind: str = UnitKind.DINAS,
           weight: int = 4) -> OpdSpec:
    subs = [(UnitKind.SEKRETARIAT, "Sekretariat"), (UnitKind.SUBBAGIAN, "Subbagian Umum dan Kepegawaian"),
            (UnitKind.SUBBAGIAN, "Subbagian Perencanaan dan Keuangan")]
    subs += [(UnitKind.BIDANG, f"Bidang {b}") for b in bidang]
    return OpdSpec(code, name, kind, head, Eselon.II_B, subs, weight)


OPDS: list[OpdSpec] = [
    _dinas("DINKES", "Dinas Kesehatan", "Kepala Dinas Kesehatan",
           ["Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit", "Pelayanan dan Sumber Daya Kesehatan"],
           weight=5),
    _dinas("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "Kepala Dinas Pendidikan dan Kebudayaan",
           ["Pembinaan Sekolah Dasar", "Pembinaan Sekolah Menengah Pertama", "Kebudayaan"], weight=5),
    OpdSpec("SETDA", "Sekretariat Daerah", UnitKind.SEKRETARIAT_DAERAH, "Sekretaris Daerah", Eselon.II_A, [
        (UnitKind.BAGIAN, "Bagian Pemerintahan"), (UnitKind.BAGIAN, "Bagian Hukum"),
        (UnitKind.BAGIAN, "Bagian Organisasi"), (UnitKind.BAGIAN, "Bagian Umum"),
        (UnitKind.BAGIAN, "Bagian Perekonomian dan Sumber Daya Alam"),
        (UnitKind.BAGIAN, "Bagian Protokol dan Komunikasi Pimpinan"),
        (UnitKind.BAGIAN, "Bagian Pengadaan Barang dan Jasa"),
    ], weight=8),
    OpdSpec("SETWAN", "Sekretariat DPRD", UnitKind.SEKRETARIAT, "Sekretaris DPRD", Eselon.II_B, [
        (UnitKind.BAGIAN, "Bagian Umum dan Keuangan"), (UnitKind.BAGIAN, "Bagian Persidangan dan Perundang-undangan"),
        (UnitKind.BAGIAN, "Bagian Fasilitasi Penganggaran dan Pengawasan"),
    ], weight=5),
    OpdSpec("INSPEKTORAT", "Inspektorat Daerah", UnitKind.INSPEKTORAT, "Inspektur", Eselon.II_B, [
        (UnitKind.SEKRETARIAT, "Sekretariat"), (UnitKind.BIDANG, "Inspektur Pembantu Wilayah I"),
        (UnitKind.BIDANG, "Inspektur Pembantu Wilayah II"), (UnitKind.BIDANG, "Inspektur Pembantu Wilayah III"),
        (UnitKind.BIDANG, "Inspektur Pembantu Wilayah IV"),
    ], weight=4),
    _dinas("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Kepala Bappeda",
           ["Perencanaan Pemerintahan dan Pembangunan Manusia", "Perencanaan Infrastruktur dan Kewilayahan",
            "Penelitian dan Pengembangan"], kind=UnitKind.BADAN),
    _dinas("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Kepala BKPSDM",
           ["Pengadaan, Pemberhentian dan Informasi", "Mutasi dan Promosi", "Pengembangan Kompetensi"],
           kind=UnitKind.BADAN),
    _dinas("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "Kepala BPKAD",
           ["Anggaran", "Perbendaharaan", "Akuntansi", "Aset"], kind=UnitKind.BADAN, weight=5),
    _dinas("BAPENDA", "Badan Pendapatan Daerah", "Kepala Bapenda",
           ["Pendataan dan Penetapan", "Penagihan"], kind=UnitKind.BADAN),
    _dinas("BPBD", "Badan Penanggulangan Bencana Daerah", "Kepala Pelaksana BPBD",
           ["Pencegahan dan Kesiapsiagaan", "Kedaruratan dan Logistik", "Rehabilitasi dan Rekonstruksi"],
           kind=UnitKind.BADAN),
    OpdSpec("RSUD", "RSUD Kabupaten Contoh", UnitKind.RSUD, "Direktur RSUD", Eselon.II_B, [
        (UnitKind.BAGIAN, "Bagian Umum dan Keuangan"), (UnitKind.BIDANG, "Bidang Pelayanan Medik"),
        (UnitKind.BIDANG, "Bidang Keperawatan"), (UnitKind.BIDANG, "Bidang Penunjang Medik"),
    ], weight=14),
    _dinas("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas Dukcapil",
           ["Pelayanan Pendaftaran Penduduk", "Pelayanan Pencatatan Sipil", "Pengelolaan Informasi Administrasi"]),
    _dinas("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Dinas PUPR",
           ["Bina Marga", "Sumber Daya Air", "Cipta Karya dan Tata Ruang"], weight=5),
    _dinas("DISTAN", "Dinas Pertanian", "Kepala Dinas Pertanian",
           ["Tanaman Pangan dan Hortikultura", "Perkebunan", "Peternakan dan Kesehatan Hewan"], weight=5),
    _dinas("DISHUB", "Dinas Perhubungan", "Kepala Dinas Perhubungan",
           ["Lalu Lintas dan Angkutan", "Sarana dan Prasarana"]),
    _dinas("DLH", "Dinas Lingkungan Hidup", "Kepala Dinas Lingkungan Hidup",
           ["Tata Lingkungan", "Pengelolaan Sampah dan Limbah B3", "Penaatan dan Peningkatan Kapasitas"]),
    _dinas("SATPOLPP", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "Kepala Satpol PP",
           ["Penegakan Perundang-undangan Daerah", "Ketertiban Umum dan Ketenteraman Masyarakat",
            "Pemadam Kebakaran"], weight=6),
    _dinas("DISKOMINFO", "Dinas Komunikasi, Informatika dan Statistik", "Kepala Dinas Kominfo",
           ["Aplikasi Informatika", "Informasi dan Komunikasi Publik", "Statistik dan Persandian"]),
    _dinas("DINSOS", "Dinas Sosial", "Kepala Dinas Sosial",
           ["Rehabilitasi Sosial", "Perlindungan dan Jaminan Sosial"]),
    _dinas("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Kepala DPMPTSP",
           ["Penanaman Modal", "Pelayanan Perizinan"]),
    _dinas("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "Kepala DPMD",
           ["Pemerintahan Desa", "Pemberdayaan Masyarakat"]),
    _dinas("DISPARPORA", "Dinas Pariwisata, Pemuda dan Olahraga", "Kepala Disparpora",
           ["Pariwisata", "Kepemudaan dan Olahraga"]),
    _dinas("DISKOPERINDAG", "Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "Kepala Diskoperindag",
           ["Koperasi dan UKM", "Perindustrian dan Perdagangan"]),
    _dinas("DP3AP2KB", "Dinas Pengendalian Penduduk, KB, Pemberdayaan Perempuan dan Perlindungan Anak",
           "Kepala DP3AP2KB", ["Pengendalian Penduduk dan KB", "Pemberdayaan Perempuan dan Perlindungan Anak"]),
] + [
    OpdSpec(f"KEC-{i + 1:02d}", f"Kecamatan {name}", UnitKind.KECAMATAN, f"Camat {name}", Eselon.III_A, [
        (UnitKind.SEKRETARIAT, "Sekretariat Kecamatan"), (UnitKind.SEKSI, "Seksi Pemerintahan"),
        (UnitKind.SEKSI, "Seksi Kesejahteraan Sosial"), (UnitKind.SEKSI, "Seksi Ketenteraman dan Ketertiban"),
    ], weight=3)
    for i, (name, _lat, _lon) in enumerate(KECAMATAN)
]

MALE = ["Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko", "Rahmat", "Rudi", "Syahrial", "Taufik",
        "Wahyu", "Yusuf", "Zulkifli", "Agus", "Bambang", "Darmawan", "Edi", "Firdaus", "Gunawan", "Hasan", "Iwan",
        "Junaidi", "Khairul", "Mulyadi", "Nasrul", "Rizki", "Sapril", "Yudi", "Herman", "Asep", "Andi", "Arif",
        "Erwin", "Ferry", "Hamdan", "Ilham", "Rendi", "Suryadi"]
FEMALE = ["Siti", "Dewi", "Rina", "Nurul", "Yuliana", "Sri", "Fitri", "Ratna", "Lestari", "Marlina", "Novita",
          "Puspita", "Rahmawati", "Septiani", "Wulandari", "Yanti", "Desi", "Eka", "Herlina", "Indah", "Juwita",
          "Kartini", "Meli", "Nining", "Oktaviani", "Reni", "Susanti", "Tuti", "Vivi", "Zubaidah", "Ayu", "Lia",
          "Mega", "Nova", "Putri", "Anisa"]
SURNAMES = ["Saputra", "Pratama", "Hidayat", "Santoso", "Wijaya", "Setiawan", "Nugroho", "Syahputra", "Harahap",
            "Siregar", "Sembiring", "Kurniawan", "Hasibuan", "Rejang", "Effendi", "Marzuki", "Ramadhan", "Firmansyah",
            "Gunadi", "Permana", "Susilo", "Lubis", "Nasution", "Daulay", "Arifin", "Rasyid", "Zainal", "Ismail",
            "Sulaiman", "Hamzah", "Yahya", "Anwar", "Fauzi", "Hakim", "Maulana", "Purnama", "Sari", "Utami",
            "Handayani", "Safitri"]
FEMALE_SURNAMES = {"Sari", "Utami", "Handayani", "Safitri"}

STAFF_TITLES = ["S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.T.", "S.IP.", "S.AP.", "A.Md.", "", "", "", ""]


@dataclass
class _Slot:
    unit: Unit
    position: Position
    is_head: bool
    depth: int
    title_group: str


def _staff_positions(kind: str) -> list[tuple[str, str, str]]:
    """(name, eselon, title group) of the staff jabatan in a unit of this kind."""
    if kind == UnitKind.SEKOLAH:
        return [("Guru Kelas", Eselon.FUNGSIONAL, "guru"), ("Guru Mata Pelajaran", Eselon.FUNGSIONAL, "guru"),
                ("Tenaga Administrasi Sekolah", Eselon.PELAKSANA, "staf")]
    if kind == UnitKind.PUSKESMAS:
        return [("Dokter Ahli Pertama", Eselon.FUNGSIONAL, "dokter"), ("Perawat Terampil", Eselon.FUNGSIONAL, "perawat"),
                ("Bidan Terampil", Eselon.FUNGSIONAL, "bidan"),
                ("Pengadministrasi Perkantoran", Eselon.PELAKSANA, "staf")]
    if kind == UnitKind.RSUD:
        return [("Dokter Spesialis", Eselon.FUNGSIONAL, "dokter"), ("Perawat Ahli Pertama", Eselon.FUNGSIONAL, "perawat"),
                ("Pranata Laboratorium Kesehatan", Eselon.FUNGSIONAL, "staf")]
    return [("Pengadministrasi Perkantoran", Eselon.PELAKSANA, "staf"),
            ("Penata Layanan Operasional", Eselon.PELAKSANA, "staf"),
            ("Analis Kebijakan Ahli Pertama", Eselon.FUNGSIONAL, "staf")]


def _head_of(kind: str, name: str) -> tuple[str, str]:
    """(jabatan, eselon) of the head of a sub-unit."""
    if kind == UnitKind.SEKRETARIAT:
        return ("Sekretaris Camat" if "Kecamatan" in name else "Sekretaris"), Eselon.III_A
    if kind == UnitKind.BIDANG:
        return (name if name.startswith("Inspektur") else f"Kepala {name}"), Eselon.III_B
    if kind == UnitKind.BAGIAN:
        return f"Kepala {name}", Eselon.III_B
    if kind == UnitKind.SUBBAGIAN:
        return f"Kepala {name}", Eselon.IV_A
    if kind == UnitKind.SEKSI:
        return f"Kepala {name}", Eselon.IV_A
    if kind == UnitKind.SEKOLAH:
        return "Kepala Sekolah", Eselon.FUNGSIONAL
    if kind == UnitKind.PUSKESMAS:
        return f"Kepala {name}", Eselon.IV_A
    return f"Kepala {name}", Eselon.IV_A


TPP_BY_ESELON: dict[str, tuple[int, int]] = {
    Eselon.II_A: (14_000_000, 16_000_000), Eselon.II_B: (10_000_000, 12_500_000),
    Eselon.III_A: (6_500_000, 7_500_000), Eselon.III_B: (5_500_000, 6_500_000),
    Eselon.IV_A: (3_800_000, 4_500_000), Eselon.IV_B: (3_200_000, 3_800_000),
    Eselon.FUNGSIONAL: (2_400_000, 3_600_000), Eselon.PELAKSANA: (1_900_000, 2_600_000),
}


@dataclass
class SeedResult:
    units: int
    positions: int
    locations: int
    employees: int
    by_kind: dict[str, int]


class _Identities:
    """Unique, valid NIPs/NIKs/PINs drawn from one RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.nips: set[str] = set()
        self.niks: set[str] = set()

    def nip(self, birth: dt.date, tmt_year: int, tmt_month: int, sex: str) -> str:
        prefix = f"{birth:%Y%m%d}{tmt_year}{tmt_month:02d}{'1' if sex == Sex.L else '2'}"
        while True:
            nip = f"{prefix}{self.rng.randint(1, 999):03d}"
            if nip not in self.nips:
                self.nips.add(nip)
                parse_nip(nip)  # the generator must only make numbers the validator accepts
                return nip

    def nik(self, birth: dt.date, sex: str) -> str:
        day = birth.day + (40 if sex == Sex.P else 0)
        while True:
            nik = f"{REGION_NIK}{self.rng.randint(1, 10):02d}{day:02d}{birth:%m%y}{self.rng.randint(1, 9999):04d}"
            if nik not in self.niks:
                self.niks.add(nik)
                parse_nik(nik)
                return nik


def _person_name(rng: random.Random, sex: str, title_group: str, is_head: bool) -> str:
    first = rng.choice(MALE if sex == Sex.L else FEMALE)
    surnames = SURNAMES if sex == Sex.P else [s for s in SURNAMES if s not in FEMALE_SURNAMES]
    name = f"{first} {rng.choice(surnames)}"
    if title_group == "dokter":
        return f"dr. {name}" + (", M.Kes." if is_head else ", Sp.PD" if rng.random() < 0.2 else "")
    if title_group == "guru":
        return f"{name}, S.Pd." + (" M.Pd." if is_head and rng.random() < 0.5 else "")
    if title_group == "perawat":
        return f"{name}, " + rng.choice(["S.Kep., Ners", "A.Md.Kep."])
    if title_group == "bidan":
        return f"{name}, A.Md.Keb."
    if is_head:
        pre = rng.choice(["", "", "", "Drs. " if sex == Sex.L else "Dra. ", "Ir. "])
        return pre + f"{name}, " + rng.choice(["S.Sos., M.Si.", "S.E., M.M.", "S.H., M.H.", "S.T., M.T.", "S.IP., M.AP."])
    title = rng.choice(STAFF_TITLES)
    return f"{name}, {title}" if title else name


def _jitter(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    # 1e-5 degree ≈ 1.1 m at the equator; good enough for placing buildings near each other.
    d = metres / 111_000
    return round(lat + rng.uniform(-d, d), 6), round(lon + rng.uniform(-d, d), 6)


@transaction.atomic
def seed_regency(rng: random.Random, today: dt.date, employees: int = 2000) -> SeedResult:
    """Create Kabupaten Contoh. Call only on an empty organisation (the demo command checks)."""
    user_model = get_user_model()
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    ident = _Identities(rng)

    # --- units and their offices ---------------------------------------------------------------
    pemda = Unit(name="Pemerintah Kabupaten Contoh", code="PEMDA", kind=UnitKind.PEMDA)
    pemda.save()
    locations: list[WorkLocation] = []
    unit_location: dict[int, WorkLocation] = {}
    opd_units: list[tuple[OpdSpec, Unit, list[Unit]]] = []
    for i, spec in enumerate(OPDS):
        opd = Unit(name=spec.name, code=spec.code, kind=spec.kind, parent=pemda)
        opd.save()
        if spec.kind == UnitKind.KECAMATAN:
            _name, lat, lon = KECAMATAN[int(spec.code[-2:]) - 1]
            address = f"Jl. Raya {spec.name.removeprefix('Kecamatan ')}, Kabupaten Contoh, Bengkulu"
        else:
            # Offices laid out on a grid ~250 m apart in the government complex.
            lat = round(COMPLEX[0] + (i // 6) * 0.0023, 6)
            lon = round(COMPLEX[1] + (i % 6) * 0.0023, 6)
            address = "Komplek Perkantoran Pemerintah Kabupaten Contoh, Karang Tinggi, Bengkulu"
        loc = WorkLocation(name=f"Kantor {spec.name}", code=f"LOK-{spec.code}", unit=opd, latitude=lat, longitude=lon, radius_m=100,
                           timezone="Asia/Jakarta", address=address)
        locations.append(loc)
        unit_location[opd.pk] = loc
        subs = []
        for j, (sub_kind, name) in enumerate(spec.subunits):
            full = name if spec.kind == UnitKind.KECAMATAN or name.startswith(("Inspektur", "Bagian")) \
                else f"{name} {spec.name}"
            sub = Unit(name=full, code=f"{spec.code}-{j + 1:02d}", kind=sub_kind, parent=opd)
            sub.save()
            subs.append(sub)
        if spec.code == "DISDIKBUD":
            for k, (village, vlat, vlon) in enumerate(VILLAGES):
                school_name = f"SD Negeri {k + 1:02d} {village}" if k < 10 else f"SMP Negeri {k - 9} {village}"
                school = Unit(name=school_name, code=f"SEK-{k + 1:02d}", kind=UnitKind.SEKOLAH, parent=opd)
                school.save()
                subs.append(school)
                slat, slon = _jitter(rng, vlat, vlon, 300)
                sloc = WorkLocation(name=school_name, code=f"LOK-{school.code}", unit=school, latitude=slat, longitude=slon, radius_m=100,
                                    timezone="Asia/Jakarta", address=f"Desa {village}, Kabupaten Contoh, Bengkulu")
                locations.append(sloc)
                unit_location[school.pk] = sloc
        if spec.code == "DINKES":
            for k, (kec, klat, klon) in enumerate(KECAMATAN):
                pkm = Unit(name=f"Puskesmas {kec}", code=f"PKM-{k + 1:02d}", kind=UnitKind.PUSKESMAS, parent=opd)
                pkm.save()
                subs.append(pkm)
                plat, plon = _jitter(rng, klat, klon, 600)
                ploc = WorkLocation(name=f"Puskesmas {kec}", code=f"LOK-{pkm.code}", unit=pkm, latitude=plat, longitude=plon, radius_m=100,
                                    timezone="Asia/Jakarta", address=f"Kecamatan {kec}, Kabupaten Contoh, Bengkulu")
                locations.append(ploc)
                unit_location[pkm.pk] = ploc
        opd_units.append((spec, opd, subs))
    WorkLocation.objects.bulk_create(locations)

    # --- positions: heads level by level (atasan first), then staff jabatan ---------------------
    pcode = iter(range(1, 1_000_000))
    opd_heads = [Position(name=spec.head, unit=opd, eselon=spec.head_eselon, is_head=True, code=f"J{next(pcode):05d}")
                 for spec, opd, _subs in opd_units]
    Position.objects.bulk_create(opd_heads)
    sub_heads: list[Position] = []
    for (_spec, _opd, subs), head in zip(opd_units, opd_heads, strict=True):
        for sub in subs:
            name, eselon = _head_of(sub.kind, sub.name)
            sub_heads.append(Position(name=name, unit=sub, eselon=eselon, is_head=True, parent=head,
                                      code=f"J{next(pcode):05d}"))
    Position.objects.bulk_create(sub_heads)
    head_of_unit = {p.unit_id: p for p in opd_heads + sub_heads}
    staff_positions: dict[int, list[tuple[Position, str]]] = {}
    staff_rows: list[Position] = []
    all_units: list[tuple[OpdSpec, Unit]] = []
    for spec, opd, subs in opd_units:
        for unit in [opd, *subs]:
            all_units.append((spec, unit))
            unit_kind: str = UnitKind.RSUD if spec.kind == UnitKind.RSUD else unit.kind
            jabatan: list[tuple[Position, str]] = []
            for name, eselon, group in _staff_positions(unit_kind):
                pos = Position(name=name, unit=unit, eselon=eselon, parent=head_of_unit[unit.pk],
                               code=f"J{next(pcode):05d}")
                jabatan.append((pos, group))
                staff_rows.append(pos)
            staff_positions[unit.pk] = jabatan
    Position.objects.bulk_create(staff_rows)

    # --- who sits where ------------------------------------------------------------------------
    head_slots: list[_Slot] = []
    opd_head_group = {"DINKES": "dokter", "RSUD": "dokter", "DISDIKBUD": "guru"}
    for p in opd_heads:
        head_slots.append(_Slot(p.unit, p, True, 0, opd_head_group.get(p.unit.code, "pimpinan")))
    for p in sub_heads:
        group = {"sekolah": "guru", "puskesmas": "dokter"}.get(p.unit.kind, "pimpinan")
        head_slots.append(_Slot(p.unit, p, True, 1, group))
    # Structural posts are ~13 % of a regency's staff; fill OPD heads first when the demo is small.
    n_heads = min(len(head_slots), max(len(opd_heads), round(employees * 0.15)), employees)
    slots = head_slots[:n_heads]
    weights = []
    for spec, unit in all_units:
        w = {"sekolah": 9, "puskesmas": 16}.get(unit.kind, 0) or (
            spec.weight * (2 if unit.kind == UnitKind.RSUD else 1)
        )
        weights.append(w)
    for spec_unit in rng.choices(all_units, weights=weights, k=employees - n_heads):
        unit = spec_unit[1]
        pos, group = rng.choice(staff_positions[unit.pk])
        slots.append(_Slot(unit, pos, False, 2, group))

    kinds: list[str] = [EmployeeKind.PNS, EmployeeKind.CPNS, EmployeeKind.PPPK, EmployeeKind.PPPK_PARUH_WAKTU, EmployeeKind.TKK]
    kind_weights = [52, 6, 18, 10, 14]
    users: list[Any] = []
    rows: list[Employee] = []
    opd_of_unit = {u.pk: u.opd_id for _s, u in all_units}
    location_of_opd = {opd.pk: unit_location[opd.pk] for _s, opd, _subs in opd_units}
    by_kind: dict[str, int] = {}
    for n, slot in enumerate(slots):
        kind = str(EmployeeKind.PNS) if slot.is_head else rng.choices(kinds, weights=kind_weights)[0]
        if slot.position.eselon in (Eselon.II_A, Eselon.II_B, Eselon.III_A, Eselon.III_B, Eselon.IV_A):
            kind = str(EmployeeKind.PNS)
        sex = rng.choice([Sex.L, Sex.P])
        age = rng.randint(40, 57) if slot.is_head else rng.randint(25, 56)
        if kind == EmployeeKind.CPNS:
            age = rng.randint(23, 34)
        birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        nip: str | None = None
        tmt: dt.date
        if kind == EmployeeKind.PNS:
            tmt = dt.date(rng.randint(birth.year + 22, min(today.year - 2, birth.year + 35)), rng.randint(1, 12), 1)
            nip = ident.nip(birth, tmt.year, tmt.month, sex)
        elif kind == EmployeeKind.CPNS:
            tmt = dt.date(today.year - 1 if today.month < 6 else today.year, rng.choice([1, 3, 4]), 1)
            nip = ident.nip(birth, tmt.year, tmt.month, sex)
        elif kind == EmployeeKind.PPPK:
            tmt = dt.date(rng.randint(max(2022, birth.year + 20), max(2022, today.year - 1)), 1, 1)
            tmt = max(tmt, dt.date(2022, 1, 1))
            nip = ident.nip(birth, tmt.year, 21, sex)
        elif kind == EmployeeKind.PPPK_PARUH_WAKTU:
            tmt = dt.date(max(2025, birth.year + 20), 10, 1)
            nip = ident.nip(birth, tmt.year, 21, sex)
        else:
            tmt = dt.date(rng.randint(max(2012, birth.year + 19), today.year - 1), rng.randint(1, 12), 1)
        nik = ident.nik(birth, sex)
        lo, hi = TPP_BY_ESELON.get(slot.position.eselon, (0, 0))
        if kind == EmployeeKind.TKK:
            tpp = 0  # TPP is an ASN allowance; honorer are paid from another budget line
        elif kind == EmployeeKind.PPPK_PARUH_WAKTU:
            tpp = rng.randrange(500_000, 900_001, 50_000)
        else:
            tpp = rng.randrange(lo, hi + 1, 50_000)
        name = _person_name(rng, sex, slot.title_group, slot.is_head)
        users.append(user_model(username=nip or nik, password=password_hash, first_name=name[:150]))
        rows.append(Employee(
            name=name, nip=nip, nik=nik, kind=kind, sex=sex, birth_date=birth, unit=slot.unit, position=slot.position,
            tpp_base=tpp, active_from=tmt, is_active=True,
            device_pin=f"{10001 + n}", phone=f"08{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}",
        ))
        by_kind[kind] = by_kind.get(kind, 0) + 1
    user_model.objects.bulk_create(users, batch_size=500)
    for emp, user in zip(rows, users, strict=True):
        emp.user = user  # type: ignore[assignment]
    Employee.objects.bulk_create(rows, batch_size=500)

    # --- each employee's work locations: their school/puskesmas, else their OPD's office --------
    through = Employee.locations.through
    links = []
    extra_sites = [loc for loc in locations if loc.unit.kind in (UnitKind.SEKOLAH, UnitKind.PUSKESMAS)]
    for emp in rows:
        own = unit_location.get(emp.unit_id) or location_of_opd[opd_of_unit[emp.unit_id]]  # type: ignore[index]
        links.append(through(employee_id=emp.pk, worklocation_id=own.pk))
        # Supervisors in Dinkes/Disdik divisions also visit schools and puskesmas: a second location.
        if emp.unit.kind == UnitKind.BIDANG and emp.unit.parent and emp.unit.parent.code in ("DINKES", "DISDIKBUD") \
                and rng.random() < 0.3:
            candidates = [loc for loc in extra_sites if loc.unit.opd_id == emp.unit.opd_id]
            if candidates:
                links.append(through(employee_id=emp.pk, worklocation_id=rng.choice(candidates).pk))
    through.objects.bulk_create(links, batch_size=1000)

    # --- administrative accounts -----------------------------------------------------------------
    superadmin = user_model.objects.create(username="superadmin", password=password_hash, is_staff=True,
                                           is_superuser=True, first_name="Super-admin Diskominfo")
    RoleAssignment.objects.create(user=superadmin, role=Role.SUPER_ADMIN, unit=None)
    bkpsdm = user_model.objects.create(username="admin.bkpsdm", password=password_hash, first_name="Admin BKPSDM")
    RoleAssignment.objects.create(user=bkpsdm, role=Role.ADMIN_BKPSDM, unit=pemda)
    for spec, opd, _subs in opd_units:
        op = user_model.objects.create(username=f"operator.{spec.code.lower()}", password=password_hash,
                                       first_name=f"Operator {spec.name}"[:150])
        RoleAssignment.objects.create(user=op, role=Role.OPERATOR_OPD, unit=opd)

    return SeedResult(
        units=1 + len(all_units), positions=len(opd_heads) + len(sub_heads) + len(staff_rows),
        locations=len(locations), employees=len(rows), by_kind=by_kind,
    )


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, username, password) of the demo accounts, looked up in the database (works on re-runs too)."""
    user_model = get_user_model()
    logins = [
        (role, username, DEMO_PASSWORD)
        for role, username in [
            ("Super-admin", "superadmin"),
            ("Admin BKPSDM (seluruh kabupaten)", "admin.bkpsdm"),
            ("Operator OPD Dinas Kesehatan", "operator.dinkes"),
        ]
        if user_model.objects.filter(username=username).exists()
    ]
    dinkes = Unit.objects.filter(code="DINKES").first()
    if dinkes is None:
        return logins
    kadis = (
        Employee.objects.filter(unit=dinkes, position__is_head=True, position__parent__isnull=True, user__isnull=False)
        .select_related("user").order_by("pk").first()
    )
    if kadis is not None and kadis.user is not None:
        logins.append((f"Kepala Dinas Kesehatan — {kadis.name}", kadis.user.get_username(), DEMO_PASSWORD))
    staff_qs = Employee.objects.filter(position__is_head=False, user__isnull=False).select_related("user", "unit")
    staff = (
        staff_qs.filter(unit__opd=dinkes, kind=EmployeeKind.PNS).order_by("pk").first()
        or staff_qs.order_by("pk").first()
    )
    if staff is not None and staff.user is not None:
        logins.append((f"Staf {staff.unit.name} — {staff.name}", staff.user.get_username(), DEMO_PASSWORD))
    return logins
