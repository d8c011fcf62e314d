"""Writing resolutions and programs in the app: who may, the forms, moving items with and
without htmx, a stale edit answering 409 with the person's input kept, the program page by
its sections in a bounded number of queries, and the pages in Arabic."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sixclear.monitoring.models import TargetHealth
from sixclear.plans import services as plans
from sixclear.plans.models import (
    Program,
    Resolution,
    ResolutionItemKind,
    ResolutionStatus,
    TargetKind,
)
from sixclear.tracking import services as tracking
from tests.factories import TaskFactory

OK, DENIED, HIDDEN, SIGN_IN = 200, 403, 404, 302
VIEWPOINT = ResolutionItemKind.VIEWPOINT


@pytest.fixture
def written(world):
    """A draft resolution of Hòa Hội with two viewpoints, a program with a section holding a
    target and a task."""
    manager = world.hh_manager
    resolution = plans.create_resolution(
        actor=manager, unit=world.hoa_hoi, number="01-NQ/ĐU", term_start=2025, term_end=2030,
        title="Nghị quyết Đại hội Đảng bộ xã Hòa Hội lần thứ I")
    first, second = [plans.add_resolution_item(actor=manager, resolution=resolution,
                                               kind=VIEWPOINT, title=title)
                     for title in ("Phát triển nhanh và bền vững", "Lấy người dân làm trung tâm")]
    program = plans.create_program(
        actor=manager, unit=world.hoa_hoi, kind="action_program", number="01-CTr/ĐU",
        title="Chương trình hành động", resolution=resolution,
        period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2030, 12, 31))
    section = plans.add_program_section(actor=manager, program=program, code="A",
                                        title="Kinh tế")
    return {"unit": world.hoa_hoi, "resolution": resolution, "item": first, "second": second,
            "program": program, "section": section}


PAGES = {
    "resolution_create": lambda o: reverse("plans:resolution_create", args=[o["unit"].pk]),
    "resolution_edit": lambda o: reverse("plans:resolution_edit", args=[o["resolution"].pk]),
    "resolution_items": lambda o: reverse("plans:resolution_items", args=[o["resolution"].pk]),
    "item_edit": lambda o: reverse("plans:item_edit", args=[o["item"].pk]),
    "program_create": lambda o: reverse("plans:program_create", args=[o["unit"].pk]),
    "program_edit": lambda o: reverse("plans:program_edit", args=[o["program"].pk]),
    "program_sections": lambda o: reverse("plans:program_sections", args=[o["program"].pk]),
    "section_edit": lambda o: reverse("plans:section_edit", args=[o["section"].pk]),
}
READ_ONLY = {"program": lambda o: reverse("plans:program", args=[o["program"].pk])}

# Managers of Hòa Hội and the leaders above it write; its officer and viewer see but may not
# (403); An Nhơn Bắc (its sibling) and Việt Hưng do not see it (404).
CASES = [
    *[(page, who, OK) for page in PAGES for who in ("hh_manager", "hh_leader",
                                                     "province_leader")],
    *[(page, who, DENIED) for page in PAGES for who in ("hh_officer", "hh_viewer")],
    *[(page, who, HIDDEN) for page in PAGES for who in ("anb_manager", "vh_manager")],
    *[(page, None, SIGN_IN) for page in PAGES],
    *[("program", who, OK) for who in ("hh_manager", "hh_officer", "hh_viewer",
                                       "province_leader")],
    *[("program", who, HIDDEN) for who in ("anb_manager", "vh_manager")],
    ("program", None, SIGN_IN),
]


@pytest.mark.parametrize(("page", "who", "expected"), CASES)
def test_page_access(client, world, written, page, who, expected):
    if who:
        client.force_login(getattr(world, who))
    response = client.get({**PAGES, **READ_ONLY}[page](written))
    assert response.status_code == expected
    if expected == SIGN_IN:
        assert response.url.startswith(reverse("accounts:sign_in"))


ACTIONS = {
    "item_add": lambda o: (reverse("plans:item_add", args=[o["resolution"].pk]),
                           {"kind": "viewpoint", "title": "Quan điểm mới"}),
    "item_move": lambda o: (reverse("plans:item_move", args=[o["item"].pk]),
                            {"version": o["item"].version, "direction": "down"}),
    "item_delete": lambda o: (reverse("plans:item_delete", args=[o["item"].pk]),
                              {"version": o["item"].version}),
    "section_add": lambda o: (reverse("plans:section_add", args=[o["program"].pk]),
                              {"code": "B", "title": "Xã hội"}),
    "section_move": lambda o: (reverse("plans:section_move", args=[o["section"].pk]),
                               {"version": o["section"].version, "direction": "down"}),
    "section_delete": lambda o: (reverse("plans:section_delete", args=[o["section"].pk]),
                                 {"version": o["section"].version}),
    "arrange": lambda o: (reverse("plans:program_arrange", args=[o["program"].pk]),
                          {"version": o["program"].version}),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("who", "expected"), [
    ("hh_officer", DENIED), ("hh_viewer", DENIED), ("anb_manager", HIDDEN),
    ("vh_manager", HIDDEN), (None, SIGN_IN), ("hh_manager", SIGN_IN),
])
def test_action_access(client, world, written, action, who, expected):
    """Refused actions change nothing; the manager's are followed by a redirect (302)."""
    if who:
        client.force_login(getattr(world, who))
    url, data = ACTIONS[action](written)
    before = list(written["resolution"].items.values_list("pk", "position", "title"))
    response = client.post(url, data)
    assert response.status_code == expected
    if who != "hh_manager":
        assert list(written["resolution"].items.values_list("pk", "position", "title")) \
            == before


def test_a_manager_writes_a_resolution_from_the_unit_page(client, world):
    client.force_login(world.hh_manager)
    unit_page = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert reverse("plans:resolution_create", args=[world.hoa_hoi.pk]) in unit_page
    assert reverse("plans:program_create", args=[world.hoa_hoi.pk]) in unit_page
    response = client.post(reverse("plans:resolution_create", args=[world.hoa_hoi.pk]), {
        "number": "01-NQ/ĐU", "title": "Nghị quyết Đại hội", "issuing_body": "Đại hội Đảng bộ xã",
        "term_start": 2025, "term_end": 2030, "status": "draft", "summary": "",
    })
    resolution = Resolution.objects.get(unit=world.hoa_hoi, number="01-NQ/ĐU")
    assert response.status_code == 302
    assert response.url == reverse("plans:resolution_items", args=[resolution.pk])
    assert resolution.issuing_body == "Đại hội Đảng bộ xã"


def test_no_entry_points_for_an_officer(client, world, written):
    client.force_login(world.hh_officer)
    unit_page = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert reverse("plans:resolution_create", args=[world.hoa_hoi.pk]) not in unit_page
    page = client.get(reverse("plans:resolution", args=[written["resolution"].pk]))
    assert reverse("plans:resolution_edit", args=[written["resolution"].pk]) \
        not in page.content.decode()


def test_a_bad_resolution_is_refused_field_by_field(client, world):
    client.force_login(world.hh_manager)
    response = client.post(reverse("plans:resolution_create", args=[world.hoa_hoi.pk]), {
        "number": "01", "title": "x", "term_start": 2030, "term_end": 2025,
        "status": "adopted"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "term_end" in errors
    assert not Resolution.objects.filter(unit=world.hoa_hoi).exists()


def test_a_stale_resolution_edit_answers_409_with_both_changes(client, world, written):
    resolution = written["resolution"]
    seen = resolution.version
    plans.update_resolution(actor=world.hh_leader, resolution=resolution,
                            expected_version=seen, title="Tiêu đề của người khác")
    client.force_login(world.hh_manager)
    response = client.post(reverse("plans:resolution_edit", args=[resolution.pk]), {
        "version": seen, "number": "01-NQ/ĐU", "title": "Tiêu đề của tôi",
        "term_start": 2025, "term_end": 2030, "status": "draft"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Tiêu đề của tôi"' in page  # the person's input is kept
    assert "Tiêu đề của người khác" in page  # beside it, what the other person saved
    assert response.context["form"].conflicts == {"title": "Tiêu đề của người khác"}
    resolution.refresh_from_db()
    assert resolution.title == "Tiêu đề của người khác"
    # Saving again now takes the current version: a deliberate choice.
    assert f'value="{resolution.version}"' in page


def test_a_stale_item_edit_answers_409(client, world, written):
    item = written["item"]
    plans.update_resolution_item(actor=world.hh_leader, item=item,
                                 expected_version=item.version, text="Của người khác")
    client.force_login(world.hh_manager)
    response = client.post(reverse("plans:item_edit", args=[item.pk]), {
        "version": 1, "title": "Của tôi", "text": ""})
    assert response.status_code == 409
    assert response.context["form"].conflicts == {"text": "Của người khác"}


def test_a_stale_program_edit_answers_409(client, world, written):
    program = written["program"]
    seen = program.version
    plans.update_program(actor=world.hh_leader, program=program, expected_version=seen,
                         issuing_body="Ban Thường vụ Đảng ủy xã")
    client.force_login(world.hh_manager)
    response = client.post(reverse("plans:program_edit", args=[program.pk]), {
        "version": seen, "kind": "action_program", "number": "01-CTr/ĐU", "title": "Mới",
        "period_start": "2025-10-01", "period_end": "2030-12-31"})
    assert response.status_code == 409
    assert "Ban Thường vụ Đảng ủy xã" in response.content.decode()


def titles(resolution):
    return list(resolution.items.filter(kind=VIEWPOINT).order_by("position")
                .values_list("title", flat=True))


def test_moving_an_item_works_as_a_plain_form_post(client, world, written):
    client.force_login(world.hh_manager)
    item = written["item"]
    response = client.post(reverse("plans:item_move", args=[item.pk]),
                           {"version": item.version, "direction": "down"})
    assert response.status_code == 302
    assert response.url.endswith("#items-viewpoint")
    assert titles(written["resolution"]) == ["Lấy người dân làm trung tâm",
                                             "Phát triển nhanh và bền vững"]


def test_moving_an_item_with_htmx_answers_its_list_only(client, world, written):
    client.force_login(world.hh_manager)
    item = written["item"]
    response = client.post(reverse("plans:item_move", args=[item.pk]),
                           {"version": item.version, "direction": "down"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section class="card item-list" id="items-viewpoint"')
    assert "<html" not in fragment
    assert fragment.index("Lấy người dân") < fragment.index("Phát triển nhanh")
    # A second click from the now stale list is refused inside the list, nothing moves.
    again = client.post(reverse("plans:item_move", args=[item.pk]),
                        {"version": item.version, "direction": "up"},
                        headers={"HX-Request": "true"})
    assert 'role="alert"' in again.content.decode()
    assert titles(written["resolution"])[0] == "Lấy người dân làm trung tâm"


def test_a_stale_move_without_htmx_answers_409(client, world, written):
    client.force_login(world.hh_manager)
    item = written["item"]
    response = client.post(reverse("plans:item_move", args=[item.pk]),
                           {"version": item.version + 5, "direction": "down"})
    assert response.status_code == 409


def test_items_are_added_and_removed_from_the_items_page(client, world, written):
    client.force_login(world.hh_manager)
    resolution = written["resolution"]
    client.post(reverse("plans:item_add", args=[resolution.pk]),
                {"kind": "breakthrough", "title": "Hạ tầng giao thông"})
    assert resolution.items.filter(kind="breakthrough").count() == 1
    missing = client.post(reverse("plans:item_add", args=[resolution.pk]),
                          {"kind": "breakthrough", "title": ""})
    assert missing.status_code == 400
    second = written["second"]
    client.post(reverse("plans:item_delete", args=[second.pk]), {"version": second.version})
    assert titles(resolution) == ["Phát triển nhanh và bền vững"]


def test_an_adopted_resolutions_items_offer_no_change_to_its_manager(client, world, written):
    resolution = written["resolution"]
    plans.update_resolution(actor=world.hh_manager, resolution=resolution,
                            expected_version=resolution.version,
                            status=ResolutionStatus.ADOPTED,
                            adopted_on=datetime.date(2025, 8, 1))
    client.force_login(world.hh_manager)
    page = client.get(reverse("plans:resolution_items", args=[resolution.pk])).content.decode()
    assert reverse("plans:item_move", args=[written["item"].pk]) not in page
    item = written["item"]
    refused = client.post(reverse("plans:item_delete", args=[item.pk]),
                          {"version": item.version})
    assert refused.status_code == 403
    assert resolution.items.count() == 2


def test_the_resolution_page_shows_its_history_and_programs(client, world, written):
    client.force_login(world.hh_officer)
    page = client.get(reverse("plans:resolution", args=[written["resolution"].pk]))
    text = page.content.decode()
    assert reverse("plans:program", args=[written["program"].pk]) in text
    assert "Lấy người dân làm trung tâm" in text
    history = page.context["history"]
    assert {entry.record.history_type for entry in history} == {"+"}
    assert len(history) == 3  # the resolution and its two items


def test_a_program_is_created_for_a_resolution(client, world, written):
    client.force_login(world.hh_manager)
    resolution = written["resolution"]
    form = client.get(reverse("plans:program_create", args=[world.hoa_hoi.pk]),
                      {"resolution": resolution.pk})
    assert form.context["form"].initial["resolution"] == resolution
    response = client.post(reverse("plans:program_create", args=[world.hoa_hoi.pk]), {
        "kind": "decision", "number": "168-QĐ/ĐU", "title": "Quyết định phân công",
        "issuing_body": "Ban Thường vụ Đảng ủy", "period_start": "2025-10-01",
        "period_end": "2026-12-31", "resolution": resolution.pk})
    program = Program.objects.get(number="168-QĐ/ĐU")
    assert response.url == reverse("plans:program_sections", args=[program.pk])
    page = client.get(reverse("plans:program", args=[program.pk])).content.decode()
    assert reverse("reports:appendix", args=[program.pk, "pdf"]) in page


def target(world, program, code, resolution=None):
    return plans.create_target(
        actor=world.hh_manager, unit=world.hoa_hoi, programs=[program], code=code,
        name=f"Chỉ tiêu {code}", kind=TargetKind.COUNT, baseline_value=Decimal(0),
        baseline_year=2025, target_value=Decimal(10), target_year=2030,
        responsible_person=world.hh_officer, resolution=resolution)


def grow(world, program, section, count):
    start = program.targets.count()
    targets = [target(world, program, f"CT-{start + n:02d}") for n in range(count)]
    tasks = [TaskFactory(unit=world.hoa_hoi, program=program, owner=world.hh_officer)
             for _ in range(count)]
    program.refresh_from_db()
    tracking.arrange_program(actor=world.hh_manager, program=program,
                             expected_version=program.version,
                             targets=dict.fromkeys(targets, section),
                             tasks=dict.fromkeys(tasks, section))


def test_the_program_page_reads_in_a_fixed_number_of_queries(
        client, world, written, django_assert_max_num_queries):
    program, section = written["program"], written["section"]
    other = plans.add_program_section(actor=world.hh_manager, program=program, code="B",
                                      title="Xã hội")
    grow(world, program, section, 2)
    client.force_login(world.hh_officer)
    url = reverse("plans:program", args=[program.pk])
    client.get(url)  # warm the session and the membership cache
    with django_assert_max_num_queries(17) as few:
        client.get(url)
    grow(world, program, other, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].target_count == 14


def test_the_program_page_shows_each_section_with_its_targets_and_tasks(client, world, written):
    program, section = written["program"], written["section"]
    placed = target(world, program, "CT-A1")
    loose = target(world, program, "CT-X1")
    TargetHealth.objects.update_or_create(target=placed, defaults={
        "status": "behind", "changed_on": datetime.date(2026, 1, 1)})
    task = TaskFactory(unit=world.hoa_hoi, program=program, title="Mở rộng cụm công nghiệp",
                       percent_complete=40)
    program.refresh_from_db()
    tracking.arrange_program(actor=world.hh_manager, program=program,
                             expected_version=program.version, targets={placed: section},
                             tasks={task: section})
    client.force_login(world.hh_viewer)
    response = client.get(reverse("plans:program", args=[program.pk]))
    sections = response.context["page"].sections
    assert [(rows.section, [t.code for t in rows.targets], [t.pk for t in rows.tasks])
            for rows in sections] == [(section, ["CT-A1"], [task.pk]), (None, ["CT-X1"], [])]
    text = response.content.decode()
    assert 'data-status="behind"' in text
    assert reverse("plans:target", args=[loose.pk]) in text
    assert reverse("plans:program_edit", args=[program.pk]) not in text  # a viewer


def test_placing_targets_from_the_sections_page(client, world, written):
    program, section = written["program"], written["section"]
    placed = target(world, program, "CT-A1")
    client.force_login(world.hh_manager)
    page = client.get(reverse("plans:program_sections", args=[program.pk]))
    assert f'name="target_{placed.pk}"' in page.content.decode()
    program.refresh_from_db()
    response = client.post(reverse("plans:program_arrange", args=[program.pk]), {
        "version": program.version, f"target_{placed.pk}": section.pk})
    assert response.status_code == 302
    assert list(section.targets.all()) == [placed]
    stale = client.post(reverse("plans:program_arrange", args=[program.pk]), {
        "version": program.version, f"target_{placed.pk}": ""})
    assert stale.status_code == 409
    assert list(section.targets.all()) == [placed]


@pytest.mark.parametrize("language, words", [
    ("vi", "Quan điểm chỉ đạo"), ("ar", "وجهات النظر التوجيهية"),
])
def test_the_items_page_speaks_the_persons_language(client, world, written, language, words):
    client.force_login(world.hh_manager)
    client.post(reverse("accounts:language"), {"language": language, "next": "/"})
    response = client.get(reverse("plans:resolution_items", args=[written["resolution"].pk]))
    text = response.content.decode()
    assert words in text
    if language == "ar":
        assert 'dir="rtl"' in text


def test_an_adopted_resolutions_form_offers_no_way_back_to_draft(client, world, written):
    resolution = written["resolution"]
    plans.update_resolution(actor=world.hh_manager, resolution=resolution,
                            expected_version=resolution.version,
                            status=ResolutionStatus.ADOPTED,
                            adopted_on=datetime.date(2025, 8, 1))
    client.force_login(world.hh_manager)
    form = client.get(reverse("plans:resolution_edit", args=[resolution.pk])).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        "adopted", "superseded"]
    back = client.post(reverse("plans:resolution_edit", args=[resolution.pk]), {
        "version": resolution.version, "number": "01-NQ/ĐU", "title": "x",
        "term_start": 2025, "term_end": 2030, "status": "draft"})
    assert back.status_code == 200 and "status" in back.context["form"].errors
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.ADOPTED


def test_a_long_section_lists_its_first_tasks_and_links_to_all(client, world, written,
                                                               settings):
    """A national program holds hundreds of tasks: a section lists its first ones by code,
    says how many it has, and links to the task list filtered by the program."""
    from sixclear.web import programs as program_pages

    program, section = written["program"], written["section"]
    count = program_pages.PROGRAM_SECTION_TASKS + 3
    tasks = [TaskFactory(unit=world.hoa_hoi, program=program, owner=world.hh_officer,
                         code=f"NV-{n:02d}") for n in range(count)]
    program.refresh_from_db()
    tracking.arrange_program(actor=world.hh_manager, program=program,
                             expected_version=program.version, targets={},
                             tasks=dict.fromkeys(tasks, section))
    client.force_login(world.hh_viewer)
    response = client.get(reverse("plans:program", args=[program.pk]))
    (rows,) = [rows for rows in response.context["page"].sections if rows.section == section]
    assert [t.code for t in rows.tasks] == [t.code for t in tasks][:25]
    assert rows.task_total == len(tasks) == response.context["page"].task_count
    text = response.content.decode()
    assert "The first 25 of 28 are listed." in text
    listing = f"{reverse('orgs:unit', args=[world.hoa_hoi.pk])}?program={program.pk}"
    assert listing in text
    full = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk]),
                      {"program": program.pk, "include_sub_units": "on"})
    assert full.context["page"].paginator.count == len(tasks)
