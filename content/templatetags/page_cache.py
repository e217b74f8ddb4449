"""``{% personal "account_nav" %}``: a personal part of a page, left as a hole when the page is
rendered for the cache (see content.page_cache) and drawn in place otherwise."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from content.page_cache import HOLES, hole_marker

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name: str, arg: str = "") -> str:
    if context.get("render_with_holes"):
        return mark_safe(hole_marker(name, str(arg)))
    with context.push(hole_arg=str(arg)):
        return get_template(HOLES[name]).template.render(context)
