"""My work: a person's tasks by urgency, what waits for their approval, their targets."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from sixclear.tracking import selectors


@login_required
def my_work(request):
    work = selectors.my_work(request.user)
    context = {"work": work, "today": timezone.localdate()}
    return render(request, "tracking/my_work.html", context)
