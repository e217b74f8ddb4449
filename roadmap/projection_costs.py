"""Fees from the reference data as the plain inputs of roadmap.projection.costs, kept per edition."""

from __future__ import annotations

from content.edition import current_edition
from content.models import Credential, Fee

from .projection.costs import CostSummary, FeeFact, Fees, cost_summary
from .projection.plans import Projection

_fees_cache: dict[str, Fees] = {}


def _fact(fee: Fee) -> FeeFact:
    return FeeFact(
        describes=fee.describes,
        amount=fee.amount,
        member_amount=fee.member_amount,
        yearly=fee.yearly,
        source=f"{fee.source.publisher}, {fee.source.name}",
        as_of=fee.as_of,
        approximate=fee.approximate or fee.confidence != Fee.Confidence.PRIMARY,
        note=fee.note,
    )


def read_fees() -> Fees:
    """Every fee on record: two queries."""
    exams, recurring = {}, {}
    for fee in Fee.objects.select_related("source", "body", "credential"):
        if fee.kind == Fee.Kind.EXAM and fee.credential_id:
            exams[fee.credential.code] = _fact(fee)
        elif fee.period != Fee.Period.ONCE:
            recurring.setdefault(fee.body.code, []).append(_fact(fee))
    body_of = dict(Credential.objects.values_list("code", "body__code"))
    return Fees(exams, {body: tuple(facts) for body, facts in recurring.items()}, body_of)


def load_fees() -> Fees:
    """The current edition's fees, from this process's copy when it has one."""
    edition = current_edition()
    if (cached := _fees_cache.get(edition)) is None:
        _fees_cache.clear()
        cached = _fees_cache[edition] = read_fees()
    return cached


def costs_of(result: Projection) -> CostSummary:
    return cost_summary(result, load_fees())
