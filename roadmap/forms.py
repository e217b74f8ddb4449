from __future__ import annotations

from django import forms

from content.models import Credential

from .models import Status, StepProgress


class DateInput(forms.DateInput):
    input_type = "date"


class StepChangeForm(forms.ModelForm):
    """A step's status, dates, note and evidence. The rules live in services.change_step."""

    status = forms.ChoiceField(choices=Status.choices)

    class Meta:
        model = StepProgress
        fields = ["status", "started_on", "completed_on", "evidence", "note"]
        widgets = {
            "started_on": DateInput,
            "completed_on": DateInput,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"started_on": "Started on", "completed_on": "Completed on"}


class HeldCredentialForm(forms.Form):
    credential = forms.ModelChoiceField(queryset=Credential.objects.order_by("code"), to_field_name="code")
    earned_on = forms.DateField(widget=DateInput, label="Earned on")
