import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation

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
