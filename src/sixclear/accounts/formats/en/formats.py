"""English: Django's formats, month before day in dates and date-times alike."""

from django.conf.locale.en.formats import *  # noqa: F403
