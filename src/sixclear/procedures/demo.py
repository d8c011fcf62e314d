"""Việt Hưng's work procedures in the demo: handling citizens' petitions and issuing a document,
each with a few cases (one handed over late, one stuck past its time limit, one suspended while
the citizen completes the file). Written through the services; a second build adds nothing."""

import datetime

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Role, Unit
from sixclear.plans.models import Program, Target

from . import services
from .calendar import WorkingCalendar
from .models import Procedure

UNIT = "HN-VH"
PETITIONS = {
    "code": "QT-VH-01",
    "name": "Tiếp nhận, xử lý đơn kiến nghị, phản ánh của công dân",
    "objectives": ["VH-CT1-A16", "VH-CT1-A03"],
    "steps": [
        {"name": "Tiếp nhận, phân loại đơn", "role": Role.OFFICER, "days": 2,
         "records": "Sổ tiếp nhận đơn thư"},
        {"name": "Xác minh, đề xuất hướng giải quyết", "role": Role.OFFICER, "days": 10,
         "records": "Báo cáo kết quả xác minh"},
        {"name": "Lãnh đạo xem xét, ký văn bản trả lời", "role": Role.MANAGER, "days": 3,
         "records": "Văn bản trả lời công dân"},
        {"name": "Gửi văn bản trả lời, lưu hồ sơ", "role": Role.OFFICER, "days": 1,
         "records": "Sổ theo dõi đơn thư; hồ sơ lưu"},
    ],
}
DOCUMENTS = {
    "code": "QT-VH-02",
    "name": "Soạn thảo, ban hành văn bản hành chính",
    "objectives": ["VH-CT1-A01", "VH-CT1-A12"],
    "steps": [
        {"name": "Soạn thảo dự thảo văn bản", "role": Role.OFFICER, "days": 3,
         "records": "Dự thảo văn bản, phiếu trình"},
        {"name": "Văn phòng kiểm tra thể thức, nội dung", "role": Role.OFFICER, "days": 1,
         "records": "Phiếu kiểm soát văn bản"},
        {"name": "Lãnh đạo ký số ban hành", "role": Role.MANAGER, "days": 1,
         "records": "Văn bản đã ký số"},
        {"name": "Phát hành, đăng ký văn bản đi", "role": Role.OFFICER, "days": 1,
         "records": "Sổ đăng ký văn bản đi"},
    ],
}

# (procedure code, reference, subject, applicant, working days before today it was received,
#  working days each step took so far, what happens after: None, "suspend" or "extend")
CASES = [
    ("QT-VH-01", "ĐT-001", "Kiến nghị sửa chữa mặt đường ngõ 12 phố Tư Đình",
     "Nguyễn Văn Hòa", 60, [1, 8, 2, 1], None),
    ("QT-VH-01", "ĐT-002", "Phản ánh tiếng ồn kéo dài từ xưởng cơ khí tổ dân phố 7",
     "Lê Thị Mai", 45, [2, 13, 3, 1], None),  # verification took 13 of its 10 days: late
    ("QT-VH-01", "ĐT-003", "Đề nghị lắp đặt thêm đèn chiếu sáng khu tập thể Việt Hưng",
     "Trần Minh Đức", 25, [1], None),  # verification now 20+ days in hand: stuck
    ("QT-VH-01", "ĐT-004", "Kiến nghị về việc thu gom rác thải tại tổ dân phố 3",
     "Phạm Thị Lan", 6, [1], "suspend"),
    ("QT-VH-02", "VB-101", "Kế hoạch kiểm tra an toàn phòng cháy, chữa cháy quý IV",
     "Văn phòng HĐND và UBND", 30, [2, 1, 1, 1], None),
    ("QT-VH-02", "VB-102", "Thông báo lịch tiếp công dân của lãnh đạo phường",
     "Văn phòng HĐND và UBND", 12, [3, 1, 1, 1], None),
    ("QT-VH-02", "VB-103", "Báo cáo kết quả cải cách hành chính năm",
     "Phòng Kinh tế, Hạ tầng và Đô thị", 4, [2], "extend"),
]


def _back(calendar: WorkingCalendar, today: datetime.date, days: int) -> datetime.date:
    day = today
    while days:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


def add_demo(today: datetime.date) -> None:
    unit = Unit.objects.filter(code=UNIT).first()
    if unit is None or Procedure.objects.filter(unit=unit).exists():
        return
    people = get_user_model().objects.in_bulk(
        ["vh.manager", "vh.officer", "vh.leader"], field_name="username")
    manager, officer = people["vh.manager"], people["vh.officer"]
    calendar = WorkingCalendar()
    start = datetime.date(today.year - 1, 1, 1)
    procedures = {}
    for spec in (PETITIONS, DOCUMENTS):
        procedures[spec["code"]] = services.create_procedure(
            actor=manager, unit=unit, code=spec["code"], name=spec["name"], owner=manager,
            objectives=Target.objects.filter(unit=unit, code__in=spec["objectives"]),
            effective_from=start, steps=spec["steps"],
            note="Ban hành kèm theo Quyết định của Chủ tịch UBND phường")
    # Verification was allowed 10 working days; from 90 days ago, 8 (ISO review of the year).
    shorter = [dict(step) for step in PETITIONS["steps"]]
    shorter[1]["days"] = 8
    services.add_version(actor=manager, procedure=procedures["QT-VH-01"],
                         effective_from=today - datetime.timedelta(days=90), steps=shorter,
                         note="Rút ngắn thời hạn xác minh theo kết quả đánh giá nội bộ")
    for code, reference, subject, applicant, back, took, then in CASES:
        opened = _back(calendar, today, back)
        case = services.open_case(actor=officer, unit=unit, procedure=procedures[code],
                                  reference=reference, subject=subject, applicant=applicant,
                                  opened_on=opened, handler=officer)
        day = opened
        steps = list(case.steps.select_related("step").order_by("position"))
        for index, days in enumerate(took):
            day = calendar.add(day, days)
            actor = manager if steps[index].step.role == Role.MANAGER else officer
            following = steps[index + 1] if index + 1 < len(steps) else None
            receiver = (manager if following and following.step.role == Role.MANAGER
                        else officer)
            services.hand_over(actor=actor, case=case, expected_version=case.version,
                               to=receiver if following else None, on=min(day, today))
        if then == "suspend":
            services.suspend_case(
                actor=officer, case=case, expected_version=case.version,
                reason="Chờ công dân bổ sung ảnh chụp hiện trạng và xác nhận của tổ dân phố",
                on=_back(calendar, today, 2))
        elif then == "extend":
            services.extend_case(
                actor=manager, case=case, expected_version=case.version,
                reason="Chờ số liệu tổng hợp của các phòng, ban", days=3)
    add_findings(unit, manager, officer, procedures, today)


def add_findings(unit, manager, officer, procedures, today):
    """The year's internal audit: three checklist items, two findings raised as
    nonconformities, each with a corrective action (a task) under the program that carries the
    ISO 9001 target, both plans approved and their tasks issued."""
    program = Program.objects.filter(unit=unit, targets__code="VH-CT1-A06").first()
    auditor = get_user_model().objects.get(username="vh.leader")
    audit = services.plan_audit(
        actor=manager, unit=unit, year=today.year, auditor=auditor,
        title=f"Đánh giá nội bộ hệ thống quản lý chất lượng năm {today.year}",
        planned_on=today - datetime.timedelta(days=20),
        scope="Các quy trình tiếp nhận, xử lý đơn và ban hành văn bản của UBND phường",
        checks=[
            {"clause": "8.5.1", "procedure": procedures["QT-VH-01"],
             "criterion": "Đơn kiến nghị được xác minh trong thời hạn quy định"},
            {"clause": "7.5.3", "procedure": procedures["QT-VH-02"],
             "criterion": "Văn bản đi được đăng ký đủ số, ký hiệu trước khi phát hành"},
            {"clause": "9.1.2", "procedure": None,
             "criterion": "Ý kiến của người dân về sự phục vụ được thu thập hằng quý"},
        ])
    first, second, third = audit.checks.order_by("position")
    findings = [
        (first, "Đơn phản ánh ĐT-002 quá thời hạn xác minh 5 ngày làm việc",
         "Một công chức phụ trách xác minh cả ba tổ dân phố trong tháng cao điểm; chưa có "
         "người làm thay khi vắng", "Phân công công chức dự phòng xác minh đơn",
         "Quyết định phân công được ký, áp dụng từ tháng sau", 30),
        (second, "Sổ đăng ký văn bản đi thiếu số, ký hiệu của 4 văn bản trong tháng",
         "Phát hành văn bản ký số không qua bước đăng ký sổ",
         "Bổ sung bước đăng ký số văn bản vào quy trình ban hành văn bản",
         "Quy trình QT-VH-02 phiên bản mới được ban hành", 45),
    ]
    for check, note, *_plan in findings:
        services.record_check(actor=auditor, check=check, result="nonconforms", note=note)
    services.record_check(actor=auditor, check=third, result="conforms")
    audit.refresh_from_db()
    services.report_audit(actor=auditor, audit=audit, expected_version=audit.version,
                          conclusion="Hệ thống quản lý chất lượng được duy trì; 2 điểm không "
                          "phù hợp nhẹ cần khắc phục")
    for check, _note, cause, action, result, days in findings:
        check.refresh_from_db()
        item = check.nonconformity
        services.analyse_nonconformity(actor=officer, nonconformity=item,
                                       expected_version=item.version, severity="minor",
                                       root_cause=cause)
        services.add_corrective_action(
            actor=manager, nonconformity=item, title=action, owner=officer,
            deadline=today + datetime.timedelta(days=days), expected_result=result,
            program=program)
        item.refresh_from_db()
        services.submit_plan(actor=officer, nonconformity=item, expected_version=item.version)
        services.review_plan(actor=manager, nonconformity=item, expected_version=item.version,
                             approve=True, comment="Đồng ý, theo dõi trong quý tới")
