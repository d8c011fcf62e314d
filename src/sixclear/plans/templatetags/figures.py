from django import template

from sixclear.numbers import NumberKind, format_number

register = template.Library()


@register.filter
def figure(value):
    """A stored number as people of the page's language write it: digits grouped, their
    decimal mark, at most two decimals (21.7, not 21.7000). Where the unit is known, prefer
    `{% load numbers %}` and `value|number:target`."""
    return format_number(value, NumberKind.PLAIN)
