from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
