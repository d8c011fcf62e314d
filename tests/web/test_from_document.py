"""From a document: a manager pastes or uploads a resolution, corrects what Sixclear proposes
and accepts; everything is created in one transaction or nothing is."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sixclear.extraction import extract
from sixclear.plans.models import Program, Resolution, ResolutionItem, Target
from sixclear.tracking.models import Task, TaskState

TEXT = """ĐẢNG BỘ XÃ HÒA HỘI
Số: 02-NQ/ĐH
Hòa Hội, ngày 12 tháng 8 năm 2025
NGHỊ QUYẾT
Đại hội đại biểu Đảng bộ xã Hòa Hội lần thứ I, nhiệm kỳ 2025-2030
I. QUAN ĐIỂM
1. Phát triển nhanh và bền vững.
2. Lấy người dân làm trung tâm.
II. CÁC CHỈ TIÊU CHỦ YẾU
- Giá trị sản xuất tăng bình quân 21,7%/năm.
- Thu hút ít nhất 10 dự án đầu tư.
- Kim ngạch xuất khẩu đạt trên 33 triệu USD vào năm 2030.
- Tỷ lệ hộ nghèo giảm còn dưới 1 %.
III. NHIỆM VỤ, GIẢI PHÁP
1. Thu hút đầu tư vào Khu công nghiệp.
- Tổ chức hội nghị xúc tiến đầu tư; chủ trì: UBND xã; thời hạn: quý II/2026.
"""


def url(unit):
    return reverse("plans:from_document", args=[unit.pk])


def review_data(client, unit, text=TEXT):
    """Read the text as the page does and return the review form's fields as posted."""
    response = client.post(url(unit), {"action": "read", "text": text, "language": ""})
    assert response.status_code == 200
    data = {}
    for form in (response.context["document_form"],):
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    for formset in (response.context["items"], response.context["programs"],
                    response.context["sections"], response.context["targets"],
                    response.context["tasks"]):
        management = formset.management_form
        for field in management:
            data[field.html_name] = field.value()
        for form in formset:
            for field in form:
                value = field.value()
                if field.name == "keep":
                    if form.initial.get("keep"):
                        data[field.html_name] = "on"
                    continue
                data[field.html_name] = "" if value is None else value
    return response, data


def test_access(client, world):
    page = url(world.hoa_hoi)
    assert client.get(page).status_code == 302  # anonymous: to the sign-in page
    for person, status in [(world.hh_manager, 200), (world.province_leader, 200),
                           (world.hh_officer, 403), (world.hh_viewer, 403),
                           (world.anb_manager, 404), (world.vh_manager, 404)]:
        client.force_login(person)
        assert client.get(page).status_code == status, person
        assert client.post(page, {"action": "read", "text": TEXT}).status_code == status
    client.force_login(world.anb_officer)
    assert client.get(url(world.an_nhon_bac)).status_code == 403


def test_pasted_text_proposes_targets_beside_their_sentence(client, world):
    client.force_login(world.hh_manager)
    response, _data = review_data(client, world.hoa_hoi)
    page = response.content.decode()
    assert "<mark>Kim ngạch xuất khẩu đạt trên 33 triệu USD vào năm 2030</mark>" in page
    # the export's year is in its sentence, its baseline year only in the document's term
    assert "taken from the document: Baseline year." in page
    assert "taken from the document: Baseline year, Target year." in page
    targets = response.context["targets"]
    assert [form.initial["kind"] for form in targets.forms[:4]] == [
        "annual_growth", "count", "threshold", "threshold"]
    assert response.context["document_form"].initial["number"] == "02-NQ/ĐH"
    # what the page proposes is what the command prints
    proposal = extract(TEXT).as_dict()
    assert [f.initial["code"] for f in targets.forms[:4]] == [
        t["code"] for t in proposal["targets"]]


def test_accept_creates_exactly_what_was_shown_corrected(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi)
    data["target-0-baseline_value"] = "3600"
    data["target-2-baseline_value"] = "20"
    data["target-2-target_value"] = "35"  # corrected
    data["target-3-baseline_value"] = "2.1"
    data.pop("target-1-keep")  # dropped
    data["action"] = "accept"
    response = client.post(url(world.hoa_hoi), data)
    resolution = Resolution.objects.get(unit=world.hoa_hoi, number="02-NQ/ĐH")
    assert response.status_code == 302
    assert response.url == reverse("plans:resolution", args=[resolution.pk])
    assert (resolution.term_start, resolution.term_end) == (2025, 2030)
    assert str(resolution.adopted_on) == "2025-08-12"
    assert list(resolution.items.values_list("kind", "title")) == [
        ("task_group", "Thu hút đầu tư vào Khu công nghiệp"),
        ("viewpoint", "Phát triển nhanh và bền vững"),
        ("viewpoint", "Lấy người dân làm trung tâm")]
    group = resolution.items.get(kind="task_group")
    # the task the text lists under its group is a draft task of its own, not the group's text
    assert "Tổ chức hội nghị xúc tiến đầu tư" not in group.text
    task = Task.objects.get(unit=world.hoa_hoi)
    assert (task.title, task.state, task.resolution, task.task_group, task.program) == (
        "Tổ chức hội nghị xúc tiến đầu tư", TaskState.DRAFT, resolution, group, None)
    targets = {t.code: t for t in Target.objects.filter(resolution=resolution)}
    assert set(targets) == {"02-NQ/ĐH-T01", "02-NQ/ĐH-T03", "02-NQ/ĐH-T04"}
    export = targets["02-NQ/ĐH-T03"]
    assert (export.kind, export.target_value, export.unit_of_measure, export.target_year,
            export.baseline_value) == ("threshold", Decimal(35), "triệu USD", 2030, Decimal(20))
    growth = targets["02-NQ/ĐH-T01"]
    assert (growth.kind, growth.annual_rate, growth.baseline_year) == (
        "annual_growth", Decimal("21.7"), 2025)
    assert targets["02-NQ/ĐH-T04"].direction == "lower"
    assert growth.trajectory.count() == 5


def test_a_refused_proposal_names_its_line_and_nothing_is_written(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi)
    for index in range(4):
        data[f"target-{index}-baseline_value"] = "1"
    data["target-2-target_year"] = "2020"  # before the baseline year 2025
    data["action"] = "accept"
    response = client.post(url(world.hoa_hoi), data)
    assert response.status_code == 200
    refusals = response.context["refusals"]
    assert len(refusals) == 1 and refusals[0].startswith("Line 12: ")
    assert "Line 12" in response.content.decode()
    assert not Resolution.objects.filter(unit=world.hoa_hoi).exists()
    assert not Target.objects.filter(unit=world.hoa_hoi).exists()
    assert not ResolutionItem.objects.exists()
    # the person's corrections are kept on the page
    assert response.context["targets"].forms[2]["target_year"].value() == "2020"


def test_a_missing_baseline_is_named_and_an_added_target_is_created(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi)
    data["action"] = "add"
    response = client.post(url(world.hoa_hoi), data)
    added = response.context["targets"].forms[-1]
    assert added.prefix == "target-5"
    data = {**data, "target-TOTAL_FORMS": "6", "target-5-keep": "on",
            "target-5-code": "HH-X", "target-5-name": "Số hợp tác xã", "target-5-kind": "count",
            "target-5-direction": "higher", "target-5-unit_of_measure": "hợp tác xã",
            "target-5-baseline_value": "2", "target-5-baseline_year": "2025",
            "target-5-target_value": "6", "target-5-target_year": "2030", "action": "accept"}
    response = client.post(url(world.hoa_hoi), data)
    assert any(r.startswith("Line 10: ") and "baseline value" in r
               for r in response.context["refusals"])
    assert not Target.objects.exists()
    for index in (0, 2, 3):
        data[f"target-{index}-baseline_value"] = "1"
    response = client.post(url(world.hoa_hoi), data)
    assert response.status_code == 302
    assert Target.objects.get(code="HH-X").target_value == 6


def test_a_program_is_created_with_its_targets(client, world, resolution):
    client.force_login(world.hh_manager)
    text = ("BAN CHẤP HÀNH ĐẢNG BỘ XÃ HÒA HỘI\nSố: 05-CTr/ĐU\nngày 20 tháng 8 năm 2025\n"
            "CHƯƠNG TRÌNH HÀNH ĐỘNG\nvề thu hút đầu tư giai đoạn 2025 – 2030\n"
            "A. NHÓM CHỈ TIÊU VỀ ĐẦU TƯ\n1. Thu hút ít nhất 10 dự án đầu tư.\n")
    _response, data = review_data(client, world.hoa_hoi, text)
    assert data["doc-kind"] == "action_program"
    data.update({"doc-resolution": str(resolution.pk), "action": "accept"})
    assert client.post(url(world.hoa_hoi), data).status_code == 302
    program = Program.objects.get(unit=world.hoa_hoi, number="05-CTr/ĐU")
    assert program.resolution == resolution
    assert list(program.targets.values_list("code", "target_value")) == [
        ("05-CTr/ĐU-T01", Decimal(10))]


def test_uploads_are_checked(client, world):
    import docx

    client.force_login(world.hh_manager)
    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile("nq.docx", data.getvalue())
    response = client.post(url(world.hoa_hoi), {"action": "read", "file": upload})
    assert len(response.context["targets"].forms) == 5  # four proposed, one to add
    wrong = SimpleUploadedFile("nq.exe", b"MZ...")
    response = client.post(url(world.hoa_hoi), {"action": "read", "file": wrong})
    assert response.context["read_form"].errors["file"]
    scanned = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 no text")
    response = client.post(url(world.hoa_hoi), {"action": "read", "file": scanned})
    assert "text layer" in str(response.context["read_form"].errors["file"])
    large = SimpleUploadedFile("big.txt", b"x" * (5 * 1024 * 1024 + 1))
    response = client.post(url(world.hoa_hoi), {"action": "read", "file": large})
    assert "5 MB" in str(response.context["read_form"].errors["file"])
    response = client.post(url(world.hoa_hoi), {"action": "read", "text": "  "})
    assert response.context["read_form"].non_field_errors()


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_page_speaks_the_persons_language(client, world, language):
    client.force_login(world.hh_manager)
    client.cookies["django_language"] = language
    response = client.post(url(world.hoa_hoi), {"action": "read", "text": TEXT},
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.content.decode().count("<mark>") == 4


PROGRAM_TEXT = """ĐẢNG BỘ XÃ HÒA HỘI
Số: 05-CTr/ĐU
Hòa Hội, ngày 20 tháng 8 năm 2025
CHƯƠNG TRÌNH HÀNH ĐỘNG
về phát triển kinh tế giai đoạn 2025 – 2030
A. NHÓM CHỈ TIÊU VỀ KINH TẾ
1. Thu hút ít nhất 10 dự án đầu tư.
2. Kim ngạch xuất khẩu đạt trên 33 triệu USD vào năm 2030.
B. NHÓM CHỈ TIÊU XÃ HỘI
1. Tỷ lệ hộ nghèo giảm còn dưới 1 %.
C. NHIỆM VỤ, GIẢI PHÁP
1. Thu hút đầu tư.
- Tổ chức hội nghị xúc tiến đầu tư; chủ trì: Phòng Kinh tế; thời hạn: quý II/2026.
- Rà soát quỹ đất sạch; chủ trì: Văn phòng Đảng ủy; thời hạn: 31/12/2025.
- Sơ kết giữa nhiệm kỳ; thời hạn: năm 2028.
"""


def test_a_program_proposes_its_sections_and_tasks(client, world):
    client.force_login(world.hh_manager)
    response, data = review_data(client, world.hoa_hoi, PROGRAM_TEXT)
    page = response.content.decode()
    assert data["section-TOTAL_FORMS"] == 3 and data["task-TOTAL_FORMS"] == 3
    assert [data[f"section-{i}-code"] for i in range(3)] == ["A", "B", "C"]
    assert [data[f"target-{i}-section"] for i in range(3)] == [0, 0, 1]
    # the lead unit the text names is chosen when the unit may choose it, else said
    assert data["task-0-lead_unit"] == world.economy_office.pk
    assert str(data["task-0-deadline"]) == "2026-06-30"
    assert data["task-1-lead_unit"] == ""
    assert "Văn phòng Đảng ủy" in page and 'id="tasks"' in page
    assert "- Rà soát quỹ đất sạch; chủ trì: Văn phòng Đảng ủy; thời hạn: 31/12/2025." in page


def test_accepting_a_program_writes_its_sections_targets_and_draft_tasks(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi, PROGRAM_TEXT)
    data["target-0-baseline_value"] = "0"
    data["target-1-baseline_value"] = "20"
    data["target-2-baseline_value"] = "2.1"
    data["section-1-title"] = "Nhóm chỉ tiêu về xã hội"  # corrected
    data["task-1-lead_unit"] = str(world.hoa_hoi.pk)  # chosen by the person
    data["task-1-title"] = "Rà soát quỹ đất sạch cho dự án"
    data.pop("task-2-keep")  # dropped
    data["action"] = "accept"
    response = client.post(url(world.hoa_hoi), data)
    program = Program.objects.get(unit=world.hoa_hoi, number="05-CTr/ĐU")
    assert response.status_code == 302
    assert response.url == reverse("plans:program", args=[program.pk])
    sections = {s.code: s for s in program.sections.all()}
    assert [(s.code, s.title) for s in program.sections.order_by("position")] == [
        ("A", "NHÓM CHỈ TIÊU VỀ KINH TẾ"), ("B", "Nhóm chỉ tiêu về xã hội"),
        ("C", "NHIỆM VỤ, GIẢI PHÁP")]
    assert sorted(sections["A"].targets.values_list("code", flat=True)) == [
        "05-CTr/ĐU-T01", "05-CTr/ĐU-T02"]
    assert list(sections["B"].targets.values_list("code", flat=True)) == ["05-CTr/ĐU-T03"]
    tasks = list(Task.objects.filter(program=program).order_by("pk"))
    assert [(t.title, t.state, t.lead_unit, t.program_section) for t in tasks] == [
        ("Tổ chức hội nghị xúc tiến đầu tư", TaskState.DRAFT, world.economy_office,
         sections["C"]),
        ("Rà soát quỹ đất sạch cho dự án", TaskState.DRAFT, world.hoa_hoi, sections["C"])]
    assert str(tasks[1].deadline) == "2025-12-31"


def test_a_refused_task_names_its_line_and_writes_nothing(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi, PROGRAM_TEXT)
    for index, value in enumerate(["0", "20", "2.1"]):
        data[f"target-{index}-baseline_value"] = value
    data["task-2-title"] = ""  # a kept task without a title
    data["action"] = "accept"
    response = client.post(url(world.hoa_hoi), data)
    assert response.status_code == 200
    assert not Program.objects.exists() and not Task.objects.exists()
    assert not Target.objects.exists()
    assert response.context["tasks"].forms[2].errors["title"]


def test_a_dropped_section_leaves_its_targets_and_tasks_unplaced(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi, PROGRAM_TEXT)
    for index, value in enumerate(["0", "20", "2.1"]):
        data[f"target-{index}-baseline_value"] = value
    data.pop("section-0-keep")
    data.pop("section-2-keep")
    data["action"] = "accept"
    assert client.post(url(world.hoa_hoi), data).status_code == 302
    program = Program.objects.get(number="05-CTr/ĐU")
    only = program.sections.get()
    assert only.code == "B"
    assert list(only.targets.values_list("code", flat=True)) == ["05-CTr/ĐU-T03"]
    assert program.targets.count() == 3
    assert not Task.objects.filter(program_section__isnull=False).exists()
    assert Task.objects.filter(program=program).count() == 3


def test_the_review_page_does_not_query_per_task(client, world, django_assert_max_num_queries):
    client.force_login(world.hh_manager)
    many = PROGRAM_TEXT + "".join(f"- Nhiệm vụ thứ {n}; chủ trì: Phòng Kinh tế.\n"
                                  for n in range(40))
    with django_assert_max_num_queries(12):
        response = client.post(url(world.hoa_hoi), {"action": "read", "text": many})
    assert response.context["tasks"].total_form_count() == 43


def test_a_task_the_person_adds_is_written_as_a_draft(client, world):
    client.force_login(world.hh_manager)
    _response, data = review_data(client, world.hoa_hoi, PROGRAM_TEXT)
    for index, value in enumerate(["0", "20", "2.1"]):
        data[f"target-{index}-baseline_value"] = value
    data["action"] = "add_task"
    response = client.post(url(world.hoa_hoi), data)
    assert response.status_code == 200
    tasks = response.context["tasks"]
    assert tasks.total_form_count() == 4
    assert "A task you add." in response.content.decode()
    data["task-TOTAL_FORMS"] = "4"
    data.update({"task-3-keep": "on", "task-3-title": "Tổng kết chương trình",
                 "task-3-section": "2", "task-3-lead_unit": str(world.economy_office.pk),
                 "task-3-deadline": "2030-12-31", "action": "accept"})
    assert client.post(url(world.hoa_hoi), data).status_code == 302
    added = Task.objects.get(title="Tổng kết chương trình")
    assert (added.state, added.lead_unit, added.program_section.code, str(added.deadline)) == (
        TaskState.DRAFT, world.economy_office, "C", "2030-12-31")
