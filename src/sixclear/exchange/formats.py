"""The columns of each spreadsheet kind: one format per kind, the same to export and to import.

A column has a stable machine key (the header map accepts it, and the header in Vietnamese,
English and Arabic, so a file made in one language imports in another), a type that says how
a cell is read and written, and whether the row needs it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sixclear.plans.models import Direction, TargetKind
from sixclear.tracking.models import PeriodKind, Priority

from .models import ImportKind


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    type: str  # text, date, decimal, int, choice, user, unit, units, program, resolution,
    #            targets, version, authority
    required: bool = False
    choices: object = None
    help: object = ""
    max_length: int | None = None
    aliases: tuple = field(default=())


VERSION_HELP = _(
    "Filled in by the export. Leave it as it is: if someone changed the row after the export, "
    "the import refuses to overwrite their change. Empty for new rows.")
USER_HELP = _("The person's user name (or e-mail address).")
UNIT_HELP = _("The unit's code, or its exact name.")
LIST_HELP = _("Several values separated by semicolons (;).")

TASK_COLUMNS = [
    Column("code", _("Code"), "text", required=True, max_length=60,
           help=_("The task's code in this unit. It is the key: a row whose code exists updates "
                  "that task, a new code creates a task.")),
    Column("title", _("Title"), "text", required=True, max_length=500,
           help=_("Clear work: what is done.")),
    Column("description", _("Description"), "text", help=_("Clear work: how it is done.")),
    Column("owner", _("Owner"), "user", help=USER_HELP),
    Column("lead_unit", _("Lead unit"), "unit", help=UNIT_HELP),
    Column("coordinating_units", _("Coordinating units"), "units", help=LIST_HELP),
    Column("start_date", _("Start date"), "date"),
    Column("deadline", _("Deadline"), "date"),
    Column("expected_result", _("Expected result"), "text",
           help=_("Clear result: the product that proves the task done.")),
    Column("authority", _("Approving person"), "user", help=USER_HELP),
    Column("authority_body", _("Approving body"), "text", max_length=300),
    Column("priority", _("Priority"), "choice", choices=Priority),
    Column("program", _("Program, plan or decision"), "program",
           help=_("The number of a program of this unit or a unit above it.")),
    Column("targets", _("Targets served"), "targets",
           help=_("Codes of targets of this unit or a unit above it, separated by semicolons.")),
    Column("version", _("Version"), "version", help=VERSION_HELP),
]

TARGET_COLUMNS = [
    Column("code", _("Code"), "text", required=True, max_length=40,
           help=_("The target's code in this unit. It is the key: a row whose code exists "
                  "updates that target, a new code creates one.")),
    Column("name", _("Name"), "text", required=True, max_length=500),
    Column("group", _("Area"), "text", max_length=200),
    Column("kind", _("Kind"), "choice", required=True, choices=TargetKind),
    Column("direction", _("Direction"), "choice", choices=Direction),
    Column("unit_of_measure", _("Unit of measure"), "text", max_length=60),
    Column("baseline_value", _("Baseline value"), "decimal", required=True),
    Column("baseline_year", _("Baseline year"), "int", required=True),
    Column("target_value", _("Target value"), "decimal"),
    Column("annual_rate", _("Annual rate (%)"), "decimal"),
    Column("annual_rate_high", _("Upper annual rate (%)"), "decimal"),
    Column("target_year", _("Target year"), "int", required=True),
    Column("responsible_unit", _("Responsible unit"), "unit", help=UNIT_HELP),
    Column("responsible_person", _("Responsible person"), "user", help=USER_HELP),
    Column("resolution", _("Resolution"), "resolution",
           help=_("The number of a resolution of this unit or a unit above it.")),
    Column("version", _("Version"), "version", help=VERSION_HELP),
]

MEASUREMENT_COLUMNS = [
    Column("target", _("Target code"), "text", required=True, max_length=40,
           help=_("The code of a target of this unit. With the period it is the key.")),
    Column("period_kind", _("Period"), "choice", required=True, choices=PeriodKind),
    Column("year", _("Year"), "int", required=True),
    Column("period_number", _("Quarter or month"), "int",
           help=_("1–4 for a quarter, 1–12 for a month, empty or 0 for a whole year.")),
    Column("value", _("Value"), "decimal", required=True),
    Column("source", _("Source"), "text", max_length=300),
    Column("note", _("Note"), "text"),
]

# A leadership decision's appendix: the six clears, as the appendix of a decision lists them.
DECISION_COLUMNS = [
    Column("number", _("No."), "text", max_length=20, aliases=("stt", "tt"),
           help=_("The row's number in the appendix; with the decision's number it makes the "
                  "task's code when there is no code column.")),
    Column("code", _("Code"), "text", max_length=60),
    Column("work", _("Work"), "text", required=True,
           aliases=("nội dung", "nội dung công việc", "nhiệm vụ", "task", "content"),
           help=_("Clear work: the task as the appendix states it.")),
    Column("person", _("Person in charge"), "user", help=USER_HELP,
           aliases=("người phụ trách", "người thực hiện", "cán bộ phụ trách")),
    Column("lead_unit", _("Lead unit"), "unit", aliases=("đơn vị chủ trì", "chủ trì"),
           help=UNIT_HELP),
    Column("coordinating_units", _("Coordinating units"), "units",
           aliases=("đơn vị phối hợp", "phối hợp"), help=LIST_HELP),
    Column("deadline", _("Deadline"), "date",
           aliases=("thời hạn", "thời hạn hoàn thành", "thời gian hoàn thành")),
    Column("result", _("Result"), "text",
           aliases=("sản phẩm", "sản phẩm đầu ra", "kết quả", "kết quả đầu ra"),
           help=_("Clear result: the product that proves the task done.")),
    Column("authority", _("Authority"), "authority",
           aliases=("thẩm quyền", "người phê duyệt", "cấp phê duyệt", "cấp có thẩm quyền"),
           help=_("Who approves: a person's user name, or the name of a body.")),
]

COLUMNS = {
    ImportKind.TASKS: TASK_COLUMNS,
    ImportKind.TARGETS: TARGET_COLUMNS,
    ImportKind.MEASUREMENTS: MEASUREMENT_COLUMNS,
    ImportKind.DECISION: DECISION_COLUMNS,
}

EXPORT_KINDS = (ImportKind.TARGETS, ImportKind.MEASUREMENTS, ImportKind.TASKS)


def normalize(text):
    """How a header or a choice is compared: case, spacing and a trailing colon do not count."""
    return " ".join(str(text).replace("\u00a0", " ").split()).rstrip(":").casefold()


def in_every_language(text):
    """The lazy `text` in each of the site's languages, normalized."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(normalize(str(text)))
    return names


def header_map(kind):
    """{normalized header: column key} for every language, the machine key and the aliases."""
    mapping = {}
    for column in COLUMNS[kind]:
        for name in {normalize(column.key), *in_every_language(column.label),
                     *(normalize(a) for a in column.aliases)}:
            mapping.setdefault(name, column.key)
    return mapping


def choice_map(choices):
    """{normalized value or label in any language: value}."""
    mapping = {}
    for value, label in choices.choices:
        mapping[normalize(value)] = value
        for name in in_every_language(label):
            mapping.setdefault(name, value)
    return mapping
