"""The page where a person creates and revokes their personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.accounts.decorators import verified_session_required

from . import services
from .forms import TokenForm

NEW_TOKEN_SESSION_KEY = "sixclear_api_new_token"  # noqa: S105 — a session key name


@login_required
@verified_session_required
def tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.create_token(
                actor=request.user, name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            # Shown once, on the next page, then forgotten: only its hash is stored.
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "value": raw}
            return redirect("api_tokens:list")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return render(request, "api/tokens.html", {
        "form": form,
        "tokens": list(services.tokens_of(request.user)),
        "new_token": new_token,
        "current": "api_tokens",
    }, status=400 if form.errors else 200)


@login_required
@verified_session_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(services.tokens_of(request.user), pk=pk)
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
