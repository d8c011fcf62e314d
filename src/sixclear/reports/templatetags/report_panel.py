from django import template
from django.utils import timezone

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit

from ..selectors import unit_panel

register = template.Library()


@register.inclusion_tag("reports/_panel_body.html", takes_context=True)
def reports_panel(context, unit):
    """The unit page's reports card: one query (selectors.unit_panel); roles from the cached
    membership paths the page has already read."""
    user = context["user"]
    today = timezone.localdate()
    return {"unit": unit, "rows": unit_panel(unit), "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "can_generate": reaches_unit(user, unit, Role.MANAGER), "request": context["request"]}
