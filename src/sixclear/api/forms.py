from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ServiceForm

EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("One year")),
]


class TokenForm(ServiceForm):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("Where the token is used, e.g. “Provincial reporting system”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial="90"
    )
