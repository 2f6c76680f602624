"""The check-in app's admin list of shared devices. Device bindings themselves are organisation data
(hadir.org.models.DeviceBinding): the app binds a phone at the employee's first login, the pipeline enforces it."""

from __future__ import annotations

from hadir.org.models import DeviceBinding


class SharedDeviceBinding(DeviceBinding):
    """Admin list of bindings whose device key is (or was) used by more than one employee."""

    class Meta:
        proxy = True
        verbose_name = "perangkat dipakai bersama"
        verbose_name_plural = "perangkat dipakai bersama"
