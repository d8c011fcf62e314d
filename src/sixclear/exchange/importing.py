"""Reading a spreadsheet's rows, checking every one, then applying them all or nothing.

1. Every row is read and checked (types, lengths, references, keys repeated in the file) and
   every error is collected as (row, column, message) in the importer's language.
2. Only if none was found, all rows are applied in ONE transaction through the domain services
   (`tracking.services.create_task/update_task/issue_task/record_measurement`,
   `plans.services.create_target/update_target/create_program`), which enforce the rules
   (roles, the six clears, units, stale edits). An error there is collected too; at the end any
   error rolls the whole transaction back, so nothing is written.
3. A row whose key exists updates that record, and only the fields whose cells differ; a row
   that changes nothing is not written at all. Columns absent from the file are left alone.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.audit import chain as audit_chain
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import ancestor_paths, require_role
from sixclear.plans import services as plan_services
from sixclear.plans.models import Program, ProgramKind, Resolution, Target
from sixclear.plans.rules import target_reference_choices, target_references
from sixclear.references import NeedsChangeRequest
from sixclear.tracking import services as task_services
from sixclear.tracking.models import Measurement, Task, TaskState
from sixclear.tracking.rules import TaskRules, task_reference_choices
from sixclear.versioning import StaleEdit

from .files import FileRefused, Formula, read_table
from .formats import COLUMNS, choice_map, header_map, normalize
from .models import ImportKind

MAX_STORED_ERRORS = 1000
BATCH = 1000
PROGRESS_EVERY = 500
LIST_SEPARATORS = re.compile(r"[;,\n]")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class RollBack(Exception):
    """Raised inside the applying transaction to undo it."""


@dataclass
class Outcome:
    total: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0
    summary: dict = field(default_factory=lambda: {
        "created": 0, "updated": 0, "unchanged": 0, "issued": 0})

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})


class Refs:
    """The people, units, programs, resolutions and targets a file names, fetched in bulk
    among those each column may point at (`choices`: column key -> queryset, from the rules
    of the services). A name outside them reads exactly like a name nobody has, so that an
    error never tells about another commune's people or units."""

    AMBIGUOUS = object()

    def __init__(self, unit, rows, columns, choices):
        self.unit = unit
        raw = {}
        for _number, values in rows:
            for column in columns:
                value = values.get(column.key)
                if value is None or isinstance(value, Formula) or column.key not in choices:
                    continue
                parts = (LIST_SEPARATORS.split(str(value)) if column.type == "units"
                         else [str(value)])
                raw.setdefault(column.key, set()).update(p.strip() for p in parts if p.strip())
        self.people, self.units, self.unit_names = {}, {}, {}
        for key, named in raw.items():
            if choices[key].model is Unit:
                self._read_units(key, choices[key], named)
            else:
                self._read_people(key, choices[key], named)
        # Names are told apart within the unit's parent: an appendix names its neighbours.
        self.name_scope = Unit.objects.get_parent(unit) or unit
        above = ancestor_paths(unit)
        # Deeper units come last, so the unit's own program or target wins over one above.
        self.programs = {p.number: p for p in Program.objects.filter(
            unit__path__in=above).order_by("unit__depth")}
        self.resolutions = {r.number: r for r in Resolution.objects.filter(
            unit__path__in=above).order_by("unit__depth")}
        self.targets = {t.code: t for t in Target.objects.filter(
            unit__path__in=above).order_by("unit__depth")}

    def _read_people(self, key, allowed, named):
        found = self.people.setdefault(key, {})
        for user in allowed.filter(Q(username__in=named)
                                   | Q(email__in={v.lower() for v in named})):
            found[user.username] = user
            if user.email:
                found.setdefault(user.email.lower(), user)

    def _read_units(self, key, allowed, named):
        codes, names = self.units.setdefault(key, {}), self.unit_names.setdefault(key, {})
        folded = {normalize(text) for text in named}
        for candidate in allowed:
            if candidate.code in named or candidate.code.casefold() in {
                    text.casefold() for text in named}:
                codes[candidate.code.casefold()] = candidate
            name = normalize(candidate.name)
            if name in folded:
                known = names.get(name)
                names[name] = candidate if known in (None, candidate) else self.AMBIGUOUS

    def user(self, key, text):
        found = self.people.get(key, {})
        return found.get(text) or found.get(text.lower())

    def find_unit(self, key, text):
        found = (self.units.get(key, {}).get(text.casefold())
                 or self.unit_names.get(key, {}).get(normalize(text)))
        return None if found is self.AMBIGUOUS else found


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return str(value).strip()


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date: write it as 2026-03-31 or 31/03/2026, or "
                       "use a date cell.") % {"value": text})


def _decimal(value):
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | float):
        value = Decimal(str(value))
    else:
        text = _text(value).replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not value.is_finite() or abs(value) >= Decimal("1e16"):
        raise ValueError(_("“%(value)s” is not a number that can be stored.") % {"value": value})
    return value


def _int(value):
    number = _decimal(value)
    if number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    return int(number)


class Parser:
    """Turns one row's cells into the values a service takes, or errors naming the column."""

    def __init__(self, kind, unit, refs, outcome):
        self.kind, self.unit, self.refs, self.outcome = kind, unit, refs, outcome
        self.choices = {c.key: choice_map(c.choices) for c in COLUMNS[kind] if c.choices}
        self.max_chars = settings.SIXCLEAR_IMPORT_MAX_CELL_CHARS

    def parse(self, number, cells):
        values, ok = {}, True
        for column in COLUMNS[self.kind]:
            if column.key not in cells:
                continue
            if isinstance(cells[column.key], Formula):
                ok = False  # reported when the file was read
                continue
            try:
                values[column.key] = self.cell(column, cells[column.key])
            except ValueError as error:
                self.outcome.add_error(number, str(column.label), error.args[0])
                ok = False
        return values if ok else None

    def cell(self, column, raw):
        text = _text(raw)
        if len(text) > self.max_chars:
            raise ValueError(_("The cell holds %(length)s characters; at most %(limit)s are "
                               "allowed.") % {"length": f"{len(text):,}",
                                              "limit": f"{self.max_chars:,}"})
        if column.max_length and len(text) > column.max_length:
            raise ValueError(_("At most %(limit)s characters; this has %(length)s.") % {
                "limit": column.max_length, "length": len(text)})
        if not text:
            if column.required:
                raise ValueError(_("This cell is required."))
            return [] if column.type in ("units", "targets") else (
                "" if column.type == "text" else None)
        return getattr(self, f"read_{column.type}")(column, raw, text)

    def read_text(self, column, raw, text):
        return text

    def read_date(self, column, raw, text):
        return _date(raw)

    def read_decimal(self, column, raw, text):
        return _decimal(raw)

    def read_int(self, column, raw, text):
        return _int(raw)

    def read_version(self, column, raw, text):
        return _int(raw)

    def read_choice(self, column, raw, text):
        value = self.choices[column.key].get(normalize(text))
        if value is None:
            raise ValueError(_("“%(value)s” is not one of: %(choices)s") % {
                "value": text, "choices": "; ".join(str(label) for _v, label
                                                    in column.choices.choices)})
        return value

    def read_user(self, column, raw, text):
        user = self.refs.user(column.key, text)
        if user is None:
            raise ValueError(_("Nobody has the user name or e-mail “%(value)s”.") % {
                "value": text})
        return user

    def read_authority(self, column, raw, text):
        return self.refs.user(column.key, text) or text

    def read_unit(self, column, raw, text):
        unit = self.refs.find_unit(column.key, text)
        if unit is None:
            raise ValueError(_("No unit has the code or the name “%(value)s” (a name must be "
                               "unique within %(unit)s).") % {
                "value": text, "unit": self.refs.name_scope.name})
        return unit

    def read_units(self, column, raw, text):
        return [self.read_unit(column, part, part.strip())
                for part in LIST_SEPARATORS.split(text) if part.strip()]

    def read_program(self, column, raw, text):
        if text not in self.refs.programs:
            raise ValueError(_("No program numbered “%(value)s” in %(unit)s or above it.") % {
                "value": text, "unit": self.unit.name})
        return self.refs.programs[text]

    def read_resolution(self, column, raw, text):
        if text not in self.refs.resolutions:
            raise ValueError(_("No resolution numbered “%(value)s” in %(unit)s or above it.")
                             % {"value": text, "unit": self.unit.name})
        return self.refs.resolutions[text]

    def read_targets(self, column, raw, text):
        codes = [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
        unknown = [code for code in codes if code not in self.refs.targets]
        if unknown:
            raise ValueError(_("No target with these codes in %(unit)s or above it: "
                               "%(codes)s") % {"unit": self.unit.name,
                                               "codes": ", ".join(unknown)})
        return [self.refs.targets[code] for code in codes]


def comparable(value):
    """A value as compared with what is stored: objects by key, lists as sets."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(comparable(v) for v in value)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def stored(instance, key):
    """The stored value of a column's field, comparable with `comparable`."""
    field_ = instance._meta.get_field(key)
    if field_.many_to_many:
        return frozenset(item.pk for item in getattr(instance, key).all())
    if field_.is_relation:
        return getattr(instance, field_.attname)
    return comparable(getattr(instance, key))


def changed_fields(instance, values):
    return {key: value for key, value in values.items()
            if comparable(value) != stored(instance, key)}


class Importer:
    """Checks and applies one file's rows for one unit on behalf of `actor`."""

    # Keys of a service's ValidationError -> the column they concern, when they differ.
    error_columns = {}

    def __init__(self, *, kind, unit, actor, options=None, progress=None):
        self.kind, self.unit, self.actor = kind, unit, actor
        self.options = options or {}
        self.progress = progress or (lambda phase, done, total: None)
        self.columns = {c.key: c for c in COLUMNS[kind]}
        self.outcome = Outcome()

    # --- reading and checking --------------------------------------------------------------

    def key_of(self, values):
        return values.get("code")

    def read(self, data, file_format):
        required = {c.key: c.label for c in self.columns.values() if c.required}
        _columns, self.ignored, rows = read_table(data, file_format, header_map(self.kind),
                                                  required, self.report_cell)
        rows = list(rows)
        self.outcome.total = len(rows)
        refs = Refs(self.unit, rows, self.columns.values(), self.reference_choices())
        parser = Parser(self.kind, self.unit, refs, self.outcome)
        parsed, seen = [], {}
        for index, (number, cells) in enumerate(rows, start=1):
            values = parser.parse(number, cells)
            if values is not None:
                key = self.key_of(values)
                if key in seen:
                    self.outcome.add_error(number, str(self.key_label()), _(
                        "The same key is already on row %(row)s; each row must be unique.")
                        % {"row": seen[key]})
                else:
                    seen[key] = number
                    parsed.append((number, values))
            if index % PROGRESS_EVERY == 0:
                self.progress("checking", index, len(rows))
        return parsed

    def report_cell(self, row, key, message):
        column = self.columns.get(key)
        self.outcome.add_error(row, str(column.label) if column else "", message)

    def key_label(self):
        return self.columns["code"].label

    def reference_choices(self):
        """Column key -> the people or units its cells may name (the services' own sets)."""
        return {}

    def run(self, data, file_format, check_only=False):
        """Check every row; if all are right, apply them in one transaction (undone when
        `check_only`). Returns the Outcome; on any error nothing is written."""
        try:
            parsed = self.read(data, file_format)
        except FileRefused as error:
            self.outcome.add_error(None, "", " ".join(error.messages))
            return self.outcome
        if self.outcome.error_count:
            return self.outcome
        try:
            with transaction.atomic():
                self.progress("applying", 0, len(parsed))
                self.prepare()
                for index, (number, values) in enumerate(parsed, start=1):
                    self.apply_row(number, values)
                    if index % PROGRESS_EVERY == 0:
                        self.progress("applying", index, len(parsed))
                self.finish()
                if self.outcome.error_count or check_only:
                    raise RollBack
        except RollBack:
            pass
        except (ValidationError, PermissionDenied) as error:
            self.service_error(None, error)
        return self.outcome

    # --- applying ----------------------------------------------------------------------------

    def prepare(self):
        """Fetch what exists, inside the applying transaction."""

    def finish(self):
        """Write what the rows collected, when a kind writes in bulk."""

    def apply_row(self, number, values):
        try:
            with transaction.atomic():
                self.outcome.summary[self.write(values)] += 1
        except (ValidationError, PermissionDenied) as error:
            self.service_error(number, error)

    def service_error(self, number, error):
        if isinstance(error, PermissionDenied):
            self.outcome.add_error(number, "", str(error) or _("Not allowed."))
            return
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.outcome.add_error(number, "", message)
            return
        for key, errors in error.error_dict.items():
            column = self.columns.get(self.error_columns.get(key, key))
            for message in ValidationError(errors).messages:
                self.outcome.add_error(number, str(column.label) if column else "", message)


class TaskImporter(Importer):
    """Task rows take a bulk path: through `create_task`/`update_task` a row takes about 20 ms
    (a role query per row, two or three history records, the link queries, and the status
    and rollup upkeep after every single task), i.e. about a quarter of an hour for 50,000
    rows.

    The bulk path checks every row with the services' own rules (`tracking.rules.TaskRules`:
    references, fields, the six clears once issued, and the clears an issued task keeps unless
    its authority changes them), with lookups remembered across rows; the importer must be a
    manager of the unit (checked once); a finished or cancelled task is not edited; a stale
    version is refused. It writes the same rows: tasks, their links, one history record per
    task with its links and the importer as its author, then the upkeep port once per batch."""

    # The six clears a missing value leaves unclear, and the column that fills each.
    error_columns = {"person": "owner", "work": "description", "responsibility": "lead_unit",
                     "result": "expected_result", "authority": "authority_body"}

    def reference_choices(self):
        choices = task_reference_choices(self.unit)
        return {key: choices[key] for key in ("owner", "authority", "lead_unit",
                                              "coordinating_units")}

    def prepare(self):
        require_role(self.actor, self.unit, Role.MANAGER)
        self.existing = {
            t.code: t for t in Task.objects.filter(unit=self.unit).exclude(code="")
            .select_for_update().prefetch_related("coordinating_units", "targets")}
        self.rules = TaskRules(actor=self.actor, unit=self.unit)
        self.new, self.changed = [], {}
        self.links = {}  # task code -> {"coordinating_units": [...], "targets": [...]}

    def apply_row(self, number, values):
        try:
            self.outcome.summary[self.write(values)] += 1
        except (ValidationError, PermissionDenied) as error:
            self.service_error(number, error)

    def write(self, values):
        values = dict(values)
        version = values.pop("version", None)
        if not values.get("priority"):
            values.pop("priority", None)
        links = {k: values.pop(k) for k in ("coordinating_units", "targets") if k in values}
        code = values["code"]
        task = self.existing.get(code)
        if task is None:
            task = Task(unit=self.unit, **values)
            result = "created"
        else:
            if version and version != task.version:
                raise StaleEdit(_(
                    "Someone changed this task after the file was exported (version "
                    "%(yours)s, now %(now)s). Export it again, apply your changes there and "
                    "import that file.") % {"yours": version, "now": task.version},
                    code="stale")
            fields = changed_fields(task, values)
            changed_links = changed_fields(task, links)
            if not fields and not changed_links:
                return "unchanged"
            if task.state in (TaskState.DONE, TaskState.CANCELLED):
                raise ValidationError(_("A finished or cancelled task cannot be edited."))
            held = self.rules.held_errors(task, set(fields) | set(changed_links))
            if held:
                raise NeedsChangeRequest(held)
            for name, value in fields.items():
                setattr(task, name, value)
            links = changed_links
            result = "updated"
        errors = self.rules.errors(task, links)
        if errors:
            raise ValidationError(errors)
        if result == "created":
            self.existing[code] = task
            self.new.append(task)
        else:
            self.changed.setdefault(code, set()).update(fields)
        if links:
            self.links.setdefault(code, {}).update(links)
        return result

    def finish(self):
        if self.outcome.error_count:
            return
        write_tasks(self.actor, self.new, [self.existing[c] for c in self.changed],
                    set().union(*self.changed.values()),
                    [(self.existing[c], links) for c, links in self.links.items()])


def write_tasks(actor, new, changed, changed_fields_, links):
    """Insert `new` tasks, update `changed` ones (their `changed_fields_` and version), set
    their `links` ([(task, {m2m name: objects})]), record one history row per task with its links,
    then refresh statuses and rollups once."""
    history = Task.history
    Task.objects.bulk_create(new, batch_size=BATCH)
    records = history.bulk_history_create(new, batch_size=BATCH, default_user=actor)
    if changed:
        for task in changed:
            task.version += 1
        Task.objects.bulk_update(changed, [*sorted(changed_fields_), "version"],
                                 batch_size=BATCH)
        records += history.bulk_history_create(changed, batch_size=BATCH, update=True,
                                               default_user=actor)
    # Bulk history sends no signal: chain its records here, in the same transaction.
    audit_chain.append(records)
    for name in ("coordinating_units", "targets"):
        through = getattr(Task, name).through
        target_field = "unit_id" if name == "coordinating_units" else "target_id"
        replaced = [task.pk for task, values in links if name in values]
        for start in range(0, len(replaced), BATCH):
            through.objects.filter(task_id__in=replaced[start:start + BATCH]).delete()
        through.objects.bulk_create(
            [through(task_id=task.pk, **{target_field: item.pk})
             for task, values in links for item in values.get(name, ())],
            batch_size=BATCH)
    _link_history(records)
    touched = [*new, *changed]
    for start in range(0, len(touched), BATCH):
        upkeep.tasks_changed(touched[start:start + BATCH], months=True)


def _link_history(records):
    """The links each history record saw, as simple-history stores them for m2m fields."""
    by_task = {record.id: record for record in records}
    for name, related in (("coordinating_units", "unit"), ("targets", "target")):
        model = Task.history.model._meta.get_field(f"historicaltask_{name}").related_model
        through = getattr(Task, name).through
        rows = []
        for start in range(0, len(by_task), BATCH):
            chunk = list(by_task)[start:start + BATCH]
            for link_id, task_id, item_id in through.objects.filter(
                    task_id__in=chunk).values_list("id", "task_id", f"{related}_id"):
                rows.append(model(history=by_task[task_id], id=link_id, task_id=task_id,
                                  **{f"{related}_id": item_id}))
        model.objects.bulk_create(rows, batch_size=BATCH)


class TargetImporter(Importer):
    def reference_choices(self):
        choices = target_reference_choices(self.unit)
        return {key: choices[key] for key in ("responsible_unit", "responsible_person")}

    def prepare(self):
        self.existing = {t.code: t for t in Target.objects.filter(unit=self.unit)}
        self.references = target_references(self.unit)

    def write(self, values):
        values = dict(values)
        version = values.pop("version", None)
        if not values.get("direction"):
            values.pop("direction", None)
        target = self.existing.get(values["code"])
        if target is None:
            self.existing[values["code"]] = plan_services.create_target(
                actor=self.actor, unit=self.unit, references=self.references, **values)
            return "created"
        changes = changed_fields(target, values)
        if not changes:
            return "unchanged"
        plan_services.update_target(actor=self.actor, target=target,
                                    expected_version=version or target.version,
                                    references=self.references, **changes)
        return "updated"


class MeasurementImporter(Importer):
    def key_of(self, values):
        return (values["target"], values["period_kind"], values["year"],
                values.get("period_number") or 0)

    def key_label(self):
        return self.columns["target"].label

    def prepare(self):
        self.targets = {t.code: t for t in Target.objects.filter(unit=self.unit)}
        self.existing = {
            (m.target.code, m.period_kind, m.year, m.period_number): m
            for m in Measurement.objects.filter(target__unit=self.unit).select_related("target")
        }

    def write(self, values):
        target = self.targets.get(values["target"])
        if target is None:
            raise ValidationError({"target": _("No target with the code “%(code)s” in "
                                               "%(unit)s.") % {"code": values["target"],
                                                               "unit": self.unit.name}})
        key = self.key_of(values)
        measurement = self.existing.get(key)
        fields = {"value": values["value"]}
        for name in ("source", "note"):
            fields[name] = values[name] if name in values else (
                getattr(measurement, name) if measurement else "")
        if measurement is not None and not changed_fields(measurement, fields):
            return "unchanged"
        self.existing[key] = task_services.record_measurement(
            actor=self.actor, target=target, year=values["year"],
            period_kind=values["period_kind"], period_number=key[3], **fields)
        return "created" if measurement is None else "updated"


class DecisionImporter(Importer):
    """A leadership decision's appendix: the program of kind decision, then one task a row."""

    error_columns = {"title": "work", "description": "work", "owner": "person",
                     "expected_result": "result", "authority_body": "authority",
                     "responsibility": "lead_unit"}

    def key_of(self, values):
        # Without a code or a number, the row's position makes the code: no two rows clash.
        return values.get("code") or values.get("number") or object()

    def key_label(self):
        return self.columns["number"].label

    def reference_choices(self):
        choices = task_reference_choices(self.unit)
        return {"person": choices["owner"], "lead_unit": choices["lead_unit"],
                "coordinating_units": choices["coordinating_units"],
                "authority": choices["authority"]}

    def read(self, data, file_format):
        parsed = super().read(data, file_format)
        # Without a code column, the decision's number and the row's number make the code.
        number = self.options["number"]
        for ordinal, (_row, values) in enumerate(parsed, start=1):
            if not values.get("code"):
                values["code"] = f"{number}-{values.get('number') or ordinal}"[:60]
        return parsed

    def prepare(self):
        options = self.options
        program = Program.objects.filter(unit=self.unit, number=options["number"]).first()
        if program is not None and program.kind != ProgramKind.DECISION:
            raise_row = _("The number %(number)s is already used by a %(kind)s of this unit.")
            self.outcome.add_error(None, "", raise_row % {
                "number": program.number, "kind": program.get_kind_display().lower()})
            raise RollBack
        if program is None:
            try:
                program = plan_services.create_program(
                    actor=self.actor, unit=self.unit, kind=ProgramKind.DECISION,
                    number=options["number"], title=options["title"],
                    period_start=options["period_start"], period_end=options["period_end"],
                    issued_on=options.get("issued_on"))
            except (ValidationError, PermissionDenied) as error:
                self.service_error(None, error)
                raise RollBack from error
        self.program = program
        self.existing = {t.code: t for t in Task.objects.filter(unit=self.unit).exclude(code="")
                         .prefetch_related("coordinating_units", "targets")}

    def write(self, values):
        work = values.get("work", "")
        fields = {
            "title": work if len(work) <= 500 else work[:499] + "…",
            "description": work,
            "program": self.program,
        }
        renames = {"person": "owner", "lead_unit": "lead_unit", "deadline": "deadline",
                   "coordinating_units": "coordinating_units", "result": "expected_result"}
        for key, name in renames.items():
            if key in values:
                fields[name] = values[key]
        if "authority" in values:
            authority = values["authority"]
            is_person = hasattr(authority, "pk")
            fields["authority"] = authority if is_person else None
            fields["authority_body"] = "" if is_person else (authority or "")
        code = values["code"]
        task = self.existing.get(code)
        if task is None:
            task = task_services.create_task(actor=self.actor, unit=self.unit, code=code,
                                             **fields)
            self.existing[code] = task
            result = "created"
        else:
            changes = changed_fields(task, fields)
            result = "unchanged"
            if changes:
                task_services.update_task(actor=self.actor, task=task,
                                          expected_version=task.version, **changes)
                result = "updated"
        if self.options.get("issue") and task.state == TaskState.DRAFT and task.is_six_clear:
            task_services.issue_task(actor=self.actor, task=task, expected_version=task.version)
            self.outcome.summary["issued"] += 1
        return result


IMPORTERS = {
    ImportKind.TASKS: TaskImporter,
    ImportKind.TARGETS: TargetImporter,
    ImportKind.MEASUREMENTS: MeasurementImporter,
    ImportKind.DECISION: DecisionImporter,
}


def import_rows(*, kind, unit, actor, data, file_format, options=None, check_only=False,
                progress=None):
    """Check and apply a file's rows for `unit`; see the module's docstring for the rules."""
    importer = IMPORTERS[kind](kind=kind, unit=unit, actor=actor, options=options,
                               progress=progress)
    outcome = importer.run(data, file_format, check_only=check_only)
    outcome.ignored = importer.__dict__.get("ignored", [])
    if kind == ImportKind.DECISION and not outcome.error_count:
        outcome.summary["decision"] = options["number"]
    return outcome

