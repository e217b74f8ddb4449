"""Every salary figure of the source article is in the data, with its value and source."""

from __future__ import annotations

from decimal import Decimal

import pytest

from content.models import SalaryFigure

# (value, source key, what the figure is about), typed from the article independently of the data files.
ARTICLE_FIGURES = [
    ("48780", "bls-oews-2023", {"kind": "median", "period": "annual", "region__key": "us"}),
    ("23.45", "bls-oews-2023", {"kind": "median", "period": "hourly", "region__key": "us"}),
    ("34640", "bls-oews-2023", {"kind": "percentile", "percentile": 10}),
    ("81090", "bls-oews-2023", {"kind": "percentile", "percentile": 90}),
    ("76960", "bls-oews-2023", {"kind": "mean", "region__key": "dc"}),
    ("70860", "bls-oews-2023", {"kind": "mean", "region__name": "New Jersey"}),
    ("64360", "bls-oews-2023", {"kind": "mean", "region__name": "California"}),
    ("62940", "bls-oews-2023", {"kind": "mean", "region__name": "Maryland"}),
    ("61500", "bls-oews-2023", {"kind": "mean", "region__name": "Massachusetts"}),
    ("42390", "bls-oews-2023", {"kind": "mean", "region__name": "Alabama"}),
    ("42660", "bls-oews-2023", {"kind": "mean", "region__name": "Oklahoma"}),
    ("82490", "bls-oews-2023", {"kind": "mean", "region__name": "Trenton, NJ"}),
    ("77910", "bls-oews-2023", {"kind": "mean", "region__name": "San Jose-Sunnyvale-Santa Clara, CA"}),
    ("77330", "bls-oews-2023", {"kind": "mean", "region__name": "Washington-Arlington-Alexandria, DC-VA-MD-WV"}),
    ("75320", "bls-oews-2023", {"kind": "mean", "region__name": "San Francisco-Oakland-Hayward, CA"}),
    ("69790", "bls-oews-2023", {"kind": "mean", "region__name": "Sacramento-Roseville-Arden-Arcade, CA"}),
    ("54260", "bls-oews-2023", {"work_setting__key": "hospitals"}),
    ("45390", "bls-oews-2023", {"work_setting__key": "physician-offices"}),
    ("64712", "aapc-salary-survey-2023", {"credential_count": 1}),
    ("51699", "aapc-salary-survey-2023", {"credential_count": 0}),
    ("64712", "aapc-salary-survey-2023", {"credential__code": "CPC"}),
    ("70186", "aapc-salary-survey-2023", {"credential__code": "COC"}),
    ("74896", "aapc-salary-survey-2023", {"credential_count": 2}),
    ("83866", "aapc-salary-survey-2023", {"credential_count": 3}),
    ("81048", "aapc-salary-survey-2023", {"credential__code": "CPMA"}),
    ("85081", "aapc-salary-survey-2023", {"role__key": "coding-manager"}),
    ("59000", "payscale-2023", {"credential__code": "CPC"}),
    ("54000", "payscale-2023", {"credential__code": "RHIT"}),
    ("68000", "payscale-2023", {"credential__code": "CCS", "kind": "average"}),
    ("90000", "payscale-2023", {"credential__code": "CCS", "kind": "range_high"}),
    ("61168", "salary-com-2023", {"kind": "median"}),
    ("53822", "salary-com-2023", {"kind": "range_low"}),
    ("70227", "salary-com-2023", {"kind": "range_high"}),
    ("40000", "article-aapc-payscale-bands", {"experience_band__key": "entry", "kind": "range_low"}),
    ("52000", "article-aapc-payscale-bands", {"experience_band__key": "entry", "kind": "range_high"}),
    ("53000", "article-aapc-payscale-bands", {"experience_band__key": "mid-career", "kind": "range_low"}),
    ("68000", "article-aapc-payscale-bands", {"experience_band__key": "mid-career", "kind": "range_high"}),
    ("69000", "article-aapc-payscale-bands", {"experience_band__key": "senior", "kind": "range_low"}),
    ("85000", "article-aapc-payscale-bands", {"experience_band__key": "senior", "kind": "range_high"}),
    ("85000", "article-aapc-payscale-bands", {"experience_band__key": "expert-management", "kind": "range_low"}),
    ("120000", "article-aapc-payscale-bands", {"experience_band__key": "expert-management", "kind": "range_high"}),
    ("80000", "article-estimate", {"role__key": "cdi-specialist", "kind": "range_low"}),
    ("110000", "article-estimate", {"role__key": "cdi-specialist", "kind": "range_high"}),
    ("38000", "article-estimate", {"credential_count": 0, "kind": "range_low"}),
    ("45000", "article-estimate", {"credential_count": 0, "kind": "range_high"}),
    ("50000", "article-estimate", {"credential__code": "CPC", "kind": "range_low"}),
    ("60000", "article-estimate", {"credential__code": "CPC", "kind": "range_high"}),
]


@pytest.mark.parametrize(("value", "source", "about"), ARTICLE_FIGURES)
def test_article_figure_is_present_with_its_source(ladder, value, source, about):
    figure = SalaryFigure.objects.get(source__key=source, **about)

    assert figure.value == Decimal(value)
    assert figure.as_of and figure.as_of_year == 2023


def test_no_figure_is_in_the_data_that_the_article_does_not_state(ladder):
    confirmed = SalaryFigure.objects.confirmed().count()

    assert confirmed == len(ARTICLE_FIGURES)


def test_open_ended_figures_say_so(ladder):
    open_ended = set(SalaryFigure.objects.filter(open_ended=True).values_list("value", flat=True))

    assert open_ended == {Decimal("85000"), Decimal("120000"), Decimal("110000"), Decimal("90000")}


def test_national_mean_is_kept_as_an_unconfirmed_row(ladder):
    figure = SalaryFigure.objects.get(source__key="bls-oews-2023", kind="mean", region__key="us")

    assert figure.value is None
    assert not figure.is_confirmed
    assert "approximate" in figure.unconfirmed_note
    assert figure.display_value == "not yet entered"


def test_display_value_reads_as_the_article_writes_it(ladder):
    assert SalaryFigure.objects.get(key="bls-2023-national-median-hourly").display_value == "$23.45/hour"
    assert SalaryFigure.objects.get(key="band-senior-high").display_value == "$85,000+"
    assert SalaryFigure.objects.get(key="payscale-2023-cpc-average").display_value == "about $59,000"
