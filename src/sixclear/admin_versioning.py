"""Admin support for versioned rows: an edit made on a stale page is refused, not applied."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sixclear.versioning import claim_version


class VersionedForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = type(self.instance).objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True).first()
            if current != expected:
                raise ValidationError(
                    _("This record was changed by someone else after you opened it. "
                      "Reload it to see their changes, then apply yours again."),
                    code="stale",
                )
        return cleaned


class VersionedAdmin(SimpleHistoryAdmin):
    form = VersionedForm

    def save_model(self, request, obj, form, change):
        if change:
            claim_version(obj, form.cleaned_data.get("expected_version") or obj.version)
        super().save_model(request, obj, form, change)
