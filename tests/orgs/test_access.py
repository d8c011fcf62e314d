import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from sixclear.orgs import services
from sixclear.orgs.models import Membership, Role, Unit, UnitKind
from sixclear.orgs.selectors import has_role, role_in_unit, visible_units
from sixclear.tracking.selectors import visible_tasks
from tests.factories import TaskFactory, UserFactory, make_unit


def test_a_role_reaches_the_whole_subtree(world):
    assert role_in_unit(world.hh_manager, world.economy_office) == Role.MANAGER
    assert has_role(world.province_leader, world.hoa_hoi, Role.LEADER)
    assert not has_role(world.hh_officer, world.hoa_hoi, Role.MANAGER)


def test_sibling_units_see_nothing_of_each_other(world):
    units = set(visible_units(world.hh_officer))
    assert world.hoa_hoi in units and world.economy_office in units
    assert world.an_nhon_bac not in units
    assert world.gia_lai not in units
    assert role_in_unit(world.hh_officer, world.an_nhon_bac) is None


def test_officer_cannot_see_other_commune_tasks(world):
    own = TaskFactory(unit=world.hoa_hoi)
    other = TaskFactory(unit=world.an_nhon_bac)
    tasks = set(visible_tasks(world.hh_officer))
    assert own in tasks
    assert other not in tasks


def test_province_leader_reads_all_its_communes_but_not_another_province(world):
    tasks = [TaskFactory(unit=u) for u in (world.hoa_hoi, world.an_nhon_bac, world.viet_hung)]
    seen = set(visible_tasks(world.province_leader))
    assert tasks[0] in seen and tasks[1] in seen
    assert tasks[2] not in seen


def test_a_department_sees_a_task_it_coordinates(world):
    dept_officer = UserFactory(username="dept")
    department = make_unit("Công an phường", world.an_nhon_bac, UnitKind.DEPARTMENT)
    Membership.objects.create(user=dept_officer, unit=department, role=Role.OFFICER)
    task = TaskFactory(unit=world.hoa_hoi)
    assert task not in visible_tasks(dept_officer)
    task.coordinating_units.add(department)
    assert task in visible_tasks(dept_officer)


def test_anonymous_and_outsiders_see_nothing(world):
    TaskFactory(unit=world.hoa_hoi)
    assert not visible_tasks(AnonymousUser()).exists()
    assert not visible_tasks(world.outsider).exists()
    assert not visible_units(world.outsider).exists()


def test_visible_tasks_is_one_query_without_duplicates(world, django_assert_num_queries):
    task = TaskFactory(unit=world.hoa_hoi, lead_unit=world.economy_office)
    task.coordinating_units.add(world.economy_office)
    user = world.hh_manager
    with django_assert_num_queries(2):  # the user's paths, then the tasks
        assert list(visible_tasks(user)) == [task]


def test_inactive_unit_grants_nothing(world):
    Unit.objects.filter(pk=world.hoa_hoi.pk).update(is_active=False)
    assert role_in_unit(world.hh_manager, world.economy_office) is None


def test_only_an_administrator_creates_units(world):
    with pytest.raises(PermissionDenied):
        services.create_unit(
            actor=world.hh_manager, parent=world.hoa_hoi, code="X1", name="Tổ", kind="other"
        )
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    unit = services.create_unit(
        actor=admin, parent=world.hoa_hoi, code="X1", name="Tổ dân phố 1", kind="other"
    )
    assert Unit.objects.get_parent(unit) == world.hoa_hoi


def test_moving_a_commune_moves_its_access(world):
    """Communes are merged and moved between provinces; roles follow the tree, not a copy."""
    admin = UserFactory(username="root", is_superuser=True)
    task = TaskFactory(unit=world.hoa_hoi)
    assert task in visible_tasks(world.province_leader)
    services.move_unit(actor=admin, unit=world.hoa_hoi, new_parent=world.ha_noi)
    fresh_leader = type(world.province_leader).objects.get(pk=world.province_leader.pk)
    assert task not in visible_tasks(fresh_leader)
    assert role_in_unit(world.hh_manager, Unit.objects.get(pk=world.economy_office.pk)) == "manager"


def test_a_unit_cannot_move_under_its_own_subtree(world):
    admin = UserFactory(username="root", is_superuser=True)
    with pytest.raises(Exception, match="under itself"):
        services.move_unit(actor=admin, unit=world.gia_lai, new_parent=world.hoa_hoi)


def test_granting_a_role_replaces_the_previous_one(world):
    admin = UserFactory(username="root", is_superuser=True)
    services.grant_role(actor=admin, user=world.hh_officer, unit=world.hoa_hoi, role="manager")
    assert Membership.objects.get(user=world.hh_officer, unit=world.hoa_hoi).role == "manager"
    assert has_role(world.hh_officer, world.hoa_hoi, Role.MANAGER)
