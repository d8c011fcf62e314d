"""Arabic: day before month in dates and date-times alike (Django has no date-time format)."""

from django.conf.locale.ar.formats import *  # noqa: F403

DATE_FORMAT = "j F، Y"
DATETIME_FORMAT = "j F، Y، H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
# Thousands are grouped wherever Django groups them ("1.460,4"), as sixclear.numbers does.
NUMBER_GROUPING = 3
