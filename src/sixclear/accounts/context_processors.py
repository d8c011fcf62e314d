from django.utils.functional import SimpleLazyObject

from sixclear.dashboards.rollups import count_awaiting_decision
from sixclear.orgs.selectors import own_units

from .middleware import owed_step


def navigation(request):
    """What the header shows a signed-in person: their units and how much waits for them.

    Lazy, so pages and fragments that do not draw the header do not pay for it. The count
    of what waits for a decision is read from the per-unit rollups: one statement, whatever
    the number of reports below a national leader.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if hasattr(request, "session") and owed_step(request) is not None:
        # Signed in with the password only, owing a code: the header shows no unit or count.
        return {"second_factor_owed": True}
    return {
        "nav_units": SimpleLazyObject(lambda: own_units(user)),
        "nav_awaiting_review": SimpleLazyObject(lambda: count_awaiting_decision(user)),
    }

