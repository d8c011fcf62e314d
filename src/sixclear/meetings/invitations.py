"""What the e-mail of an invitation says under "You are invited to the meeting …": the day,
time and place, and the agenda in its order, in the reader's language. Monitoring sends it as
the person chose (at once, or in the daily digest); this only writes the lines."""

from sixclear.monitoring.notifications import occasion_of

from .models import Meeting
from .selectors import invitation_lines


def agenda_details(notification):
    """The agenda lines of the meeting a `meeting_invited` notification is about (its
    occasion is "meeting:<id>"); none when the meeting is gone."""
    kind, _sep, pk = occasion_of(notification).partition(":")
    if kind != "meeting" or not pk.isdigit():
        return []
    meeting = Meeting.objects.filter(pk=int(pk)).select_related("unit").first()
    return invitation_lines(meeting, link=notification.link) if meeting else []
