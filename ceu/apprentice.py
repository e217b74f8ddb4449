"""The apprentice tracker: the routes to removing the "A", the day each can be complete, the day the
reminder is due, and what removing it is worth (from the salary projection).

The rule itself is pure (roadmap.rules.apprentice_routes); this module reads the person's tracker and
profile into it. Without a tracker the profile's career start and education credits decide, as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import Profile
from content.models import Credential
from roadmap import projection, projection_inputs
from roadmap.models import HeldCredential
from roadmap.rules import (
    ApprenticeEvidence,
    RouteEstimate,
    apprentice_eligible_on,
    apprentice_routes,
    earliest_route,
)
from roadmap.selectors import projection_profile

from .models import ApprenticeTracker


def evidence_of(held: HeldCredential, tracker: ApprenticeTracker | None, career_start: dt.date | None):
    """The tracker's dates; the experience start falls back to the profile's career start."""
    if tracker is None:
        return ApprenticeEvidence(certified_on=held.earned_on, experience_started_on=career_start)
    return ApprenticeEvidence(
        certified_on=held.earned_on,
        experience_started_on=tracker.experience_started_on or career_start,
        letter_received_on=tracker.letter_received_on,
        course_completed_on=tracker.course_completed_on,
        practicode_completed_on=tracker.practicode_completed_on,
    )


def eligible_on(
    held: HeldCredential, tracker: ApprenticeTracker | None, career_start: dt.date | None, credits: int
) -> dt.date | None:
    """The day the reminder is due: with a tracker, the earliest day any route can be complete; without
    one, the profile's rule (career start and education credits)."""
    if tracker is None:
        return apprentice_eligible_on(career_start, credits, certified_on=held.earned_on)
    best = earliest_route(apprentice_routes(evidence_of(held, tracker, career_start), held.earned_on))
    return best.eligible_on if best else None


@dataclass(frozen=True)
class Worth:
    """The projected salary holding the apprentice credential and holding what replaces it."""

    target: str
    before: projection.Salary
    after: projection.Salary

    @property
    def gain(self):
        return self.after.typical - self.before.typical


def worth_of_removing(held: HeldCredential, profile: Profile, today: dt.date) -> Worth | None:
    """What removing the "A" is worth a year, from the projection of the person's own profile: the
    credential that replaces the apprentice one (the CPC for a CPC-A) in its place."""
    target = Credential.objects.filter(replaces=held.credential_id).first()
    if target is None:
        return None
    held_now = list(
        HeldCredential.objects.filter(user=held.user_id, ended_on__isnull=True).select_related("credential")
    )
    person = projection_profile(profile, held_now, today)
    with_target = projection.Profile(
        region=person.region,
        work_setting=person.work_setting,
        years=person.years,
        credentials=(person.credentials - {held.credential.code}) | {target.code},
        education=person.education,
    )
    reference = projection_inputs.load_reference()
    try:
        before = projection.salary_after(reference, person, [])
        after = projection.salary_after(reference, with_target, [])
    except projection.ProjectionError:
        return None
    return Worth(target.code, before, after)


def routes_for(held: HeldCredential, tracker: ApprenticeTracker | None, profile: Profile, today: dt.date):
    routes = apprentice_routes(evidence_of(held, tracker, profile.career_start), today)
    return routes, earliest_route(routes)


__all__ = ["RouteEstimate", "Worth", "eligible_on", "evidence_of", "routes_for", "worth_of_removing"]
