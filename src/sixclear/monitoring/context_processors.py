from .notifications import unread_count


def unread_notifications(request):
    """The bell's count on every page: one small indexed count for a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
