"""Every field has a label, every page has a skip link, a main landmark and one h1."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from sixclear.tracking import services

UNLABELLED_TYPES = {"hidden", "submit", "button"}


class Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels, self.fields, self.h1 = set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "h1":
            self.h1 += 1
        if tag in ("input", "select", "textarea") and attrs.get("type") not in UNLABELLED_TYPES:
            self.fields.append(attrs)


def pages(world, late_task, target, resolution):
    return {
        "hh_officer": [reverse("tracking:my_work"), reverse("tracking:task", args=[late_task.pk]),
                       reverse("plans:target", args=[target.pk]),
                       reverse("accounts:password_change")],
        "hh_manager": [reverse("tracking:approvals"), reverse("orgs:unit", args=[world.hoa_hoi.pk]),
                       reverse("tracking:task", args=[late_task.pk]),
                       reverse("tracking:task_edit", args=[late_task.pk]),
                       reverse("tracking:task_create", args=[world.hoa_hoi.pk]),
                       reverse("plans:resolution", args=[resolution.pk]),
                       reverse("plans:target_create", args=[world.hoa_hoi.pk]),
                       reverse("plans:target_edit", args=[target.pk]),
                       reverse("plans:target_path", args=[target.pk])],
        "hh_leader": [reverse("tracking:task_cancel", args=[late_task.pk])],
    }


@pytest.mark.parametrize("who", ["hh_officer", "hh_manager", "hh_leader"])
def test_every_field_has_a_label(client, world, late_task, target, resolution, who):
    services.report_progress(actor=world.hh_officer, task=late_task, percent=5, narrative="x")
    services.record_measurement(actor=world.hh_officer, target=target, year=2025, value=1)
    client.force_login(getattr(world, who))
    for url in pages(world, late_task, target, resolution)[who]:
        page = client.get(url).content.decode()
        parser = Fields()
        parser.feed(page)
        assert parser.fields, url
        for field in parser.fields:
            assert field.get("id") in parser.labels or field.get("aria-label"), (url, field)
        assert parser.h1 == 1, url
        assert 'href="#content"' in page and '<main id="content"' in page


def test_the_sign_in_page_too(client, db):
    parser = Fields()
    parser.feed(client.get(reverse("accounts:sign_in")).content.decode())
    assert all(field["id"] in parser.labels for field in parser.fields)
