from django import template

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit

from ..formats import EXPORT_KINDS
from ..models import ImportKind

register = template.Library()


@register.simple_tag
def may_import(user, unit):
    """From the person's cached membership paths: no query on the unit page."""
    return reaches_unit(user, unit, Role.MANAGER)


@register.simple_tag
def export_kinds():
    return [(kind, ImportKind(kind).label) for kind in EXPORT_KINDS]
