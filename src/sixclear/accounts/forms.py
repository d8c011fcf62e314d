from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ServiceForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the browser's autocomplete hints."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class NotificationEmailForm(forms.Form):
    """How a person hears of what happens to their work."""

    delivery = forms.ChoiceField(
        label=_("E-mail about my notifications"),
        choices=[("daily", _("Once a day, in the morning digest")),
                 ("at_once", _("At once, as soon as something happens"))],
        widget=forms.RadioSelect,
        help_text=_("Everything also shows under Notifications in the app."),
    )


class CodeForm(ServiceForm):
    """A code from the authenticator app (or, where accepted, a recovery code)."""

    code = forms.CharField(label=_("6-digit code from your app"), max_length=32)

    def __init__(self, *args, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        # Codes are Latin digits and letters read left to right, also on an Arabic page.
        field.widget.attrs.update(autocomplete="one-time-code", dir="ltr", spellcheck="false",
                                  autocapitalize="off")
        if recovery:
            field.label = _("6-digit code from your app, or a recovery code")
        else:
            field.widget.attrs.update(inputmode="numeric", pattern="[0-9 ]*")
