"""The salary projection engine: what each step of a roadmap is likely to be worth to a person.

Plain data in, frozen dataclasses out: no ORM, no clock. ``roadmap.projection_inputs`` turns
database rows into these inputs. Every number a projection shows is either a cited figure
(``Figure``, which names its source) or arithmetic on cited figures that the ``Factors`` of each
result spell out.

The method (also published at /salaries/method/):

1. **Where a person stands after each step.** The credentials they hold (a credential that
   replaces another, like the CPC replacing the CPC-A, takes its place), every role they have held,
   and their years of experience. Experience grows with time: the years they have now plus the
   months until the step is reached. A step lasts its typical months; a step without a known
   duration counts as taking no time (so the timeline is optimistic, and the page says so). A role
   step cannot come before the role's experience band begins (the article's table puts the coding
   manager in the 20+ years band, so that step waits until 20 years of experience).

2. **The base figure** of a state is the highest of:
   - each held credential's and each held role's own figure, where the source article gives one
     (CPC 64,712; COC 70,186; CCS about 68,000; RHIT about 54,000; CPMA 81,048; coding manager
     85,081; CDI specialist 80,000-110,000+, a range whose typical value is its midpoint);
   - the AAPC average for the number of AAPC certifications held (1: 64,712; 2: 74,896;
     3 or more: 83,866). The survey counts AAPC certifications, so AHIMA credentials are not
     counted, and neither is the apprentice CPC-A (the article puts it in the entry band and says
     the biggest jump comes when the "-A" is removed);
   - the average without certification (51,699): the floor for everyone;
   - the experience figure: the person's position within their experience band (0-2 years:
     40,000-52,000; 3-9: 53,000-68,000; 10-19: 69,000-85,000+; 20+: 85,000-120,000+), moving
     linearly from the band's low end in its first year to its high end in its last. The open
     20+ band has no last year, so it stays at its low end.
   Taking the highest keeps two promises: a credential never lowers a projection, and neither does
   another year of experience. A neutral profile (national, any setting, at the start of a career)
   holding one credential gets exactly the article's figure for that credential.

3. **Low and high.** Where the base figure is itself a range (the CDI specialist), that range.
   Otherwise the base stretched by a spread: the 25th and 75th percentile over the median of the
   person's area in the reference's wage edition (``region_spreads``; BLS OEWS May 2025 for Texas:
   39,470 and 63,970 around 48,860), else the reference's own spread (the nation's: 43,490 and
   64,820 around 51,140; with the source article's figures, Salary.com's typical range for a
   medical coder, 53,822-70,227 around its median 61,168).

4. **Location and work setting** each multiply low, typical and high by the area's or the setting's
   annual mean wage divided by the national figure of the same wage edition; where both are chosen,
   the two factors multiply. National and "any setting" have factor 1. The current edition is BLS
   OEWS May 2025 (every state, metro and nonmetro area; each work setting's industry nationally),
   compared with its national mean (56,790): exact. The source article's BLS May 2023 figures give
   the national *median* (48,780) but not the mean; a reference built from them compares with the
   median, and its factors are approximate (``Reference.location_is_approximate``).

5. **Over a horizon** (10 years unless chosen otherwise) the person takes the remaining steps in
   turn and earns, month by month, the typical salary of where they stand; experience counts in
   whole years. "Staying where you are" keeps today's credentials and roles with growing experience.
   A step's payback is its cost divided by its monthly gain where a cost is recorded, else "not
   known".

6. **Best next step.** The steps whose prerequisites are met, ranked by gain per month of effort
   (the months until the step is done, waiting included); steps whose duration is not known come
   after those whose gain per month is known. Ties, and steps without a known duration, are ranked
   by what the step alone adds over the horizon.

The package, read from the bottom up: ``inputs`` (the dataclasses a projection starts from, their
validation, the order of a roadmap's steps and the states a person passes through), ``tables`` (what
a reference gives every salary), ``salary`` (the salary of one state in an area), ``person`` (what every
projection of one person shares), ``next_steps`` (the best next steps) and ``plans`` (a whole roadmap
over a horizon). Everything public is importable from ``roadmap.projection`` itself.

What does not change between projections is worked out once and kept: a reference's tables (in each
place in use, an area and a setting, its figures times the place's factor and stretched by the area's
spread), a roadmap's step order (and its course for people holding
the same credentials), a profile's person (their points in time and salaries, shared by the
projections of their roadmaps). Each is kept by the identity of the frozen input it comes from, so a
reference, a plan or a profile is never changed in place. Results are the same to the last digit and
name the same sources as an engine that works everything out afresh: ``tests/projection`` keeps such
an engine and compares the two, and ``tests/benchmarks/bench_projection.py`` times both.
"""

from __future__ import annotations

from .costs import CostSummary, FeeFact, Fees, Recurring, StepCost, cost_summary, payback_months
from .inputs import (
    BEST_NEXT_STEPS,
    DEFAULT_HORIZON_YEARS,
    FACTOR_PLACES,
    MAX_HORIZON_YEARS,
    MAX_YEARS_OF_EXPERIENCE,
    ONE,
    SPLITS_KEPT,
    STEP_ORDERS_KEPT,
    TWELVE,
    TWO,
    ZERO,
    Band,
    Figure,
    Plan,
    PlanStep,
    Profile,
    ProjectionError,
    Reference,
    Spread,
    _State,
    ordered_steps,
    validate,
)
from .next_steps import NextStep, best_next_steps
from .person import PEOPLE_KEPT
from .plans import Horizon, Projection, StepProjection, project
from .salary import Factors, Salary, salary_after, salary_for
from .tables import PLACES_KEPT, REMEMBERED, TABLES_KEPT

__all__ = [
    "BEST_NEXT_STEPS",
    "DEFAULT_HORIZON_YEARS",
    "FACTOR_PLACES",
    "MAX_HORIZON_YEARS",
    "MAX_YEARS_OF_EXPERIENCE",
    "ONE",
    "PEOPLE_KEPT",
    "PLACES_KEPT",
    "REMEMBERED",
    "SPLITS_KEPT",
    "STEP_ORDERS_KEPT",
    "TABLES_KEPT",
    "TWELVE",
    "TWO",
    "ZERO",
    "Band",
    "CostSummary",
    "Factors",
    "FeeFact",
    "Fees",
    "Figure",
    "Horizon",
    "NextStep",
    "Plan",
    "PlanStep",
    "Profile",
    "Projection",
    "ProjectionError",
    "Recurring",
    "Reference",
    "Salary",
    "Spread",
    "StepCost",
    "StepProjection",
    "_State",  # tests build states directly for salary_for
    "best_next_steps",
    "cost_summary",
    "ordered_steps",
    "payback_months",
    "project",
    "salary_after",
    "salary_for",
    "validate",
]
