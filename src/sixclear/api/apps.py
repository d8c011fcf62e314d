"""The REST API (/api/v1/) and personal API tokens."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sixclear.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from . import (
            revocation,
            schema,  # noqa: F401 — registers the token scheme with drf-spectacular
        )

        revocation.connect()
