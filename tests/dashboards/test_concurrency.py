"""Writers to one unit at the same moment: no count is lost (PostgreSQL, real transactions)."""

import threading

import pytest
from django.db import connection, connections

from sixclear.dashboards import rollups
from sixclear.dashboards.selectors import overview
from sixclear.tracking import services
from tests.dashboards.test_rollups import draft, issue

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_reports_with_obstacles_at_once_are_both_counted(world):
    tasks = [issue(world, draft(world)) for _ in range(6)]
    start = threading.Barrier(len(tasks))
    errors = []

    def report(task):
        try:
            start.wait()
            services.report_progress(actor=world.hh_officer, task=task, percent=20,
                                     narrative="…", obstacles="Thiếu vốn")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert overview(world.hoa_hoi).tasks.obstacles == len(tasks)
    assert rollups.verify() == []
