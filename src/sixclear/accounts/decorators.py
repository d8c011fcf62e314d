"""`verified_session_required`: a page that only a session which gave its second factor may
open, for the people who have one or must have one (ASVS V2.7; the API token page)."""

import functools

from django.shortcuts import redirect

from .middleware import owed_step, with_next


def verified_session_required(view):
    """Checked afresh (not from the session's note), so a stale note cannot open the page;
    the middleware sends such a person to the same place before this runs."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        step = owed_step(request, fresh=True)
        if step is not None:
            return redirect(with_next(step, request.get_full_path()))
        return view(request, *args, **kwargs)

    return guarded
