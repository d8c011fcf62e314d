"""The formats: headers unique in every language, cells read as the format says."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from sixclear.exchange.formats import COLUMNS, header_map, normalize
from sixclear.exchange.importing import _date, _decimal, _int


@pytest.mark.parametrize("kind", list(COLUMNS))
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_headers_are_unique_and_map_back_to_their_column_in_every_language(kind, language):
    with translation.override(language):
        labels = [normalize(str(column.label)) for column in COLUMNS[kind]]
    assert len(set(labels)) == len(labels)
    mapping = header_map(kind)
    assert [mapping[label] for label in labels] == [column.key for column in COLUMNS[kind]]


def test_vietnamese_headers_are_translated():
    with translation.override("vi"):
        assert str(COLUMNS["tasks"][4].label) == "Đơn vị chủ trì"


@pytest.mark.parametrize(("raw", "expected"), [
    (datetime.datetime(2026, 3, 31), datetime.date(2026, 3, 31)),
    ("2026-03-31", datetime.date(2026, 3, 31)),
    ("31/03/2026", datetime.date(2026, 3, 31)),
    ("31.03.2026", datetime.date(2026, 3, 31)),
])
def test_dates(raw, expected):
    assert _date(raw) == expected


@pytest.mark.parametrize("raw", ["03/31/2026", "quý II/2026", "46000"])
def test_not_dates(raw):
    with pytest.raises(ValueError, match="is not a date"):
        _date(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    (21.7, Decimal("21.7")), ("21,7", Decimal("21.7")), ("1 250.5", Decimal("1250.5")),
    (12, Decimal("12")),
])
def test_numbers(raw, expected):
    assert _decimal(raw) == expected


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "1e30", "mười", True])
def test_not_numbers(raw):
    with pytest.raises(ValueError):
        _decimal(raw)


def test_whole_numbers():
    assert _int(2026.0) == 2026
    with pytest.raises(ValueError, match="whole number"):
        _int("2026.5")
