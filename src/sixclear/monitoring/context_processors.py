from .notifications import UNREAD_SHOWN, unread_count


def unread_notifications(request):
    """The bell's count on every page: one small indexed count for a signed-in person, of at
    most a hundred entries ("99+" beyond 99)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = unread_count(user)
    return {"unread_notifications": count if count <= UNREAD_SHOWN else f"{UNREAD_SHOWN}+"}
