"""What a report's table cell says: numbers for the reader, user text isolated in Arabic."""

from decimal import Decimal

from django.utils import translation

from sixclear.reports.sections import cell_text


def test_numbers_are_grouped_with_the_readers_marks():
    with translation.override("vi"):
        assert cell_text(Decimal("9610.7082"), "number") == "9.610,71"
    with translation.override("en"):
        assert cell_text(3600, "number") == "3,600"


def test_user_text_keeps_its_order_inside_an_arabic_report():
    with translation.override("ar"):
        assert cell_text("Xã Hòa Hội", "text") == "\u2068Xã Hòa Hội\u2069"
    with translation.override("vi"):
        assert cell_text("Xã Hòa Hội", "text") == "Xã Hòa Hội"
