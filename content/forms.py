from __future__ import annotations

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from lib.ids import IdChoiceField

from . import selectors
from .models import Occupation, Region, SalaryFigure, Source, WorkSetting
from .selectors import KIND_ORDER

ARTICLE_EDITION = "article"
PLACE_LABEL = "State, metro or nonmetro area"
PLACE_HELP = "Any area BLS publishes coders' wages for, grouped by state; leave it on the nation for national figures."
# The attribute static/js/place-filter.js looks for: it adds a box that narrows the list as one types.
PLACE_FILTER_ATTRS = {"data-place-filter": "", "class": "place-select"}


def place_groups(regions: list[Region]) -> list[tuple[str | None, list[Region]]]:
    """Areas grouped by their main state, the states in alphabetical order: in each, the state itself,
    then its metro areas, then its nonmetro areas. The nation (no state) comes first, on its own."""
    names = {r.state_codes.split()[0]: r.name for r in regions if r.kind == Region.Kind.STATE and r.state_codes}
    groups: dict[str | None, list[Region]] = defaultdict(list)
    for region in regions:
        code = region.state_codes.split()[0] if region.state_codes and region.kind != Region.Kind.NATION else None
        groups[names.get(code, code)].append(region)
    for members in groups.values():
        members.sort(key=lambda r: (KIND_ORDER.get(r.kind, 9), r.name))
    return sorted(groups.items(), key=lambda item: (item[0] is not None, item[0] or ""))


def place_label(region: Region) -> str:
    return f"{region.name} (whole state)" if region.kind == Region.Kind.STATE else region.name


class _PlaceIterator(ModelChoiceIterator):
    """The choices as <optgroup>s, one per state (one query, like any model choice field)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for state, regions in place_groups(list(self.queryset)):
            if state is None:
                yield from (self.choice(region) for region in regions)
            else:
                yield (state, [self.choice(region) for region in regions])


class PlaceChoiceField(IdChoiceField):
    """Any state, metro or nonmetro area, grouped by state: a plain <select> that works without
    JavaScript (type-ahead finds a name), with a filter box added by static/js/place-filter.js."""

    iterator = _PlaceIterator

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs=PLACE_FILTER_ATTRS))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "We have no salary figures for that area; choose one from the list."}
        )
        super().__init__(queryset if queryset is not None else selectors.places(), **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return place_label(obj)

    def to_python(self, value):
        """A value no browser was offered (refused before any query) gets the field's own message too."""
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid_choice":
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
            raise


def edition_choices() -> list[tuple[str, str]]:
    """Every edition of salary data: the source article's figures, and each BLS release loaded (one query)."""
    choices = [("", "Every edition"), (ARTICLE_EDITION, "The source article's figures (BLS May 2023, AAPC 2023, …)")]
    for release in selectors.releases():
        published = (
            f", published {release.published_on:%b} {release.published_on.day}, {release.published_on.year}"
            if release.published_on
            else ""
        )
        choices.append((release.key, f"BLS OEWS {release.edition}{published}"))
    return choices


class SalaryFilterForm(forms.Form):
    """/salaries/: the cited figures and the BLS estimates, by edition, place, setting and occupation.
    Source and kind describe cited figures; occupation describes BLS estimates."""

    edition = forms.ChoiceField(choices=[("", "Every edition")], required=False)
    place = PlaceChoiceField(
        queryset=Region.objects.all(),
        to_field_name="key",
        required=False,
        empty_label="Every place",
        label="State, metro or nonmetro area",
    )
    work_setting = IdChoiceField(
        queryset=WorkSetting.objects.all(),
        to_field_name="key",
        required=False,
        empty_label="Every setting",
        label="Work setting",
    )
    occupation = forms.ChoiceField(
        choices=[("", "Every occupation"), *Occupation.choices],
        required=False,
        label="BLS occupation",
        help_text="BLS estimates only.",
    )
    source = IdChoiceField(
        queryset=Source.objects.filter(figures__isnull=False).distinct(),
        to_field_name="key",
        required=False,
        empty_label="All sources",
        help_text="Cited figures only.",
    )
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *SalaryFigure.Kind.choices], required=False, help_text="Cited figures only."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = edition_choices()

    def filter(self, figures):
        """Narrow the cited figures by the valid choices; call after ``is_valid()``."""
        data = self.cleaned_data
        if data.get("edition") not in ("", None, ARTICLE_EDITION):
            return figures.none()  # a BLS release: its numbers are estimates, not cited figures
        if data.get("source"):
            figures = figures.filter(source=data["source"])
        if data.get("kind"):
            figures = figures.filter(kind=data["kind"])
        if data.get("place"):
            figures = figures.filter(region=data["place"])
        if data.get("work_setting"):
            figures = figures.filter(work_setting=data["work_setting"])
        return figures

    def filter_estimates(self, estimates):
        """Narrow the BLS estimates by the valid choices; call after ``is_valid()``."""
        data = self.cleaned_data
        if data.get("edition") == ARTICLE_EDITION or data.get("source"):
            return estimates.none()  # the article's figures, or one source's: no release's estimates
        if data.get("edition"):
            estimates = estimates.filter(source__key=data["edition"])
        if data.get("place"):
            estimates = estimates.filter(region=data["place"])
        if data.get("work_setting"):
            estimates = estimates.filter(work_setting=data["work_setting"])
        if data.get("occupation"):
            estimates = estimates.filter(occupation_code=data["occupation"])
        return estimates
