from django import template

from sixclear.tracking.models import SIX_CLEAR_LABELS

register = template.Library()


@register.filter
def clear_label(key):
    """What a missing clear means, in words: "clear person: nobody owns the task"."""
    return SIX_CLEAR_LABELS.get(key, key)


@register.filter
def days_after(later, earlier):
    """Whole days from `earlier` to `later` (dates): counted in days, as deadlines are,
    and so translated with our own plural forms rather than Django's timesince."""
    if not later or not earlier:
        return 0
    return (later - earlier).days
