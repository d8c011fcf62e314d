from django import template
from django.utils.translation import gettext as _

from sixclear.dashboards.tables import table_html

register = template.Library()


@register.simple_tag
def dashboard_table(table):
    """A dashboard table, rendered in Python (see tables.table_html)."""
    return table_html(table, _("Nothing to show."))
