"""The form of the review kinds page. It parses input; snapshots.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ServiceForm
from sixclear.periods import PeriodKind

from .models import REVIEW_KINDS


def review_kind_choices() -> list[tuple[str, str]]:
    return [(kind, label) for kind, label in PeriodKind.choices if kind in REVIEW_KINDS]


class ReviewKindsForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    kinds = forms.MultipleChoiceField(
        label=_("Reviews this resolution keeps"), choices=review_kind_choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At the end of each period chosen, every unit at or below the "
                    "resolution's unit is frozen in a snapshot."))
