from __future__ import annotations

from django import forms

from lib.ids import IdChoiceField

from .models import SalaryFigure, Source


class SalaryFilterForm(forms.Form):
    source = IdChoiceField(
        queryset=Source.objects.filter(figures__isnull=False).distinct(),
        to_field_name="key",
        required=False,
        empty_label="All sources",
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *SalaryFigure.Kind.choices], required=False)

    def filter(self, figures):
        """Narrow ``figures`` by the valid choices; call after ``is_valid()``."""
        if self.cleaned_data.get("source"):
            figures = figures.filter(source=self.cleaned_data["source"])
        if self.cleaned_data.get("kind"):
            figures = figures.filter(kind=self.cleaned_data["kind"])
        return figures
