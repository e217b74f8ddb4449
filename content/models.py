"""The medical billing and coding career ladder as reference data.

Every row is loaded from ``content/data/*.yaml`` by ``manage.py load_ladder`` and stays
editable in the admin. Each row carries a stable ``key`` (or ``code``) so a reload updates
it in place. Facts that no authoritative source confirmed say so in ``unconfirmed_note``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


class Setting(models.TextChoices):
    OUTPATIENT = "outpatient", "Outpatient"
    INPATIENT = "inpatient", "Inpatient"
    BOTH = "both", "Inpatient and outpatient"


class Source(models.Model):
    """Where a number or a rule comes from: a survey edition or a published page."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=120)
    edition = models.CharField(max_length=60, help_text="As the source states it, e.g. 'May 2023'.")
    url = models.URLField(blank=True)
    note = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True, help_text="When the publisher released this edition.")

    class Meta:
        ordering = ["publisher", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})"


class IssuingBody(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=160)
    website = models.URLField(blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "issuing bodies"

    def __str__(self) -> str:
        return self.code


class RenewalRule(models.Model):
    """One edition of an issuing body's continuing-education rule.

    Rules change over the years, so each edition is its own row. ``ceus_by_count`` lists the
    CEUs required for holding 1, 2, 3… credentials of this body; its last value applies to any
    larger number. ``additional_per_credential`` and ``maximum_ceus`` express the other common
    shape: the highest single requirement plus a fixed amount per extra credential, capped.
    """

    class Method(models.TextChoices):
        BY_COUNT = "by_count", "By the number of credentials held"
        HIGHEST_PLUS_ADDITIONAL = "highest_plus_additional", "Highest single requirement plus a fixed amount each"
        UNCONFIRMED = "unconfirmed", "Not confirmed"

    key = models.SlugField(max_length=60, unique=True)
    body = models.ForeignKey(IssuingBody, on_delete=models.PROTECT, related_name="renewal_rules")
    edition = models.CharField(max_length=120)
    effective_from = models.DateField(null=True, blank=True, help_text="Empty where the source gives no date.")
    cycle_months = models.PositiveSmallIntegerField(null=True, blank=True)
    method = models.CharField(max_length=30, choices=Method.choices)
    ceus_by_count = models.JSONField(default=list, blank=True)
    additional_per_credential = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_ceus = models.PositiveSmallIntegerField(null=True, blank=True)
    minimums = models.JSONField(
        default=list,
        blank=True,
        help_text="Parts of the requirement that must come from one kind of CEU: a list of "
        "{credentials: [codes], ceus, category, topic} (each credential's own) or "
        "{share_percent, sourced, category, effective_from, topic} (a share of the body's requirement).",
    )
    cycle_rule = models.TextField(help_text="How a cycle starts and ends, in words.")
    details = models.TextField(blank=True)
    unconfirmed_note = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="renewal_rules")

    class Meta:
        ordering = ["body__code", "-effective_from", "key"]

    def __str__(self) -> str:
        return f"{self.body.code}: {self.edition}"

    MINIMUM_KEYS = frozenset({"credentials", "ceus", "share_percent", "category", "sourced", "effective_from", "topic"})

    def clean(self) -> None:
        """Each minimum is either a number of CEUs for named credentials or a share (1-100 %) of the
        body's requirement, with a topic in words and a valid effective date: the cycle rules trust it."""
        if not isinstance(self.minimums, list):
            raise ValidationError({"minimums": "A list of minimums."})
        for number, row in enumerate(self.minimums, 1):
            problem = _minimum_problem(row, self.MINIMUM_KEYS)
            if problem:
                raise ValidationError({"minimums": f"Minimum {number}: {problem}"})


def _minimum_problem(row: object, keys: frozenset[str]) -> str | None:
    if not isinstance(row, dict):
        return "not a mapping."
    if unknown := set(row) - keys:
        return f"unknown keys {sorted(unknown)}."
    ceus, share = row.get("ceus"), row.get("share_percent")
    if (ceus is None) == (share is None):
        return "give either ceus (with credentials) or share_percent."
    if ceus is not None and not (type(ceus) is int and 0 < ceus <= 100 and row.get("credentials")):
        return "ceus must be 1-100 with a list of credentials."
    if share is not None and not (type(share) is int and 0 < share <= 100):
        return "share_percent must be 1-100."
    if not isinstance(row.get("topic"), str) or not row["topic"]:
        return "a topic in words is required."
    if not isinstance(row.get("credentials", []), list) or not isinstance(row.get("category", ""), str):
        return "credentials must be a list of codes and category a word."
    try:
        effective = row.get("effective_from")
        if effective is not None:
            dt.date.fromisoformat(effective)
    except (TypeError, ValueError):
        return "effective_from must be a date (YYYY-MM-DD)."
    return None


class EducationPath(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    months_min = models.PositiveSmallIntegerField()
    months_max = models.PositiveSmallIntegerField()
    summary = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:education", args=[self.key])


class Credential(models.Model):
    class Level(models.TextChoices):
        APPRENTICE = "apprentice", "Apprentice"
        ENTRY = "entry", "Entry level"
        CORE = "core", "Core"
        SPECIALTY = "specialty", "Specialty"
        AUDIT = "audit", "Auditing"
        CDI = "cdi", "Clinical documentation improvement"
        DEGREE = "degree", "Degree-based"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=160)
    body = models.ForeignKey(IssuingBody, on_delete=models.PROTECT, related_name="credentials")
    setting = models.CharField(max_length=20, choices=Setting.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    summary = models.TextField()
    suits = models.TextField(help_text="Who this credential suits.")
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="leads_to")
    education = models.ForeignKey(
        EducationPath, on_delete=models.SET_NULL, null=True, blank=True, related_name="credentials"
    )
    prerequisite_note = models.TextField(blank=True)
    renewal_rule = models.ForeignKey(
        RenewalRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="credentials"
    )
    ceus_single = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="CEUs per cycle when this is the only credential held of its body."
    )
    specific_ceus = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Of the total, CEUs that must relate to this credential."
    )
    specific_ceus_topic = models.CharField(max_length=120, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="Earning this credential replaces that one (e.g. CPC replaces CPC-A).",
    )
    unconfirmed_note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    def get_absolute_url(self) -> str:
        return reverse("content:credential", args=[self.code])


class ExperienceBand(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    years_min = models.PositiveSmallIntegerField()
    years_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for an open-ended band.")
    summary = models.TextField()

    class Meta:
        ordering = ["years_min"]

    def __str__(self) -> str:
        return self.name

    @property
    def years_label(self) -> str:
        return f"{self.years_min}+ years" if self.years_max is None else f"{self.years_min}–{self.years_max} years"


class Occupation(models.TextChoices):
    """The BLS occupations (SOC codes) whose OEWS wages the site imports."""

    MEDICAL_RECORDS = "29-2072", "29-2072 Medical Records Specialists"
    HEALTH_INFORMATION = "29-9021", "29-9021 Health Information Technologists and Medical Registrars"
    HEALTH_SERVICES_MANAGERS = "11-9111", "11-9111 Medical and Health Services Managers"


class Role(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    band = models.ForeignKey(ExperienceBand, on_delete=models.PROTECT, related_name="roles")
    summary = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    bls_occupation = models.CharField(
        max_length=7,
        choices=Occupation.choices,
        blank=True,
        help_text="The BLS occupation whose definition the role matches; empty where none of ours does.",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:role", args=[self.key])


class WorkSetting(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    summary = models.TextField()
    naics_code = models.CharField(
        max_length=6, blank=True, help_text="The BLS industry (NAICS) whose wage estimates describe this setting."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    class Kind(models.TextChoices):
        NATION = "nation", "Nation"
        STATE = "state", "State"
        METRO = "metro", "Metropolitan area"
        NONMETRO = "nonmetro", "Nonmetropolitan area"

    key = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state_codes = models.CharField(
        max_length=40, blank=True, help_text="Two-letter codes, the main state first, e.g. 'DC VA MD WV'."
    )
    bls_area_code = models.CharField(
        max_length=7, unique=True, null=True, blank=True, help_text="The BLS OEWS area code, e.g. 4800000 for Texas."
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class SalaryFigureQuerySet(models.QuerySet):
    def with_subjects(self) -> SalaryFigureQuerySet:
        return self.select_related(
            "source", "credential", "role", "region", "work_setting", "experience_band", "education"
        )

    def confirmed(self) -> SalaryFigureQuerySet:
        return self.filter(value__isnull=False)


class SalaryFigure(models.Model):
    """One number from a source, exactly as the source states it, and what it describes."""

    class Kind(models.TextChoices):
        MEDIAN = "median", "Median"
        MEAN = "mean", "Mean"
        AVERAGE = "average", "Average"
        RANGE_LOW = "range_low", "Range, low end"
        RANGE_HIGH = "range_high", "Range, high end"
        PERCENTILE = "percentile", "Percentile"

    class Period(models.TextChoices):
        ANNUAL = "annual", "Annual"
        HOURLY = "hourly", "Hourly"

    key = models.SlugField(max_length=80, unique=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.ANNUAL)
    percentile = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Empty while the figure is unconfirmed."
    )
    open_ended = models.BooleanField(default=False, help_text="The source says 'or more' ('$85,000+').")
    approximate = models.BooleanField(default=False, help_text="The source says 'about' or 'around'.")
    describes = models.CharField(max_length=240)
    quote = models.TextField(blank=True, help_text="The words of the source article that state this figure.")
    as_of = models.CharField(max_length=40, help_text="As the source states it, e.g. 'May 2023' or 'late 2023'.")
    as_of_year = models.PositiveSmallIntegerField()
    credential = models.ForeignKey(Credential, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures")
    credential_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Number of credentials held; with open_ended, 'or more'."
    )
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures")
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures")
    work_setting = models.ForeignKey(
        WorkSetting, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures"
    )
    experience_band = models.ForeignKey(
        ExperienceBand, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures"
    )
    education = models.ForeignKey(
        EducationPath, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures"
    )
    unconfirmed_note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SalaryFigureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percentile__isnull=True) | models.Q(kind="percentile"),
                name="percentile_only_for_percentile_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.describes}: {self.display_value}"

    @property
    def is_confirmed(self) -> bool:
        return self.value is not None

    @property
    def display_value(self) -> str:
        if self.value is None:
            return "not yet entered"
        text = f"${self.value:,.2f}/hour" if self.period == self.Period.HOURLY else f"${self.value:,.0f}"
        if self.approximate:
            text = f"about {text}"
        return f"{text}+" if self.open_ended else text


class WageEstimate(models.Model):
    """One BLS OEWS estimate: an occupation's employment and wages in one area and industry, exactly
    as BLS publishes them. A value BLS does not release, or publishes only as a bound (top-coded),
    is empty here and its footnote says why: it never becomes a number."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="wage_estimates")
    series = models.CharField(
        max_length=23,
        help_text="The BLS series id without its last two digits (the data type), e.g. OEUN0000000000000292072.",
    )
    occupation_code = models.CharField(max_length=7, help_text="SOC code, e.g. 29-2072.")
    occupation_name = models.CharField(max_length=160)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="wage_estimates")
    industry_code = models.CharField(max_length=6, help_text="000000 for every industry.")
    work_setting = models.ForeignKey(
        WorkSetting, on_delete=models.SET_NULL, null=True, blank=True, related_name="wage_estimates"
    )
    employment = models.PositiveIntegerField(null=True, blank=True)
    hourly_mean = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    annual_mean = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    annual_p10 = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    annual_p25 = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    annual_median = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    annual_p75 = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    annual_p90 = models.DecimalField(max_digits=9, decimal_places=0, null=True, blank=True)
    footnotes = models.JSONField(
        default=dict, blank=True, help_text="Field name -> BLS footnote, for each value BLS qualifies or withholds."
    )

    class Meta:
        ordering = ["source", "occupation_code", "region__kind", "region__name", "industry_code"]
        constraints = [models.UniqueConstraint(fields=["source", "series"], name="one_estimate_per_series")]

    def __str__(self) -> str:
        return f"{self.occupation_name}, {self.region}, {self.industry_code} ({self.source.edition})"


class Fee(models.Model):
    """What a step costs, as a source states it: an exam, a membership, a recertification.

    ``amount`` is the non-member price (or the only one); empty where the sources conflict or none was
    found, and the pages say "not known". ``member_amount`` is filled where members pay less.
    ``period`` says how often it is paid: once, every year, or every cycle of ``period_years``."""

    class Kind(models.TextChoices):
        EXAM = "exam", "Exam"
        MEMBERSHIP = "membership", "Membership dues"
        RECERTIFICATION = "recertification", "Recertification"

    class Period(models.TextChoices):
        ONCE = "once", "Once"
        YEARLY = "yearly", "Every year"
        PER_CYCLE = "per_cycle", "Every renewal cycle"

    class Confidence(models.TextChoices):
        PRIMARY = "primary", "The body's own page"
        SECONDARY = "secondary", "Other sites only (approximate)"
        CONFLICTING = "conflicting", "Sources disagree (not published as one value)"

    key = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.ForeignKey(IssuingBody, on_delete=models.PROTECT, related_name="fees")
    credential = models.ForeignKey(
        Credential, on_delete=models.SET_NULL, null=True, blank=True, related_name="fees", help_text="Empty: any."
    )
    describes = models.CharField(max_length=240)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, help_text="Empty: not known.")
    member_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    additional_amount = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="For each additional credential of the body."
    )
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.ONCE)
    period_years = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For a fee paid every cycle.")
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    approximate = models.BooleanField(default=False, help_text="Secondary, dated or unconfirmed today: say so.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="fees")
    as_of = models.CharField(max_length=60, help_text="As the source states it, e.g. 'about 2021' or 'undated'.")
    quote = models.TextField(blank=True)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) | models.Q(amount__isnull=True), name="fee_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(confidence="conflicting") | models.Q(amount__isnull=True),
                name="conflicting_fee_has_no_single_value",
            ),
        ]

    def __str__(self) -> str:
        return self.describes

    @property
    def yearly(self):
        """What it costs a year when paid repeatedly (None: paid once, or not known)."""
        if self.amount is None or self.period == self.Period.ONCE:
            return None
        return self.amount if self.period == self.Period.YEARLY else self.amount / (self.period_years or 1)
