"""The projection inputs, read from the query string so a projection can be bookmarked and shared."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from content.forms import PLACE_HELP, PLACE_LABEL, PlaceChoiceField
from content.models import Credential, EducationPath, WorkSetting

from .models import Roadmap
from .projection import DEFAULT_HORIZON_YEARS, MAX_HORIZON_YEARS, MAX_YEARS_OF_EXPERIENCE

DEFAULT_ROADMAP = "outpatient-aapc"
DEFAULT_OTHER_ROADMAP = "inpatient-ahima"


class ProjectionForm(forms.Form):
    """The inputs of a projection, read from the query string so a result can be bookmarked."""

    roadmap = forms.ModelChoiceField(
        queryset=Roadmap.objects.filter(is_default=True),
        to_field_name="key",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the roadmaps in the list."},
    )
    region = PlaceChoiceField(
        to_field_name="key",
        required=False,
        empty_label="United States (national)",
        label=PLACE_LABEL,
        help_text=PLACE_HELP,
    )
    work_setting = forms.ModelChoiceField(
        queryset=WorkSetting.objects.all(),
        to_field_name="key",
        required=False,
        empty_label="Any setting",
        error_messages={"invalid_choice": "We have no salary figures for that work setting; choose one from the list."},
    )
    years = forms.DecimalField(
        min_value=0,
        max_value=MAX_YEARS_OF_EXPERIENCE,
        decimal_places=1,
        initial=0,
        required=False,
        label="Years of experience in coding or billing",
        error_messages={"min_value": "Years of experience cannot be negative."},
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
