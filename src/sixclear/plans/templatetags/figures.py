from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value):
    """A stored number as people write it: no trailing zeros (21.7, not 21.7000), digits grouped
    and the decimal mark of the page's language."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    places = max(0, -number.normalize().as_tuple().exponent)
    return floatformat(number, f"{places}g")
