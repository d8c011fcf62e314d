"""Two people moving neighbouring items at the same moment (PostgreSQL, real transactions):
one move wins, the other is refused as stale; the positions stay 1, 2, 3."""

import threading

import pytest
from django.db import connection, connections

from sixclear.plans import services
from sixclear.plans.models import ResolutionItemKind
from sixclear.versioning import StaleEdit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_moving_neighbours_at_once_keeps_the_order_whole(world):
    resolution = services.create_resolution(
        actor=world.hh_manager, unit=world.hoa_hoi, number="01-NQ/ĐU", title="Nghị quyết",
        term_start=2025, term_end=2030)
    first, second, third = [
        services.add_resolution_item(actor=world.hh_manager, resolution=resolution,
                                     kind=ResolutionItemKind.VIEWPOINT, title=title)
        for title in ("Một", "Hai", "Ba")]
    moves = [(world.hh_manager, third, "up"), (world.hh_leader, second, "down")]
    start = threading.Barrier(len(moves))
    outcomes = []

    def move(actor, item, direction):
        try:
            start.wait()
            services.move_resolution_item(actor=actor, item=item,
                                          expected_version=item.version, direction=direction)
            outcomes.append("moved")
        except StaleEdit:
            outcomes.append("stale")
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=args) for args in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "stale"]
    items = resolution.items.order_by("position")
    assert list(items.values_list("position", flat=True)) == [1, 2, 3]
    assert list(items.values_list("title", flat=True)) == ["Một", "Ba", "Hai"]
