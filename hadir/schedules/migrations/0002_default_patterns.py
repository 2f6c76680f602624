"""Seed the patterns every Pemda starts from: 5 working days per Perpres 21/2023 (default, with Ramadan
hours), a 6-day school variant, the usual RSUD shifts, and the common TL/PSW thresholds."""

import datetime as dt

from django.db import migrations


def T(h, m=0):
    return dt.time(h, m)


def seed(apps, schema_editor):
    WorkPattern = apps.get_model("schedules", "WorkPattern")
    WorkPatternDay = apps.get_model("schedules", "WorkPatternDay")
    Shift = apps.get_model("schedules", "Shift")
    LatenessRuleSet = apps.get_model("schedules", "LatenessRuleSet")

    five = WorkPattern.objects.create(
        code="perpres-5-hari", name="5 hari kerja (Perpres 21/2023)", is_default=True,
        description="Senin–Kamis 07.30–16.00, Jumat 07.30–16.30; Ramadan 08.00–15.00, Jumat 08.00–15.30.",
    )
    for wd in range(5):
        WorkPatternDay.objects.create(pattern=five, weekday=wd, start=T(7, 30), end=T(16, 30) if wd == 4 else T(16))
        WorkPatternDay.objects.create(pattern=five, weekday=wd, ramadan=True, start=T(8),
                                      end=T(15, 30) if wd == 4 else T(15))
    six = WorkPattern.objects.create(
        code="sekolah-6-hari", name="6 hari kerja (sekolah)",
        description="Senin–Kamis 07.30–14.30, Jumat 07.30–11.30, Sabtu 07.30–13.00 (37,5 jam per minggu); "
        "Ramadan 08.00–13.00, Jumat 08.00–11.00, Sabtu 08.00–12.00.",
    )
    for wd in range(6):
        end = {4: T(11, 30), 5: T(13)}.get(wd, T(14, 30))
        WorkPatternDay.objects.create(pattern=six, weekday=wd, start=T(7, 30), end=end)
        WorkPatternDay.objects.create(pattern=six, weekday=wd, ramadan=True, start=T(8),
                                      end={4: T(11), 5: T(12)}.get(wd, T(13)))
    WorkPattern.objects.create(
        code="shift-24-jam", name="Shift 24 jam (RSUD/puskesmas rawat inap)", uses_roster=True,
        works_on_holidays=True, description="Hari kerja mengikuti jadwal shift per pegawai.",
    )
    Shift.objects.create(code="pagi", name="Pagi", start=T(7), end=T(14))
    Shift.objects.create(code="siang", name="Siang", start=T(14), end=T(21))
    Shift.objects.create(code="malam", name="Malam", start=T(21), end=T(7))
    LatenessRuleSet.objects.create(name="Ketentuan umum TL/PSW", effective_from=dt.date(2000, 1, 1))


def unseed(apps, schema_editor):
    apps.get_model("schedules", "WorkPattern").objects.filter(
        code__in=["perpres-5-hari", "sekolah-6-hari", "shift-24-jam"]).delete()
    apps.get_model("schedules", "Shift").objects.filter(unit__isnull=True, code__in=["pagi", "siang", "malam"]).delete()
    apps.get_model("schedules", "LatenessRuleSet").objects.filter(effective_from=dt.date(2000, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("schedules", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
