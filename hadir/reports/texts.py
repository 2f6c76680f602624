"""Words and number formats the recap's page, Excel and PDF share."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

LEGEND = [("H", gettext_lazy("Hadir")), ("T1–T4", gettext_lazy("Terlambat, kategori TL1–TL4")),
          ("P1–P4", gettext_lazy("Pulang sebelum waktunya, PSW1–PSW4")), ("TK", gettext_lazy("Tanpa keterangan")),
          ("I", gettext_lazy("Izin")), ("S", gettext_lazy("Sakit")), ("C", gettext_lazy("Cuti")),
          ("DL", gettext_lazy("Dinas luar")), ("L", gettext_lazy("Libur / bukan hari kerja")),
          ("B", gettext_lazy("Belum ditutup"))]

RATE_DEFINITION = gettext_lazy(
    "Tingkat kehadiran = (hadir + dinas luar) ÷ (hadir + dinas luar + tanpa keterangan + belum presensi) pada hari "
    "kerja; izin, sakit dan cuti tidak dihitung.")


def rate_text(rate: float | None) -> str:
    """The rate with two decimals in the active language's format ("83,33" in Indonesian), "—" when nobody was
    expected."""
    return "—" if rate is None else number_format(round(rate, 2), 2)
