from base64 import b32encode
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN, CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import get_callable, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import services
from .forms import CodeForm, NotificationEmailForm, SignInForm
from .middleware import client_address, remember_second_factor, with_next


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


def _from_this_site(request):
    """Whether a browser's Origin (or, without one, its Referer) names this site; a request
    with neither comes from no browser's cross-site form."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin == f"{request.scheme}://{request.get_host()}" or \
        origin in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt  # checked below: a visitor without an account sends no token
@require_POST
def change_language(request):
    """Switch the site's language; a signed-in person's choice is remembered for next time.

    A signed-in person's form carries a CSRF token, checked here as everywhere. A visitor's
    does not: the public portal's pages are cached whole for every anonymous visitor
    (portal.pagecache), so they carry no token of anyone's. For them, what a forged form could
    do is switch a language cookie; a browser's Origin must still name this site."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    elif not _from_this_site(request):
        return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=REASON_BAD_ORIGIN % (
            request.headers.get("Origin") or request.headers.get("Referer")))
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
    return render(request, "accounts/preferences.html", {
        "form": form, "second_factor": services.has_second_factor(request.user)})


# --- the second factor ---

# New recovery codes wait in the session until the person says they kept them: shown on one
# page, downloadable as text from another, then forgotten by the session.
RECOVERY_CODES_SESSION_KEY = "sixclear_new_recovery_codes"


def _next_url(request, default="tracking:my_work"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _verified(request, device):
    """The session has now given its second factor: a new session key, marked verified."""
    request.session.cycle_key()
    otp_login(request, device)


@login_required
def second_factor_verify(request):
    """After the password: the 6-digit code of the person's app, or a recovery code."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    state = remember_second_factor(request)
    if not state["enrolled"]:
        if state["required"]:
            return redirect(with_next("accounts:second_factor_enrol", next_url))
        return redirect(next_url)
    form = CodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(
                actor=request.user, code=form.cleaned_data["code"],
                address=client_address(request))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(request.user)
                messages.warning(request, ngettext(
                    "You used a recovery code. %(count)d code is left: make new ones on the "
                    "Second factor page.",
                    "You used a recovery code. %(count)d codes are left: make new ones on the "
                    "Second factor page.", left) % {"count": left})
            return redirect(next_url)
    return render(request, "accounts/second_factor_verify.html", {
        "form": form, "next": next_url,
    }, status=400 if form.errors else 200)


def _secret_for_people(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def second_factor_enrol(request):
    """Set up the authenticator app: scan the QR code (or type the secret), confirm with a
    code it shows, then keep the recovery codes."""
    next_url = _next_url(request)
    state = remember_second_factor(request)
    if state["enrolled"]:
        if not request.user.is_verified():
            return redirect(with_next("accounts:second_factor_verify", next_url))
        return redirect("accounts:second_factor")
    device = services.start_enrolment(actor=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_enrolment(
                actor=request.user, code=form.cleaned_data["code"],
                address=client_address(request))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            _verified(request, device)
            remember_second_factor(request)
            request.session[RECOVERY_CODES_SESSION_KEY] = {"codes": codes, "next": next_url}
            messages.success(request, _("Your second factor is set up."))
            return redirect("accounts:recovery_codes")
    # The QR code is an SVG image in a data: address, which the CSP allows for images.
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    return render(request, "accounts/second_factor_enrol.html", {
        "form": form, "next": next_url, "qr": qr, "secret": _secret_for_people(device),
        "required": state["required"],
    }, status=400 if form.errors else 200)


@login_required
def recovery_codes(request):
    """The new recovery codes, shown until the person says they kept them."""
    pending = request.session.get(RECOVERY_CODES_SESSION_KEY)
    if request.method == "POST":
        request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        target = pending.get("next") if pending else None
        return redirect(target or "accounts:second_factor")
    if not pending:
        return redirect("accounts:second_factor")
    return render(request, "accounts/recovery_codes.html", {"codes": pending["codes"]})


@login_required
def recovery_codes_download(request):
    pending = request.session.get(RECOVERY_CODES_SESSION_KEY)
    if not pending:
        raise Http404
    lines = [
        _("Sixclear recovery codes for %(username)s") % {
            "username": request.user.get_username()},
        _("Each code works once, when you cannot use your authenticator app."),
        "",
        *pending["codes"],
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sixclear-recovery-codes.txt"'
    return response


def _security_page(request, renew_form=None, remove_form=None, status=200):
    user = request.user
    return render(request, "accounts/second_factor.html", {
        "enrolled": services.has_second_factor(user),
        "required": services.second_factor_required(user),
        "post_asks": services.holds_powerful_post(user),
        "codes_left": services.recovery_codes_left(user),
        "renew_form": renew_form or CodeForm(prefix="renew"),
        "remove_form": remove_form or CodeForm(prefix="remove"),
    }, status=status)


@login_required
def second_factor(request):
    """The person's second factor: whether it is set up, their recovery codes, removal."""
    return _security_page(request)


@login_required
@require_POST
def renew_recovery_codes(request):
    form = CodeForm(request.POST, prefix="renew")
    if form.is_valid():
        try:
            codes = services.renew_recovery_codes(
                actor=request.user, code=form.cleaned_data["code"],
                address=client_address(request))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session[RECOVERY_CODES_SESSION_KEY] = {
                "codes": codes, "next": reverse("accounts:second_factor")}
            messages.success(request, _("New recovery codes are made; the old ones no longer "
                                        "work."))
            return redirect("accounts:recovery_codes")
    return _security_page(request, renew_form=form, status=400)


@login_required
@require_POST
def remove_second_factor(request):
    form = CodeForm(request.POST, prefix="remove")
    if form.is_valid():
        try:
            services.remove_second_factor(
                actor=request.user, code=form.cleaned_data["code"],
                address=client_address(request))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            remember_second_factor(request)
            messages.success(request, _("Your second factor is removed."))
            return redirect("accounts:second_factor")
    return _security_page(request, remove_form=form, status=400)
