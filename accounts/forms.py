from __future__ import annotations

from zoneinfo import available_timezones

from django import forms

from content.forms import PLACE_HELP, PLACE_LABEL, PlaceChoiceField
from content.models import EducationPath
from lib.dates import DateInRangeField
from lib.ids import IdChoiceField, IdMultipleChoiceField

from .models import Profile

# The zones people in the United States use first, then every other zone.
US_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
]
TIME_ZONE_CHOICES = [(zone, zone.replace("_", " ")) for zone in US_ZONES] + [
    (zone, zone.replace("_", " ")) for zone in sorted(available_timezones() - set(US_ZONES))
]


class ProfileForm(forms.ModelForm):
    region = PlaceChoiceField(
        required=False, empty_label="United States (national)", label=PLACE_LABEL, help_text=PLACE_HELP
    )
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES, help_text="Reminders and deadlines follow your local date."
    )
    apprentice_education_credits = forms.TypedChoiceField(
        coerce=int,
        choices=[(0, "None"), (1, "One"), (2, "Two")],
        label="Education credits toward removing the CPC-A",
        help_text="AAPC's CPC-A Practicode program, or an 80-contact-hour coding preparation course, each count once.",
    )
    education = IdMultipleChoiceField(
        queryset=EducationPath.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Education completed",
    )

    class Meta:
        model = Profile
        fields = [
            "region",
            "work_setting",
            "career_start",
            "education",
            "apprentice_education_credits",
            "time_zone",
            "reminder_emails",
        ]
        field_classes = {"career_start": DateInRangeField, "work_setting": IdChoiceField}
        labels = {
            "career_start": "Career start date",
            "reminder_emails": "Email me before my renewal deadlines",
        }

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["work_setting"].empty_label = "Any setting"

    def clean_career_start(self):
        start = self.cleaned_data.get("career_start")
        if start and start > self.today:
            raise forms.ValidationError("Your career start date cannot be in the future.")
        return start


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(label="Type your email address to confirm")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email != self.user.email:
            raise forms.ValidationError("That is not the email address of this account.")
        return email
