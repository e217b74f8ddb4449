from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


def ceus_text(value) -> str:
    """CEUs as people write them: 8.5, 36, 0.25 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text


register.filter("ceus", ceus_text)


@register.filter
def ceu_category(value: str) -> str:
    """A CEU category's label as the log form shows it."""
    from ceu.models import CeuEntry

    return dict(CeuEntry.Category.choices).get(value, value)
