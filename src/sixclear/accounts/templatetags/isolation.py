"""`|bdi`: a piece of user data isolated from the sentence around it.

Vietnamese names inside an Arabic sentence were reordered by the bidirectional algorithm
("ký hợp 300 đồng", full stops jumping to the start of a line). Every template prints user
data inside `<bdi>` (inline) or an element with `dir="auto"` (block); inside a translated
sentence (`{% blocktranslate with unit=unit.name|bdi %}`) this filter does it, so the
sentence's msgid stays as it is. A builtin of the template engine (settings.TEMPLATES).
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """`value`, escaped, inside `<bdi>`; nothing for an empty value."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)
