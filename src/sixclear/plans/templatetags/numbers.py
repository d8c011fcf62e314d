"""`{% load numbers %}`: numbers as the page's language writes them (`sixclear.numbers`).

    {{ value|number:"money" }}   {{ health.actual|number:target }}   {{ rate|number:"percent" }}
"""

from django import template

from sixclear.numbers import NumberKind, format_number, kind_of_target

register = template.Library()


@register.filter
def number(value, kind=NumberKind.PLAIN):
    """`kind` is money, percent, count or plain, or a target (its unit of measure and kind
    decide)."""
    if not isinstance(kind, str):
        kind = kind_of_target(kind)
    return format_number(value, kind)
