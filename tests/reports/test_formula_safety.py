"""The periodic report's XLSX writes task and target text as text, never a live formula."""

from django.utils import translation

from sixclear.reports.selectors import report_content
from sixclear.reports.writers import report_xlsx
from sixclear.tracking.models import Task
from tests.reports.conftest import QUARTER, TODAY
from tests.security.test_spreadsheet_safety import PAYLOADS, no_formula_in


def test_the_report_xlsx_writes_a_task_title_as_text(world, quarter):
    Task.objects.filter(title="Giải phóng mặt bằng").update(title=PAYLOADS[1])
    with translation.override("en"):
        content = report_content(world.gia_lai, QUARTER, today=TODAY, language="en",
                                 number_text="=7/BC")
        cells = no_formula_in(report_xlsx(content))
    assert cells[PAYLOADS[1]].data_type == "s" and cells[PAYLOADS[1]].quotePrefix
    assert "=7/BC" in cells
