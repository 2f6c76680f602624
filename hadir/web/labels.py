"""Display labels (Indonesian source strings, English in locale/en)."""

from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS = {
    "hadir": _("Hadir"),
    "terlambat": _("Terlambat"),
    "belum": _("Belum presensi"),
    "belum_mulai": _("Belum mulai"),
    "izin": _("Izin/Cuti/DL"),
    "tk": _("TK"),
    "libur": _("Libur"),
}
LIST_FILTER_LABELS = {
    **CATEGORY_LABELS,
    "absen": _("Belum presensi + TK"),
    "merah": _("Tidak patuh (merah)"),
}
STATUS_LABELS = {
    "belum": _("Belum presensi"),
    "hadir": _("Hadir"),
    "terlambat": _("Terlambat"),
    "psw": _("Pulang sebelum waktunya"),
    "tk": _("Tanpa keterangan"),
    "izin": _("Izin"),
    "sakit": _("Sakit"),
    "cuti": _("Cuti"),
    "dl": _("Dinas luar"),
    "libur": _("Libur"),
}
KIND_LABELS = {
    "pns": "PNS",
    "cpns": "CPNS",
    "pppk": "PPPK",
    "pppk_pw": _("PPPK Paruh Waktu"),
    "tkk": _("TKK/Honorer"),
}
LEVEL_LABELS = {"ringan": _("ringan"), "sedang": _("sedang"), "berat": _("berat")}
CHECK_LABELS = {
    "locations": _("Lokasi kerja"),
    "heads": _("Kepala unit"),
    "devices": _("Perangkat terikat"),
    "terminals": _("Mesin absensi daring"),
}
