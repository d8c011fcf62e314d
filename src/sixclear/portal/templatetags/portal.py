"""What the portal's panels on internal pages need: one query each."""

from django import template

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit

from .. import selectors
from ..forms import PublishingDefaultForm

register = template.Library()


@register.simple_tag(takes_context=True)
def publication_panel(context, item):
    """Whether `item` is on the portal, why, and whether this person may change it."""
    explicit, default = selectors.publication_state(item)
    publishable = getattr(item, "state", "issued") in selectors.PUBLIC_TASK_STATES
    published = publishable and (default if explicit is None else explicit)
    user = context["request"].user
    return {
        "published": published,
        "by_default": explicit is None,
        "publishable": publishable,
        "can_change": reaches_unit(user, item.unit, Role.MANAGER),
    }


@register.simple_tag(takes_context=True)
def unit_publishing(context, unit):
    default = selectors.publishing_default(unit)
    user = context["request"].user
    can_change = reaches_unit(user, unit, Role.MANAGER)
    return {
        "publish": bool(default and default.publish),
        "form": PublishingDefaultForm(initial={
            "version": default.version if default else 0,
            "publish": "1" if default and default.publish else "0",
        }, auto_id="portal_default_%s") if can_change else None,
        "can_change": can_change,
    }


@register.simple_tag(takes_context=True)
def league_panel(context, round_):
    """Whether a round's league is on the portal and whether this person may change it; not
    shown at all for a round of persons (never published). One query."""
    from sixclear.evaluation.models import Level, RoundStatus

    publication = selectors.league_publication(round_)
    user = context["request"].user
    return {
        "shown": round_.level != Level.CADRE,
        "published": bool(publication and publication.published
                          and round_.status == RoundStatus.CLOSED),
        "publishable": round_.status == RoundStatus.CLOSED,
        "can_change": reaches_unit(user, round_.unit, Role.LEADER),
    }
