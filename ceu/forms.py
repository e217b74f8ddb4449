from __future__ import annotations

import datetime as dt

from django import forms

from lib.dates import DateInRangeField
from lib.ids import IdMultipleChoiceField
from lib.uploads import PrivateFileField
from roadmap.models import HeldCredential

from .cycles import Cycle
from .models import ApprenticeTracker, CeuEntry


class HoldingChoice(IdMultipleChoiceField):
    def label_from_instance(self, held: HeldCredential) -> str:
        return f"{held.credential.code} ({held.credential.name})"


class CeuEntryForm(forms.ModelForm):
    """One CEU activity. Only the person's own current credentials can be chosen."""

    credentials = HoldingChoice(
        queryset=HeldCredential.objects.none(), widget=forms.CheckboxSelectMultiple, label="Counts toward"
    )

    class Meta:
        model = CeuEntry
        fields = [
            "completed_on",
            "hours",
            "activity",
            "provider",
            "category",
            "body_sourced",
            "credentials",
            "certificate",
        ]
        field_classes = {"completed_on": DateInRangeField, "certificate": PrivateFileField}
        widgets = {
            "hours": forms.NumberInput(attrs={"step": "any", "min": "0.01", "max": "40"}),
            # A plain file input: Django's clearable one links to the file's storage URL, and a
            # private file has none (it is served only by ceu.views.certificate).
            "certificate": forms.FileInput,
        }
        labels = {"hours": "CEUs earned", "certificate": "Certificate (optional)"}
        help_texts = {
            "hours": "Between 0.01 and 40 for one activity.",
            "provider": "Who ran it, as on the certificate.",
            "certificate": "PDF, PNG or JPEG, at most 5 MB. Auditors ask for it: keep it here.",
        }

    remove_certificate = forms.BooleanField(required=False, label="Remove the certificate on file")

    def __init__(self, *args, user, cycles: list[Cycle], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.cycles = today, {c.holding.id: c for c in cycles}
        held = HeldCredential.objects.filter(user=user, ended_on__isnull=True).select_related("credential")
        self.fields["credentials"].queryset = held
        if not self.instance.certificate:
            del self.fields["remove_certificate"]
        if not self.is_bound and self.instance.pk is None and len(self.cycles) == 1:
            # One credential held: the entry can only count toward it, so it starts ticked.
            self.initial.setdefault("credentials", list(self.cycles))

    def clean_completed_on(self) -> dt.date:
        day = self.cleaned_data["completed_on"]
        if day > self.today:
            raise forms.ValidationError("The date cannot be in the future.")
        return day

    def clean(self):
        cleaned = super().clean()
        day, chosen = cleaned.get("completed_on"), cleaned.get("credentials")
        if day and chosen:
            outside = [
                f"{held.credential.code} ({cycle.start:%b %-d, %Y} – {cycle.end:%b %-d, %Y})"
                for held in chosen
                if (cycle := self.cycles.get(held.pk)) and cycle.end and not cycle.contains(day)
            ]
            if outside:
                self.add_error("completed_on", f"This date is outside the current cycle of {'; '.join(outside)}.")
        upload = cleaned.get("certificate")
        if cleaned.get("remove_certificate") and not getattr(upload, "original_name", None):
            cleaned["certificate"] = False  # what a cleared file field gives: the model field is emptied
        return cleaned

    def save(self, commit: bool = True) -> CeuEntry:
        """Keep the person's own file name for the download; replacing or removing the file deletes
        the old one once the save commits (lib.uploads.delete_file_with)."""
        upload = self.cleaned_data.get("certificate")
        if upload is False or not upload:
            self.instance.certificate_name = ""
        elif name := getattr(upload, "original_name", None):
            self.instance.certificate_name = name[-255:]
        return super().save(commit)


class CycleEndForm(forms.Form):
    cycle_ends_on = DateInRangeField(label="Cycle end (as printed in your account)")


class ApprenticeTrackerForm(forms.ModelForm):
    """The route followed and the day each piece of proof exists from (none in the future)."""

    class Meta:
        model = ApprenticeTracker
        fields = [
            "route",
            "experience_started_on",
            "experience_evidence",
            "letter_received_on",
            "course_completed_on",
            "course_evidence",
            "practicode_completed_on",
            "practicode_evidence",
        ]
        field_classes = dict.fromkeys(
            ("experience_started_on", "letter_received_on", "course_completed_on", "practicode_completed_on"),
            DateInRangeField,
        )
        widgets = {"route": forms.RadioSelect}
        help_texts = {
            "experience_started_on": "Externships count, and so does experience before you passed the exam.",
            "letter_received_on": "On letterhead, signed and dated, with your start and end dates.",
        }

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["route"].choices = [("", "Not chosen yet"), *ApprenticeTracker.Route.choices]
        for name in self.Meta.field_classes:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("letter_received_on", "course_completed_on", "practicode_completed_on"):
            if (day := cleaned.get(name)) and day > self.today:
                self.add_error(name, "This date is in the future: enter it once it is done.")
        return cleaned
