"""The program outcomes report, for one cohort and for every cohort of a school the viewer sees
(a start year, if chosen), as a page (with charts and a print stylesheet) and as CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from lib.spreadsheet import csv_response

from . import access, outcome_charts
from .models import CohortStudent
from .outcomes import MIN_GROUP, Report, outcomes

CSV_HEADER = ["section", "item", "measure", "value", "people"]


def _start_year(request, years: list[int]) -> int | None:
    """The chosen start year, if it is one of the school's; anything else means every year."""
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and int(value) in years else None


def _school_scope(request, slug: str):
    membership = access.staff_membership(request, slug)
    cohorts = access.visible_cohorts(membership)
    years = sorted({day.year for day in cohorts.values_list("starts_on", flat=True)}, reverse=True)
    year = _start_year(request, years)
    if year:
        cohorts = cohorts.filter(starts_on__year=year)
    return membership, cohorts, years, year


def _page(request, context: dict, report: Report):
    context |= {
        "report": report,
        "pass_chart": outcome_charts.pass_rates(report.exams),
        "months_chart": outcome_charts.milestone_months(report.milestones),
    }
    return render(request, "schools/outcomes.html", context)


@login_required
def cohort_outcomes(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    report = outcomes(CohortStudent.objects.filter(cohort=cohort), today=timezone.localdate())
    return _page(request, {"school": membership.school, "cohort": cohort}, report)


@login_required
def school_outcomes(request, slug: str):
    membership, cohorts, years, year = _school_scope(request, slug)
    report = outcomes(CohortStudent.objects.filter(cohort__in=cohorts), today=timezone.localdate())
    return _page(request, {"school": membership.school, "years": years, "year": year}, report)


@login_required
def cohort_outcomes_csv(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    report = outcomes(CohortStudent.objects.filter(cohort=cohort), today=timezone.localdate())
    return csv_response(f"{membership.school.slug}-cohort-{cohort.pk}-outcomes.csv", CSV_HEADER, csv_rows(report))


@login_required
def school_outcomes_csv(request, slug: str):
    membership, cohorts, _, year = _school_scope(request, slug)
    report = outcomes(CohortStudent.objects.filter(cohort__in=cohorts), today=timezone.localdate())
    name = f"{membership.school.slug}-outcomes{f'-{year}' if year else ''}.csv"
    return csv_response(name, CSV_HEADER, csv_rows(report))


def csv_rows(report: Report) -> list[list[object]]:
    """The report as long rows (section, item, measure, value, people); a group under MIN_GROUP
    people gives its size and no value."""
    hidden = f"not shown: fewer than {MIN_GROUP} people"
    rows: list[list[object]] = [
        ["students", "counted", "people", report.students, report.students],
        ["students", "graduates sharing their outcomes", "people", report.graduates, report.graduates],
        ["students", "graduates not sharing (not counted)", "people", report.not_sharing, report.not_sharing],
    ]
    for exam in report.exams:
        measures = [
            ("first-attempt pass rate %", exam.first_rate),
            ("overall pass rate %", exam.rate),
            ("attempts", exam.attempts),
            ("first attempts", exam.first_attempts),
            ("people with a verified pass", exam.verified_people),
        ]
        rows += [["exam", exam.code, m, v if exam.shown else hidden, exam.people] for m, v in measures]
    for outcome in report.milestones:
        for way, spread in (("self-reported", outcome.self_reported), ("verified", outcome.verified)):
            for measure in ("median", "low", "high"):
                value = getattr(spread, measure) if spread.shown else hidden
                label = {"median": "median months", "low": "25th percentile months", "high": "75th percentile months"}
                rows.append(["milestone", outcome.milestone.label, f"{label[measure]} ({way})", value, spread.people])
    for job in report.employment:
        for measure, value in (("employed % (self-reported)", job.rate), ("employed % (verified)", job.verified_rate)):
            rows.append(
                [
                    "employment",
                    f"{job.months} months after the program",
                    measure,
                    value if job.shown else hidden,
                    job.eligible,
                ]
            )
    if report.standing:
        s = report.standing
        rows.append(["credentials", "graduates in good standing", "%", s.rate if s.shown else hidden, s.holders])
    return rows
