"""What each step costs, the roadmap's cost over the horizon, and payback: from the fees on record with
their sources; "not known" where no source is good enough (roadmap.projection.costs)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.db import IntegrityError

from content.models import Fee, Source
from roadmap.projection import FeeFact, Fees, Profile, cost_summary, payback_months, project
from roadmap.projection_costs import read_fees
from roadmap.projection_inputs import default_plans, load_reference


def summary_for(roadmap: str, years: int = 10, credentials=frozenset()):
    plans = {plan.key: plan for plan in default_plans()}
    result = project(load_reference(), Profile(credentials=frozenset(credentials)), plans[roadmap], horizon_years=years)
    return result, cost_summary(result, read_fees())


def test_payback_is_the_cost_over_the_monthly_gain():
    assert payback_months(Decimal(325), Decimal(12000)) == Decimal("0.3")  # 325 / 1,000 a month
    assert payback_months(Decimal(300), Decimal(3600)) == Decimal("1.0")
    assert payback_months(Decimal(325), Decimal(1)) == Decimal("3900.0")  # the smallest gain still pays back
    assert payback_months(None, Decimal(3600)) is None
    assert payback_months(Decimal(300), Decimal(0)) is None


def test_the_inpatient_certificate_path_costs_its_exam_fees_and_ahimas_recertification(ladder):
    result, costs = summary_for("inpatient-certificate")

    by_title = {c.step.step.credential: c for c in costs.steps if c.step.step.credential}
    cca, ccs = by_title["CCA"], by_title["CCS"]
    assert (cca.one_time, cca.exam.member_amount, cca.exam.as_of) == (299, 199, "about 2021")
    assert cca.exam.approximate  # dated ~2021
    assert (ccs.one_time, ccs.exam.member_amount) == (399, 299) and ccs.exam.approximate  # two secondary sources
    assert ccs.payback_months == payback_months(Decimal(399), ccs.step.gain)
    assert [fee.describes for fee in cca.starts_recurring] == [
        "AHIMA recertification fee, each two-year cycle (non-member)"
    ]
    assert ccs.starts_recurring == ()  # the body's fees began with the CCA
    (recurring,) = costs.recurring
    assert recurring.months == 120 - cca.step.months_from_now
    assert recurring.total == (Decimal(109) * recurring.months / 12).quantize(Decimal(1))
    assert costs.total_known == 299 + 399 + recurring.total


def test_a_fee_the_sources_disagree_on_stays_not_known_and_the_summary_says_so(ladder):
    _, costs = summary_for("outpatient-aapc")

    by_code = {c.step.step.credential: c for c in costs.steps if c.step.step.credential}
    cpc_a = by_code["CPC-A"]
    assert cpc_a.one_time is None and cpc_a.payback_months is None
    assert "Sources disagree" in cpc_a.exam.note
    assert by_code["CPMA"].one_time == 325 and by_code["CPMA"].exam.approximate
    assert "CCC" in by_code and by_code["CCC"].exam is None  # no fee found at all
    assert by_code["CCC"].step.step.title in costs.not_known and cpc_a.step.step.title in costs.not_known
    assert [r.fee.describes for r in costs.recurring] == [
        "AAPC individual membership renewal, every year ($190 + $20 fee)"
    ]


def test_a_credential_already_held_pays_its_recurring_costs_from_now(ladder):
    _, costs = summary_for("outpatient-aapc", years=5, credentials={"CPC"})

    (membership,) = costs.recurring
    assert (membership.months, membership.total) == (60, 1050)


def test_the_database_refuses_a_single_value_for_a_conflicting_fee(ladder):
    fee = Fee.objects.get(key="aapc-cpc-exam")
    fee.amount = Decimal(399)

    with pytest.raises(IntegrityError):
        fee.save()


def test_every_fee_names_its_source_and_as_of_date(ladder):
    for fee in Fee.objects.select_related("source"):
        assert fee.source and fee.as_of, fee.key
        if fee.confidence != Fee.Confidence.PRIMARY:
            assert fee.approximate or fee.amount is None, fee.key
    assert Source.objects.filter(fees__isnull=False).distinct().count() == 6


def test_the_projection_page_shows_each_steps_cost_the_total_and_payback(client, ladder, django_assert_max_num_queries):
    # A cold process: the reference figures, the roadmaps and the fees (two queries) are read once.
    with django_assert_max_num_queries(16):
        html = client.get("/projection/?roadmap=inpatient-certificate").content.decode()

    assert "What it costs" in html
    assert "$299 (members $199)" in html and "about 2021; approximate" in html
    assert "Payback is a step's cost divided by the monthly gain" in html
    assert "of costs known" in html
    html = client.get("/projection/?roadmap=outpatient-aapc").content.decode()
    assert "not known" in html and "Sources disagree" in html


def test_with_no_fees_on_record_every_credentials_cost_is_not_known(ladder):
    result, _ = summary_for("outpatient-aapc")
    costs = cost_summary(result, Fees())

    assert costs.recurring == () and costs.total_known == 0 and not costs.any_known
    assert [c.one_time for c in costs.steps] == [None] * len(costs.steps)
    assert costs.not_known == tuple(c.step.step.title for c in costs.steps if c.step.step.credential)


def test_only_steps_with_a_credential_can_have_a_cost_not_known(ladder):
    """The certificate program and the roles have no exam fee to know: they are not named among the costs
    not known; the CPMA's fee is known."""
    _, costs = summary_for("outpatient-aapc")

    assert [c.step.step.key for c in costs.steps] == [
        *("certificate", "cpc-a", "coder-1", "cpc", "specialty", "cpma", "auditor", "coding-manager")
    ]
    assert costs.not_known == (
        "Pass the CPC exam (CPC-A)",
        "Remove the apprentice designation (CPC)",
        "Add a specialty credential (CCC)",
    )


def test_a_recurring_fee_alone_makes_the_costs_known(ladder):
    """A person who holds the CPC pays AAPC's membership, whatever exam fees are on record."""
    membership = FeeFact("membership", None, "AAPC", "2025", False, yearly=Decimal(210))
    result, _ = summary_for("outpatient-aapc", years=2, credentials={"CPC"})
    costs = cost_summary(result, Fees(recurring={"AAPC": (membership,)}, body_of={"CPC": "AAPC"}))

    assert [(r.months, r.total) for r in costs.recurring] == [(24, Decimal(420))]
    assert costs.total_known == 420 and costs.any_known
    exam_only = Fees(exams={"CPMA": FeeFact("CPMA exam", Decimal(325), "AAPC", "2020", True)})
    assert cost_summary(result, exam_only).any_known  # an exam fee known, even with nothing recurring


def test_what_a_fee_fills_in_when_left_out():
    fee = FeeFact("CPC exam", None, "AAPC", "2025", False)

    assert (fee.member_amount, fee.yearly, fee.note) == (None, None, "")
    assert (Fees().exams, Fees().recurring, Fees().body_of) == ({}, {}, {})


def test_fees_and_costs_are_frozen_values(ladder):
    _, costs = summary_for("inpatient-certificate")
    fees = read_fees()

    for value in [costs, costs.steps[1], costs.recurring[0], costs.steps[1].exam, fees]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.__setattr__(dataclasses.fields(value)[0].name, None)
    assert hash(costs) == hash(summary_for("inpatient-certificate")[1])


@pytest.mark.parametrize(("years", "months"), [(1, None), (2, 12)])
def test_a_body_whose_first_credential_comes_at_the_horizons_end_costs_nothing_recurring(ladder, years, months):
    """The CCA comes at month 12: on a one-year horizon AHIMA's recertification is never paid; on two
    years it is paid for the 12 months after it."""
    _, costs = summary_for("inpatient-certificate", years=years)

    cca = next(c for c in costs.steps if c.step.step.credential == "CCA")
    assert cca.one_time == 299
    assert [r.months for r in costs.recurring] == ([] if months is None else [months])
    assert len(cca.starts_recurring) == (0 if months is None else 1)
