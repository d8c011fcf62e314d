"""The shared form pieces: a select written in Python gives Django's own HTML, and choices
read once serve two selects."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from sixclear.forms import ManyOptionsSelect, ReadOnce
from tests.factories import make_unit, person


class Plain(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, empty_label="Anyone", required=False)
    kind = forms.ChoiceField(choices=[("", "Any"), ("Groups", [("a", "A & <b>"), ("b", "B")])])


class Fast(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, empty_label="Anyone", required=False,
                                   widget=ManyOptionsSelect)
    kind = forms.ChoiceField(choices=Plain.base_fields["kind"].choices,
                             widget=ManyOptionsSelect)


def test_the_select_written_in_python_is_djangos_html(db):
    unit = make_unit("Hòa Hội")
    people = [person(unit, "officer", username=f"can.bo.{n}") for n in range(3)]
    users = get_user_model().objects.order_by("pk")
    for data in (None, {"owner": people[1].pk, "kind": "b"}):
        plain, fast = Plain(data), Fast(data)
        for form in (plain, fast):
            form.fields["owner"].queryset = users
            form.is_valid()
        for name in ("owner", "kind"):
            assert parse_html(str(fast[name])) == parse_html(str(plain[name]))
    assert f'<option value="{people[1].pk}" selected>' in str(fast["owner"])
    assert "A &amp; &lt;b&gt;" in str(fast["kind"])


def test_choices_read_once_serve_both_selects_with_one_query(db):
    unit = make_unit("Hòa Hội")
    person(unit, "officer", username="can.bo")
    form = Fast()
    form.fields["owner"].queryset = get_user_model().objects.order_by("pk")
    once = ReadOnce(form.fields["owner"].choices)
    with CaptureQueriesContext(connection) as queries:
        first, second = list(once), list(once)
    assert len(queries) == 1 and first == second and len(first) == 2
