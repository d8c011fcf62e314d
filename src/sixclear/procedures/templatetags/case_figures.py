from django import template
from django.utils import timezone

from sixclear.procedures.selectors import dashboard_figures

register = template.Library()


@register.inclusion_tag("procedures/_dashboard_figures.html")
def case_figures_of(unit):
    """The subtree's cases closed on time this year (from the monthly rollups) and the steps
    stuck past their time limit today, for a page that shows a unit (the dashboard); one
    query."""
    return {"figures": dashboard_figures(unit, timezone.localdate()), "unit": unit}
