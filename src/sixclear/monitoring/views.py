from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import notifications


@login_required
def notification_list(request):
    page = Paginator(notifications.notifications_of(request.user), 30).get_page(
        request.GET.get("page"))
    items = [(note, notifications.describe(note)) for note in page]
    return render(request, "monitoring/notifications.html", {"page": page, "items": items})


@require_POST
@login_required
def mark_read(request):
    """Mark one notification (by `id`) or all of them read; only the reader's own."""
    chosen = request.POST.get("id")
    ids = [int(chosen)] if chosen and chosen.isdigit() else None
    notifications.mark_read(actor=request.user, notification_ids=ids)
    return redirect("monitoring:notifications")
