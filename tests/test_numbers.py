"""One formatting of numbers per language, with the precision the unit deserves."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sixclear.numbers import NumberKind, format_number, kind_of, separators
from tests.factories import TargetFactory


@pytest.mark.parametrize(("language", "expected"), [
    ("vi", "1.234,5"), ("en", "1,234.5"), ("ar", "1.234,5"),
])
def test_each_language_groups_thousands_with_its_own_marks(language, expected):
    with translation.override(language):
        assert format_number(Decimal("1234.5"), NumberKind.PERCENT) == expected


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (Decimal("9610.7082"), NumberKind.MONEY, "9.610,71"),
    (Decimal("3600.0000"), NumberKind.MONEY, "3.600"),
    (Decimal("19.17"), NumberKind.PERCENT, "19,2"),
    (Decimal("45.0000"), NumberKind.PERCENT, "45"),
    (Decimal("4381.6"), NumberKind.COUNT, "4.382"),
    (Decimal("8651.2021"), NumberKind.PLAIN, "8.651,2"),
    (Decimal("21.7000"), NumberKind.PLAIN, "21,7"),
    (Decimal("-0.004"), NumberKind.PLAIN, "0"),
    (10000, NumberKind.PLAIN, "10.000"),
    (1234567.891, NumberKind.MONEY, "1.234.567,89"),
])
def test_each_kind_has_its_precision(value, kind, expected):
    with translation.override("vi"):
        assert format_number(value, kind) == expected


def test_nothing_and_text_pass_through():
    assert format_number(None) == ""
    assert format_number("") == ""
    assert format_number("không rõ") == "không rõ"


@pytest.mark.parametrize(("unit", "target_kind", "kind"), [
    ("tỷ đồng", "cumulative", NumberKind.MONEY),
    ("triệu đồng/người/năm", "annual_growth", NumberKind.MONEY),
    ("USD/người", "annual_growth", NumberKind.MONEY),
    ("%", "threshold", NumberKind.PERCENT),
    ("hộ", "cumulative", NumberKind.COUNT),
    ("", "count", NumberKind.COUNT),
    ("km", "cumulative", NumberKind.PLAIN),
])
def test_the_kind_follows_the_unit_of_measure_and_the_target_kind(unit, target_kind, kind):
    assert kind_of(unit, target_kind) == kind


def test_the_chart_gets_the_languages_separators():
    with translation.override("en"):
        assert separators() == {"decimal": ".", "thousands": ","}
    with translation.override("vi"):
        assert separators() == {"decimal": ",", "thousands": "."}


@pytest.mark.django_db
def test_templates_format_by_the_targets_unit(world):
    target = TargetFactory(unit=world.hoa_hoi, unit_of_measure="tỷ đồng")
    template = Template('{% load numbers figures %}{{ v|number:target }} · '
                       '{{ p|number:"percent" }} · {{ v|figure }}')
    with translation.override("en"):
        shown = template.render(Context({"v": Decimal("9610.7082"), "p": Decimal("19.17"),
                                         "target": target}))
    assert shown == "9,610.71 · 19.2 · 9,610.71"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "baseline", "marks"), [
    ("vi", "9.610,71", {"decimal": ",", "thousands": ".", "places": 2}),
    ("en", "9,610.71", {"decimal": ".", "thousands": ",", "places": 2}),
])
def test_the_target_page_and_its_chart_write_numbers_in_the_page_language(
        client, world, language, baseline, marks):
    import json
    import re

    from django.urls import reverse

    target = TargetFactory(unit=world.hoa_hoi, unit_of_measure="tỷ đồng",
                           baseline_value=Decimal("9610.7082"))
    client.force_login(world.hh_manager)
    client.post(reverse("accounts:language"), {"language": language, "next": "/"})
    page = client.get(reverse("plans:target", args=[target.pk])).content.decode()
    assert re.search(rf"<bdi>{re.escape(baseline)} <bdi>tỷ đồng</bdi></bdi>", page)
    # What a person reads: not the chart's data nor a number field's machine value.
    read = re.sub(r"<script.*?</script>|<input[^>]*>", "", page, flags=re.S)
    assert "9610,7082" not in read and "9610.7082" not in read
    chart = json.loads(re.search(
        r'<script id="target-chart-data" type="application/json">(.*?)</script>', page,
        re.S).group(1))
    assert chart["numbers"] == marks


@pytest.mark.django_db
def test_the_dashboards_charts_get_the_page_languages_marks(client, world):
    import json
    import re

    from django.urls import reverse

    client.force_login(world.hh_manager)
    client.post(reverse("accounts:language"), {"language": "vi", "next": "/"})
    page = client.get(reverse("dashboards:unit", args=[world.hoa_hoi.pk])).content.decode()
    data = json.loads(re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', page,
        re.S).group(1))
    assert data["numbers"] == {"decimal": ",", "thousands": ".", "places": 0}
