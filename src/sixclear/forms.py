"""The one shape of a web form here: it parses input, a service checks it, and the service's
errors are shown beside the fields they name."""

from django import forms


class ServiceErrors:
    """Mix into a form whose input a service checks."""

    # Maps a key of a service's ValidationError to the form field it concerns, when they differ.
    error_fields = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What people type takes its own direction: Vietnamese in an Arabic page stays in order.
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea):
                field.widget.attrs.setdefault("dir", "auto")

    def add_service_error(self, error):
        """Show a service's ValidationError: keyed messages beside their field, the rest on top."""
        self.errors  # noqa: B018 - runs the form's own cleaning first, also on an unbound form
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.error_dict.items():
            name = self.error_fields.get(key, key)
            self.add_error(name if name in self.fields else None, messages)


class ServiceForm(ServiceErrors, forms.Form):
    pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; the service decides which are acceptable."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)
