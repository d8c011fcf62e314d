from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sixclear.numbers import NumberKind, format_number

from ..models import Grade

register = template.Library()

# Where a record of a measure opens; a measure of another app may add its kind here.
RECORD_URLS = {"task": "tracking:task", "target": "plans:target", "case": "procedures:case",
               "obstacle": "meetings:obstacle"}
FACT_LABELS = {
    "deadline": pgettext_lazy("evaluation", "deadline"),
    "completed_on": pgettext_lazy("evaluation", "completed on"),
    "status": pgettext_lazy("evaluation", "status"), "actual": _("value"),
    "expected": pgettext_lazy("evaluation", "expected"), "submitted_on": _("reported on"),
    "score": _("satisfaction (1–5)"), "due_date": pgettext_lazy("evaluation", "due date"),
    "closed_on": pgettext_lazy("evaluation", "closed on"),
    "reported_on": _("reported on"), "answer_due": _("answer due by"),
    "answered_on": _("answered on"), "resolved_on": _("resolved on"),
    "days_to_resolve": _("days to resolve"), "done_on": _("handed over on"),
    "result_reported_on": _("result reported on"),
    "year_end_expected": _("expected by the year's end"),
}
STATUS_LABELS = {
    "on_track": _("On track"), "behind": _("Behind"), "off_track": _("Off track"),
    "no_data": _("No data"),
}


@register.filter
def points(value):
    return format_number(value, NumberKind.PLAIN)


@register.filter
def count(value):
    """A whole number (records counted, a rank) grouped by thousands in the page's language:
    a national round counts thousands of tasks and ranks thousands of communes."""
    if value is None or value == "":
        return ""
    return format_number(value, NumberKind.COUNT)


@register.filter
def share(ratio):
    """A ratio (0–1) as a percentage of the page's language."""
    if ratio is None or ratio == "":
        return ""
    return format_number(Decimal(str(ratio)) * 100, NumberKind.PERCENT) + " %"


@register.filter
def grade_label(code):
    try:
        return Grade(code).label
    except ValueError:
        return ""


@register.filter
def record_url(record):
    name = RECORD_URLS.get(record.get("kind"))
    if not name:
        return ""
    try:
        return reverse(name, args=[record["pk"]])
    except NoReverseMatch:
        return ""


@register.filter
def facts(record):
    """(label, value) pairs of a record's facts, in the page's language."""
    shown = []
    for key, value in record.get("facts", {}).items():
        if value in ("", None):
            continue
        if key == "status":
            value = STATUS_LABELS.get(value, value)
        elif key in ("actual", "expected", "score", "days_to_resolve", "year_end_expected"):
            value = format_number(value, NumberKind.PLAIN)
        shown.append((FACT_LABELS.get(key, key), value))
    return shown


@register.filter
def veto_label(veto):
    from django.utils import translation

    labels = veto.get("label", {})
    language = (translation.get_language() or "vi")[:2]
    return labels.get(language) or labels.get("vi") or veto.get("code", "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def step_text(step):
    """One grading step in words of the page's language."""
    from django.utils.translation import gettext as _

    detail, grade = step.detail, grade_label(step.grade)
    if step.kind == "threshold" and "min_points" in detail:
        return _("%(points)s points reach %(min)s: “%(grade)s”.") % {
            "points": points(detail["points"]), "min": points(detail["min_points"]),
            "grade": grade}
    if step.kind == "threshold":
        return _("%(points)s points reach no higher grade: “%(grade)s”.") % {
            "points": points(detail["points"]), "grade": grade}
    if step.kind == "requirement":
        return _("Not “%(grade)s”: criterion %(code)s is at %(ratio)s, it needs at least "
                 "%(need)s.") % {"grade": grade, "code": detail["criterion"],
                                 "ratio": share(Decimal(detail["ratio"])),
                                 "need": share(Decimal(detail["min_ratio"]))}
    if step.kind == "veto":
        return _("A disqualifier applies: not above “%(grade)s”.") % {"grade": grade}
    if step.kind == "cap":
        return _("Cap: at most %(allowed)s of the %(base)s subjects graded “well completed” or "
                 "better may be “%(capped)s” (%(share)s, rounded down); ranked below them, "
                 "this one is “%(grade)s”.") % {
            "allowed": count(detail["allowed"]), "base": count(detail["base"]),
            "capped": grade_label(detail["capped"]), "share": share(Decimal(detail["share"])),
            "grade": grade}
    return ""
