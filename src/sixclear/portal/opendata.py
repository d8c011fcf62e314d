"""The open data files: what each column holds, and how a dataset is written as CSV or JSON.

The format is a promise to whoever builds on it (docs/open-data.md): columns keep their names
and order, new columns are only ever added at the end, codes stay in English, numbers use a dot
and no grouping, dates are ISO 8601. Every row comes from `portal.selectors.open_data`, so
only published rows and approved values are written.
"""

import csv
import io
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sixclear.spreadsheet_safety import csv_text

from . import selectors

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
FORMAT_VERSION = "1.0"


def _number(value):
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def _date(value):
    return value.isoformat() if value else None


def _url(name, pk):
    return f"{settings.PORTAL_SITE_URL}{reverse(name, args=[pk])}"


def _resolution_rows(rows):
    for r in rows:
        yield {
            "resolution_id": r.pk, "unit_id": r.unit_id, "unit_code": r.unit.code,
            "unit_name": r.unit.name, "number": r.number, "title": r.title,
            "term_start": r.term_start, "term_end": r.term_end,
            "adopted_on": _date(r.adopted_on), "portal_url": _url("portal:resolution", r.pk),
        }


def _target_rows(rows):
    for t in rows:
        health = getattr(t, "health", None)
        yield {
            "target_id": t.pk, "unit_id": t.unit_id, "unit_code": t.unit.code,
            "unit_name": t.unit.name, "resolution_id": t.public_resolution_id, "code": t.code,
            "name": t.name, "area": t.group, "kind": t.kind, "direction": t.direction,
            "unit_of_measure": t.unit_of_measure, "baseline_year": t.baseline_year,
            "baseline_value": _number(t.baseline_value), "target_year": t.target_year,
            "target_value": _number(t.target_value), "annual_rate": _number(t.annual_rate),
            "annual_rate_high": _number(t.annual_rate_high),
            "status": health.status if health else "no_data",
            "status_year": health.year if health else None,
            "status_period": (health.period_kind or None) if health else None,
            "status_period_number": health.period_number if health and health.year else None,
            "latest_approved_value": _number(health.actual) if health else None,
            "expected_value": _number(health.expected) if health else None,
            "expected_high": _number(health.expected_high) if health else None,
            "gap": _number(health.gap) if health else None,
            "gap_percent": _number(health.gap_percent) if health else None,
            "status_changed_on": _date(health.changed_on) if health else None,
            "portal_url": _url("portal:target", t.pk),
        }


def _trajectory_rows(rows):
    for p in rows:
        yield {
            "target_id": p.target_id, "target_code": p.target.code, "year": p.year,
            "expected_value": _number(p.expected_value),
            "expected_high": _number(p.expected_high),
        }


def _measurement_rows(rows):
    for m in rows:
        yield {
            "target_id": m.target_id, "target_code": m.target.code, "period": m.period_kind,
            "year": m.year, "period_number": m.period_number, "value": _number(m.value),
            "approved_on": _date(m.reviewed_at.date() if m.reviewed_at else None),
        }


def _task_rows(rows):
    for t in rows:
        health = getattr(t, "health", None)
        yield {
            "task_id": t.pk, "unit_id": t.unit_id, "unit_code": t.unit.code,
            "unit_name": t.unit.name, "resolution_id": t.public_resolution_id, "code": t.code,
            "title": t.title, "expected_result": t.expected_result,
            "lead_unit": t.lead_unit.name if t.lead_unit else None,
            "start_date": _date(t.start_date), "deadline": _date(t.deadline),
            "state": t.state, "status": health.status if health else None,
            "percent_complete": t.percent_complete, "completed_on": _date(t.completed_on),
            "portal_url": _url("portal:task", t.pk),
        }


DATASETS = {
    "resolutions": ("resolutions", _resolution_rows),
    "targets": ("targets", _target_rows),
    "trajectory": ("trajectory", _trajectory_rows),
    "measurements": ("measurements", _measurement_rows),
    "tasks": ("tasks", _task_rows),
}


def rows(dataset, unit=None):
    source, shape = DATASETS[dataset]
    return list(shape(selectors.open_data(unit)[source]))


def render(dataset, fmt, unit=None):
    """The dataset as CSV (UTF-8, header row, RFC 4180) or JSON text."""
    data = rows(dataset, unit)
    if fmt == "json":
        return json.dumps({
            "dataset": dataset, "format_version": FORMAT_VERSION,
            "generated_at": timezone.now().replace(microsecond=0).isoformat(),
            "licence": LICENCE, "unit_id": unit.pk if unit else None,
            "columns": COLUMNS[dataset], "rows": data,
        }, ensure_ascii=False, indent=1)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS[dataset], lineterminator="\r\n")
    writer.writeheader()
    for row in data:
        # Text that starts like a formula gets an apostrophe (docs/open-data.md); JSON does not.
        writer.writerow({k: "" if v is None else csv_text(v) for k, v in row.items()})
    return "\ufeff" + out.getvalue()


COLUMNS = {
    "resolutions": ["resolution_id", "unit_id", "unit_code", "unit_name", "number", "title",
                    "term_start", "term_end", "adopted_on", "portal_url"],
    "targets": ["target_id", "unit_id", "unit_code", "unit_name", "resolution_id", "code",
                "name", "area", "kind", "direction", "unit_of_measure", "baseline_year",
                "baseline_value", "target_year", "target_value", "annual_rate",
                "annual_rate_high", "status", "status_year", "status_period",
                "status_period_number", "latest_approved_value", "expected_value",
                "expected_high", "gap", "gap_percent", "status_changed_on", "portal_url"],
    "trajectory": ["target_id", "target_code", "year", "expected_value", "expected_high"],
    "measurements": ["target_id", "target_code", "period", "year", "period_number", "value",
                     "approved_on"],
    "tasks": ["task_id", "unit_id", "unit_code", "unit_name", "resolution_id", "code", "title",
              "expected_result", "lead_unit", "start_date", "deadline", "state", "status",
              "percent_complete", "completed_on", "portal_url"],
}
