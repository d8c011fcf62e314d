from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import services
from .forms import NotificationEmailForm, SignInForm


def home(request):
    """The public front page; a signed-in person goes straight to their work."""
    if request.user.is_authenticated:
        return redirect("tracking:my_work")
    return render(request, "home.html")


def _use_language(request, response, language):
    request.session[services.LANGUAGE_SESSION_KEY] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = services.preferred_language(form.get_user())
        if language:
            _use_language(self.request, response, language)
        return response


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_changed")


class PasswordChangedView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_changed.html"


@require_POST
def change_language(request):
    """Switch the site's language; a signed-in person's choice is remembered for next time."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in services.available_languages():
        services.remember_language(actor=request.user, language=language)
        _use_language(request, response, language)
    return response


@login_required
def preferences(request):
    """A person's own settings: how they are e-mailed about their notifications."""
    if request.method == "POST":
        form = NotificationEmailForm(request.POST)
        if form.is_valid():
            services.choose_email_at_once(
                actor=request.user, at_once=form.cleaned_data["delivery"] == "at_once")
            messages.success(request, _("Your preferences are saved."))
            return redirect("accounts:preferences")
    else:
        at_once = services.email_at_once(request.user)
        form = NotificationEmailForm(initial={"delivery": "at_once" if at_once else "daily"})
    return render(request, "accounts/preferences.html", {"form": form})
