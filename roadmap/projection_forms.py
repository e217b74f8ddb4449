from __future__ import annotations

from decimal import Decimal

from django import forms

from content.models import Credential, EducationPath, Region, WorkSetting

from .models import Roadmap
from .projection import DEFAULT_HORIZON_YEARS, MAX_HORIZON_YEARS, MAX_YEARS_OF_EXPERIENCE

DEFAULT_ROADMAP = "outpatient-aapc"


class ProjectionForm(forms.Form):
    """The inputs of a projection, read from the query string so a result can be bookmarked."""

    roadmap = forms.ModelChoiceField(
        queryset=Roadmap.objects.filter(is_default=True), to_field_name="key", empty_label=None
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.exclude(kind=Region.Kind.NATION),
        to_field_name="key",
        required=False,
        empty_label="United States (national)",
        label="State or metro area",
    )
    work_setting = forms.ModelChoiceField(
        queryset=WorkSetting.objects.all(), to_field_name="key", required=False, empty_label="Any setting"
    )
    years = forms.DecimalField(
        min_value=0,
        max_value=MAX_YEARS_OF_EXPERIENCE,
        decimal_places=1,
        initial=0,
        required=False,
        label="Years of experience in coding or billing",
    )
    credentials = forms.ModelMultipleChoiceField(
        queryset=Credential.objects.order_by("order"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Credentials you hold",
    )
    education = forms.ModelMultipleChoiceField(
        queryset=EducationPath.objects.all(),
        to_field_name="key",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Education completed",
    )
    horizon = forms.IntegerField(
        min_value=1,
        max_value=MAX_HORIZON_YEARS,
        initial=DEFAULT_HORIZON_YEARS,
        required=False,
        label="Horizon (years)",
    )

    def clean_years(self) -> Decimal:
        return self.cleaned_data.get("years") or Decimal(0)

    def clean_horizon(self) -> int:
        return self.cleaned_data.get("horizon") or DEFAULT_HORIZON_YEARS


class CompareForm(ProjectionForm):
    other = forms.ModelChoiceField(
        queryset=Roadmap.objects.filter(is_default=True),
        to_field_name="key",
        empty_label=None,
        label="Compare with",
    )

    field_order = ["roadmap", "other"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("roadmap") and cleaned.get("roadmap") == cleaned.get("other"):
            self.add_error("other", "Choose a different roadmap to compare with.")
        return cleaned
