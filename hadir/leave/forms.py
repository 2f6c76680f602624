from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import LeaveKind


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"))
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Keperluan/alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    letter_number = forms.CharField(label=_("Nomor surat tugas"), max_length=100, required=False)
    destination = forms.CharField(label=_("Tujuan"), max_length=200, required=False)
    document = forms.FileField(
        label=_("Dokumen (PDF/JPEG/PNG, maks. 5 MB)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, employee_kind: str = "pns", sex: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = rules.kinds_for(employee_kind, sex)
        self.fields["kind"].choices = [(k.value, k.label) for k in LeaveKind if k.value in allowed]  # type: ignore[attr-defined]
