from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from accounts.models import User
from lib.dates import DateInRangeField
from lib.ids import IdChoiceField
from lib.uploads import PrivateFileField
from roadmap.models import Roadmap, Step

from .models import Cohort, Role
from .services import MAX_ROSTER_BYTES


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on"]
        field_classes = {"starts_on": DateInRangeField, "ends_on": DateInRangeField}
        labels = {"starts_on": "Starts on", "ends_on": "Ends on"}

    def clean(self):
        # The database constraint says the same; checked here so the message sits next to the field.
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date cannot be before the start date.")
        return cleaned


class StaffForm(forms.Form):
    email = forms.EmailField(help_text="The person must already have an account.")
    role = forms.ChoiceField(choices=[(Role.INSTRUCTOR, "Instructor"), (Role.SCHOOL_ADMIN, "School admin")])

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise forms.ValidationError("No account uses this address yet: ask them to sign up first.")
        return user


class InstructorForm(forms.Form):
    instructor = IdChoiceField(
        queryset=User.objects.none(),
        label="Add an instructor",
        help_text="Staff of the school; a school admin adds new staff on the school's page.",
    )

    def __init__(self, *args, staff: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = User.objects.filter(memberships__in=staff).order_by("email")


class AssignForm(forms.Form):
    roadmap = IdChoiceField(queryset=Roadmap.objects.none(), empty_label=None)
    start_on = DateInRangeField(
        label="Start date",
        help_text="Each step is due its typical months after the steps it requires; change any date below.",
    )

    def __init__(self, *args, roadmaps: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = roadmaps.order_by("-is_default", "name")


class TargetsForm(forms.Form):
    """Explicit target dates, one field per step of the assigned roadmap."""

    def __init__(self, *args, steps: list[Step], targets: dict, reviewed: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for step in steps:
            self.fields[f"step_{step.pk}"] = DateInRangeField(
                label=step.title, required=False, initial=targets.get(step.pk)
            )
            self.fields[f"review_{step.pk}"] = forms.BooleanField(
                label=f"An instructor reviews the evidence of “{step.title}”",
                required=False,
                initial=step.pk in reviewed,
            )

    def targets(self) -> dict[int, object]:
        return {
            int(name.removeprefix("step_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("step_") and value
        }

    def reviewed(self) -> list[int]:
        return [
            int(name.removeprefix("review_"))
            for name, value in self.cleaned_data.items()
            if name.startswith("review_") and value
        ]


class RosterForm(forms.Form):
    file = forms.FileField(label="Roster (CSV: email, first_name, last_name)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_ROSTER_BYTES // 1024} KB.")
        return upload


class InviteForm(forms.Form):
    email = forms.EmailField()
    first_name = forms.CharField(required=False, max_length=150)
    last_name = forms.CharField(required=False, max_length=150)


class CopyRoadmapForm(forms.Form):
    source = IdChoiceField(queryset=Roadmap.objects.filter(is_default=True), empty_label=None, label="Start from")
    name = forms.CharField(max_length=160, label="Name of your roadmap")


class AddStepForm(forms.Form):
    title = forms.CharField(max_length=160, help_text="For example: Complete a 160-hour externship.")
    kind = forms.ChoiceField(choices=Step.Kind.choices)
    typical_months = forms.IntegerField(min_value=0, max_value=120, required=False, label="Typical months")
    after = IdChoiceField(
        queryset=Step.objects.none(), required=False, label="After the step", empty_label="At the start"
    )

    def __init__(self, *args, roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].queryset = roadmap.steps.order_by("order")


SHARES_AFTER_LABEL = (
    "After the cohort ends, let the school keep seeing my progress and count it in its program outcomes reports"
)
SHARES_AFTER_HELP = (
    "You can change this at any time on your profile. Until the cohort ends, its staff see your progress."
)


class JoinForm(forms.Form):
    code = forms.CharField(max_length=12, label="Cohort code")
    shares_after = forms.BooleanField(required=False, label=SHARES_AFTER_LABEL, help_text=SHARES_AFTER_HELP)


class SharingForm(forms.Form):
    """One checkbox per cohort the person is a student of: do they share their outcomes after it ends."""

    def __init__(self, *args, places: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places
        for place in places:
            self.fields[f"cohort_{place.cohort_id}"] = forms.BooleanField(
                required=False,
                initial=place.shares_after,
                label=f"{place.cohort.school.name}, {place.cohort.name} (ends {place.cohort.ends_on:%b %-d, %Y})",
            )

    def choices(self) -> dict[int, bool]:
        return {int(name.removeprefix("cohort_")): value for name, value in self.cleaned_data.items()}


class ExamAttemptForm(forms.Form):
    taken_on = DateInRangeField(label="Exam date")
    passed = forms.TypedChoiceField(
        label="Result",
        choices=[("yes", "Passed"), ("no", "Not passed")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    score = forms.IntegerField(
        label="Score (percent)", required=False, min_value=0, max_value=100, help_text="Optional."
    )


class EvidenceForm(forms.Form):
    file = PrivateFileField(label="Score report or certificate", required=False)
    number = forms.CharField(
        label="Credential or score-report number", max_length=60, required=False, help_text="A file, a number, or both."
    )
    note = forms.CharField(label="Note for your instructor", required=False, max_length=1000, widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("number", "").strip():
            raise forms.ValidationError("Attach a file or give a credential or score-report number (or both).")
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("return", "Return to the student")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Required when you return it: say what is missing.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what is missing, so the student can send it.")
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(label="Your message", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
