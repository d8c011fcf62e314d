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
