"""The one shape of a web form here: it parses input, a service checks it, and the service's
errors are shown beside the fields they name."""

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


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


class ManyOptionsSelect(forms.Select):
    """A select whose options are written in Python, with the same HTML as Django's.

    Django renders every option through a template of its own: a list of a unit's few hundred
    people (a filter's owners, a report's signers) made that most of a page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>', (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for option in options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                          if group_name else html)
        return format_html('<select name="{}"{}>{}</select>', widget["name"],
                           flatatt(widget["attrs"]), mark_safe("".join(groups)))  # noqa: S308


class ReadOnce(BaseChoiceIterator):
    """Choices read from the database on first use and kept: two selects of the same people
    share one query (and none when the form is not shown)."""

    def __init__(self, choices):
        self.choices, self.rows = choices, None

    def __iter__(self):
        if self.rows is None:
            self.rows = list(iter(self.choices))  # not len(): a model choice list counts
        yield from self.rows
