from __future__ import annotations

from django import forms

from content.models import Credential
from lib.dates import DateInRangeField
from lib.ids import IdChoiceField

from .models import Status, StepProgress


class StepChangeForm(forms.ModelForm):
    """A step's status, dates, note and evidence. The rules live in services.change_step."""

    status = forms.ChoiceField(choices=Status.choices)

    class Meta:
        model = StepProgress
        fields = ["status", "started_on", "completed_on", "evidence", "note"]
        field_classes = {"started_on": DateInRangeField, "completed_on": DateInRangeField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        labels = {"started_on": "Started on", "completed_on": "Completed on"}


class HeldCredentialForm(forms.Form):
    credential = IdChoiceField(queryset=Credential.objects.order_by("code"), to_field_name="code")
    earned_on = DateInRangeField(label="Earned on")
