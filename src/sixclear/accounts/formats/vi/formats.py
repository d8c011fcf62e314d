"""Vietnamese: day/month/year everywhere, as offices write it ("thời hạn 07/12/2026")."""

from django.conf.locale.vi.formats import *  # noqa: F403

DATE_FORMAT = "d/m/Y"
# "Ký lúc 11:35 ngày 06/12/2026": the time, then the date, as a sentence goes on.
DATETIME_FORMAT = r"H:i \n\gà\y d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
# Thousands are grouped wherever Django groups them ("1.460,4"), as sixclear.numbers does.
NUMBER_GROUPING = 3
