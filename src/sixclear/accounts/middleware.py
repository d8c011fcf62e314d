import ipaddress
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .services import LANGUAGE_SESSION_KEY, available_languages


class UserLanguageMiddleware:
    """Apply a signed-in person's chosen language, wherever they sign in from.

    Runs after the authentication middleware; LocaleMiddleware has already picked a language
    from the cookie or the browser, and a person's own choice wins over both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if request.user.is_authenticated:
            language = request.session.get(LANGUAGE_SESSION_KEY)
        if language in available_languages():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


SESSION_STARTED_KEY = "sixclear_session_started"
SESSION_SEEN_KEY = "sixclear_session_seen"
# Activity renews the session at most once a minute, not with a write on every request.
RENEW_AFTER_SECONDS = 60


def start_session_clock(sender, request, user, **kwargs):
    """On signing in (a `user_logged_in` receiver): the session's lifetime starts now."""
    if hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = request.session[SESSION_SEEN_KEY] = time.time()


class SessionLifetimeMiddleware:
    """End a signed-in session after SESSION_COOKIE_AGE idle seconds or, however active, after
    SIXCLEAR_SESSION_MAX_SECONDS (ASVS V3.3.1–V3.3.2).

    Django expires a session SESSION_COOKIE_AGE after it was last saved; saving it again when
    the person is active (at most once a minute) turns that into an idle timeout. The times are
    also checked here, so a session store that kept the row longer cannot extend either limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request):
        session, now = request.session, time.time()
        started = session.get(SESSION_STARTED_KEY)
        seen = session.get(SESSION_SEEN_KEY)
        if started is None or seen is None:
            session[SESSION_STARTED_KEY] = session[SESSION_SEEN_KEY] = now
            return
        if (now - started > settings.SIXCLEAR_SESSION_MAX_SECONDS
                or now - seen > settings.SESSION_COOKIE_AGE):
            logout(request)  # the request goes on as anonymous: sign-in pages send to sign in
            return
        if now - seen > RENEW_AFTER_SECONDS:
            session[SESSION_SEEN_KEY] = now


# The session remembers whether the person has a second factor and whether their post requires
# one, so that pages do not ask the database on every request; it is filled at sign-in and
# checked again at most once a minute (a person made a leader meanwhile is then sent to enrol).
SECOND_FACTOR_KEY = "sixclear_second_factor"
RECHECK_SECOND_FACTOR_SECONDS = 60
# What a person who still owes a code (or a set-up) may open.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:sign_out", "accounts:language", "set_language",
    "accounts:second_factor_verify", "accounts:second_factor_enrol",
    "accounts:recovery_codes", "accounts:recovery_codes_download",
}


def client_address(request):
    """The client's IP address as recorded in the second factor's log: the peer, or behind
    SIXCLEAR_TRUSTED_PROXIES proxies the address the nearest of them saw."""
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    proxies = settings.SIXCLEAR_TRUSTED_PROXIES
    if proxies and forwarded:
        address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def remember_second_factor(request, user=None):
    """Note in the session whether the person has a second factor and must have one."""
    user = user or request.user
    state = {"enrolled": services.has_second_factor(user),
             "required": services.second_factor_required(user), "at": time.time()}
    request.session[SECOND_FACTOR_KEY] = state
    return state


def note_second_factor_at_sign_in(sender, request, user, **kwargs):
    """On signing in (a `user_logged_in` receiver)."""
    if request is not None and hasattr(request, "session"):
        remember_second_factor(request, user)


def second_factor_state(request):
    state = request.session.get(SECOND_FACTOR_KEY)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) > \
            RECHECK_SECOND_FACTOR_SECONDS:
        state = remember_second_factor(request)
    return state


def with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def owed_step(request, fresh=False):
    """Where a signed-in person must go before anything else, or None: the verification page
    when they have a second factor and gave no code in this session, the set-up page when their
    post requires one and they have none. `fresh` asks the database instead of the session's
    note (for the admin and the API token page)."""
    user = request.user
    if not user.is_authenticated:
        return None
    # OTPMiddleware gives every user `is_verified`; without it nothing was verified.
    if getattr(user, "is_verified", None) is not None and user.is_verified():
        return None
    state = remember_second_factor(request) if fresh else second_factor_state(request)
    if state["enrolled"]:
        return "accounts:second_factor_verify"
    if state["required"]:
        return "accounts:second_factor_enrol"
    return None


class SecondFactorMiddleware:
    """Send a signed-in person who owes a second factor to give it (or to set one up) before
    any other page (ASVS V2.7/V2.8). Sign-out, the language switch, static files and the second
    factor's own pages stay open; the API answers 403 in its error format to such a session
    (personal API tokens are not sessions and are not affected). Runs after OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = owed_step(request)
        if step is not None and not self.is_open(request):
            return self.send(request, step)
        return self.get_response(request)

    @staticmethod
    def is_open(request):
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path_info.startswith(static):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN_BEFORE_SECOND_FACTOR

    @staticmethod
    def send(request, step):
        if request.path_info.startswith("/api/"):
            return JsonResponse({
                "code": "second_factor_required",
                "message": _("Give your second factor's code on the site first."),
                "fields": {},
            }, status=403)
        url = with_next(step, request.get_full_path()) if request.method == "GET" \
            else reverse(step)
        if request.headers.get("HX-Request"):
            # htmx would follow a redirect inside the fragment; this makes it open the page.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
