"""Forms of the portal. They parse what a citizen typed; the services check it."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ServiceForm
from sixclear.numbers import NumberKind, format_number

SCORES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – neither satisfied nor dissatisfied")),
    (2, _("2 – dissatisfied")),
    (1, _("1 – very dissatisfied")),
]


class HoneypotForm(ServiceForm):
    """A field people never see (hidden by the stylesheet) and bots fill in."""

    website = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Your submission could not be accepted. Please try again."), code="honeypot"
            )
        return cleaned


class FollowForm(HoneypotForm):
    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        help_text=_("We send a link to confirm it. Every e-mail has a link to stop at once."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "website"]


class RatingForm(HoneypotForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with this result?"), choices=SCORES, coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        help_text=_("One rating per result and address counts; rating again replaces it. "
                    "Your address is never shown."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["score", "comment", "email", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PORTAL_COMMENT_MAX_LENGTH
        words = {"limit": format_number(limit, NumberKind.COUNT)}  # "1,000", "1.000"
        if settings.PORTAL_MODERATE_COMMENTS:
            help_text = _("At most %(limit)s characters. Comments are shown after a moderator "
                          "reads them.") % words
        else:
            help_text = _("At most %(limit)s characters.") % words
        self.fields["comment"] = forms.CharField(
            label=_("Comment (optional)"), required=False, max_length=limit, help_text=help_text,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.order_fields(self.field_order)


class ModerationForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class PublishForm(ServiceForm):
    published = forms.TypedChoiceField(
        choices=[("1", _("Publish")), ("0", _("Withdraw"))], coerce=lambda v: v == "1"
    )


class PublishingDefaultForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    publish = forms.TypedChoiceField(
        label=_("Publish new results by default"),
        choices=[("1", _("Yes: public unless withdrawn")),
                 ("0", _("No: only what is published one by one"))],
        coerce=lambda v: v == "1",
    )
