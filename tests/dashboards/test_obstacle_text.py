"""The dashboard's open obstacles say what the obstacle is: isolated from the page's direction,
a long one shortened with the whole text one click away, exports carrying it whole."""

import csv
import io

from django.urls import reverse
from django.utils import translation

from sixclear.dashboards.pages import OBSTACLE_SHOWN, obstacle_table
from sixclear.dashboards.selectors import open_obstacles
from sixclear.dashboards.tables import table_html
from sixclear.tracking import services
from tests.dashboards.test_rollups import draft, issue

LONG = "; ".join(["Thiếu kinh phí giải phóng mặt bằng"] * 10)


def test_the_obstacles_table_shows_the_latest_obstacle_text(client, world):
    task = issue(world, draft(world, title="Mở rộng đường liên xã"))
    services.report_progress(actor=world.hh_officer, task=task, percent=10, narrative="x",
                             obstacles="Dân chưa đồng thuận giá đền bù")
    client.force_login(world.hh_manager)
    page = client.get(reverse("dashboards:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert '<bdi dir="auto">Dân chưa đồng thuận giá đền bù</bdi>' in page
    exported = client.get(reverse("dashboards:unit", args=[world.hoa_hoi.pk]),
                          {"export": "obstacles", "format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][2] == "Dân chưa đồng thuận giá đền bù"


def test_a_long_obstacle_is_shortened_with_the_whole_text_available(world):
    task = issue(world, draft(world))
    services.report_progress(actor=world.hh_officer, task=task, percent=10, narrative="x",
                             obstacles=LONG)
    with translation.override("ar"):
        table = obstacle_table(open_obstacles(world.hoa_hoi))
        html = table_html(table, "")
    assert table.plain_rows()[0][2] == LONG
    assert "<details" in html and "<summary>" in html
    shown = html.split("<summary>")[1].split("</summary>")[0]
    assert len(shown) < OBSTACLE_SHOWN + 40 and "…" in shown
    assert LONG.replace("; ", ";") not in shown
    assert f'<bdi dir="auto">{LONG}</bdi>' in html
