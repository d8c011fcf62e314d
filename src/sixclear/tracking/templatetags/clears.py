from django import template

from sixclear.tracking.models import SIX_CLEAR_LABELS

register = template.Library()


@register.filter
def clear_label(key):
    """What a missing clear means, in words: "clear person: nobody owns the task"."""
    return SIX_CLEAR_LABELS.get(key, key)
