"""The demo's obstacles and meetings, written through the services: Hòa Hội's obstacles in
every state of the register, and Việt Hưng's monthly meeting of November 2026 (its time and
place, its agenda, decisions, the tasks it created, one kept as a draft by the six-clears gate)
and the December meeting that takes up what November did not reach and the conclusions not yet
done. The November meeting's conclusion notice is drafted from it on its page; it is signed by
the ward's secretary (vh.leader, the reports' designated signer) once `sixclear pki demo` has
given the demo's leaders their keys. Idempotent: a second build adds nothing."""

import datetime

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Unit
from sixclear.tracking.models import Task

from . import services
from .models import Decision, ItemKind, Meeting, MeetingKind, Obstacle, ObstacleState

# Hòa Hội: (task code, what blocks, help asked, state to reach, unit that must act, answer).
# Two more come from the commune's progress reports (the 14 households, the garment orders).
HOA_HOI = [
    ("HH-P1-T06", "Chưa có số liệu giá trị sản xuất ngành công nghiệp – xây dựng quý III/2026 "
     "để nhập vào cơ sở dữ liệu.", "Đề nghị Thống kê khu vực cung cấp số liệu quý III.",
     ObstacleState.OPEN, None, ""),
    ("HH-KH-T01", "Nhà đầu tư hỏi đơn giá thuê đất trong Khu công nghiệp Hòa Hội nhưng xã chưa "
     "có thông tin chính thức.", "Đề nghị Phòng Kinh tế cung cấp khung giá thuê đất.",
     ObstacleState.ANSWERED, "GL-HH-KT",
     "Phòng Kinh tế đã gửi khung giá thuê đất theo quyết định của UBND tỉnh; xã chuyển cho "
     "nhà đầu tư trong tuần."),
    ("HH-P1-T05", "Thiếu giáo viên dạy nghề may công nghiệp cho lớp đào tạo tháng 11.",
     "Đề nghị doanh nghiệp may trong khu công nghiệp cử thợ cả hướng dẫn.",
     ObstacleState.RESOLVED, "GL-HH-VP",
     "Doanh nghiệp may cử 2 thợ cả hướng dẫn thực hành; lớp khai giảng đúng kế hoạch."),
]
# The obstacles the reports raised: (task code, state to reach, unit that must act).
HOA_HOI_REPORTED = [
    ("HH-P1-T03", ObstacleState.ESCALATED, None),
    ("HH-KH-T02", ObstacleState.ASSIGNED, "GL-HH-KT"),
]

NOVEMBER = datetime.date(2026, 11, 26)
DECEMBER = datetime.date(2026, 12, 24)


def add_demo(today):
    people = get_user_model().objects.in_bulk(
        ["hh.manager", "hh.officer", "hh.leader", "vh.leader", "vh.manager", "vh.officer",
         "vh.officer2"], field_name="username")
    units = Unit.objects.in_bulk(["GL-HH", "GL-HH-KT", "GL-HH-VP", "HN-VH", "HN-VH-KT"],
                                 field_name="code")
    if len(people) < 7 or len(units) < 5:
        return
    hoa_hoi_obstacles(people, units)
    if today >= NOVEMBER:
        viet_hung_meetings(people, units, today)


def _task(unit, code):
    return Task.objects.filter(unit=unit, code=code).first()


def _drive(obstacle, state, must_act, answer, people):
    """Take a new obstacle to the state the demo shows, as the people concerned would."""
    if obstacle.state != ObstacleState.OPEN or state == ObstacleState.OPEN:
        return
    manager = people["hh.manager"]
    if state == ObstacleState.ESCALATED:
        services.escalate_obstacle(actor=manager, obstacle=obstacle,
                                   expected_version=obstacle.version)
        return
    services.route_obstacle(actor=manager, obstacle=obstacle, expected_version=obstacle.version,
                            must_act=must_act)
    if state in (ObstacleState.ANSWERED, ObstacleState.RESOLVED):
        services.answer_obstacle(actor=manager, obstacle=obstacle,
                                 expected_version=obstacle.version, answer=answer)
    if state == ObstacleState.RESOLVED:
        services.resolve_obstacle(actor=obstacle.reported_by, obstacle=obstacle,
                                  expected_version=obstacle.version)


def hoa_hoi_obstacles(people, units):
    commune = units["GL-HH"]
    for code, text, help_asked, state, must_act, answer in HOA_HOI:
        task = _task(commune, code)
        if task is None or Obstacle.objects.filter(task=task, description=text).exists():
            continue
        obstacle = services.raise_obstacle(actor=people["hh.officer"], task=task,
                                           description=text, help_asked=help_asked)
        _drive(obstacle, state, units.get(must_act), answer, people)
    for code, state, must_act in HOA_HOI_REPORTED:
        obstacle = Obstacle.objects.filter(task__unit=commune, task__code=code).order_by(
            "pk").first()
        if obstacle is not None:
            _drive(obstacle, state, units.get(must_act), "", people)


def viet_hung_meetings(people, units, today):
    ward = units["HN-VH"]
    if Meeting.objects.filter(unit=ward, kind=MeetingKind.MONTHLY, held_on=NOVEMBER).exists():
        return
    leader = people["vh.leader"]
    attendees = [people[name] for name in ("vh.manager", "vh.officer", "vh.officer2")]
    meeting = services.schedule_meeting(
        actor=leader, unit=ward, kind=MeetingKind.MONTHLY, held_on=NOVEMBER,
        title="Giao ban tháng 11/2026 của Thường trực Đảng ủy phường",
        topic="Tháo gỡ khó khăn, vướng mắc trong thực hiện 4 chương trình hành động toàn khóa.",
        attendees=attendees, starts_at=datetime.time(8, 0),
        place="Phòng họp tầng 2, trụ sở Đảng ủy phường Việt Hưng")
    for action in ("open", "start"):
        meeting = getattr(services, f"{action}_meeting")(
            actor=leader, meeting=meeting, expected_version=meeting.version)
    items = {item.task.code: item for item in meeting.items.filter(kind=ItemKind.OBSTACLE)
             .select_related("task")}
    deadline = max(today, NOVEMBER) + datetime.timedelta(days=25)
    poles = items.get("VH-P3-T01")
    if poles is not None:
        services.decide_item(
            actor=leader, item=poles, expected_version=poles.version, decision=Decision.RESOLVED,
            text="Giao Phòng Kinh tế, Hạ tầng và Đô thị chủ trì làm việc với Điện lực và doanh "
                 "nghiệp viễn thông, di dời 2 cột điện trong tháng 12/2026.",
            notes="Đồng chí Phó Chủ tịch UBND phường trực tiếp đôn đốc.")
        poles.refresh_from_db()
        services.create_item_task(
            actor=leader, item=poles,
            title="Di dời 2 cột điện vướng mặt bằng trên tuyến hạ ngầm cáp viễn thông",
            description="Làm việc với Điện lực và doanh nghiệp viễn thông, thống nhất phương án "
                        "và thời gian di dời 2 cột điện.",
            owner=people["vh.officer2"], lead_unit=units["HN-VH-KT"], deadline=deadline,
            expected_result="Biên bản bàn giao mặt bằng tại 2 vị trí cột điện",
            authority_body="Thường trực Đảng ủy phường")
    signatures = items.get("VH-P1-T02")
    if signatures is not None:
        services.decide_item(
            actor=leader, item=signatures, expected_version=signatures.version,
            decision=Decision.RESOLVED,
            text="Văn phòng lập danh sách 6 bí thư chi bộ, đề nghị Ban Cơ yếu cấp chữ ký số "
                 "cá nhân; trong khi chờ, văn bản của chi bộ được ký số qua tài khoản của "
                 "Văn phòng Đảng ủy.")
        signatures.refresh_from_db()
        # Decided in the room with the owner only: the gate keeps it as a draft until its
        # deadline, result and authority are given.
        services.create_item_task(
            actor=leader, item=signatures,
            title="Đề nghị cấp chữ ký số cá nhân cho 6 bí thư chi bộ tổ dân phố",
            owner=people["vh.officer"])
    city = items.get("VH-P1-T03")
    if city is not None:
        services.decide_item(actor=leader, item=city, expected_version=city.version,
                             decision=Decision.ESCALATED,
                             text="Đề nghị Thành phố mở kết nối dữ liệu hệ thống một cửa "
                                  "điện tử.")
    late = (meeting.items.filter(kind=ItemKind.TASK).first()
            or meeting.items.filter(kind=ItemKind.ROUTINE).first())
    if late is not None:
        services.decide_item(actor=leader, item=late, expected_version=late.version,
                             decision=Decision.NOTED,
                             notes="Chủ trì báo cáo nguyên nhân chậm tại giao ban tháng 12.")
    meeting.refresh_from_db()
    meeting = services.close_meeting(actor=leader, meeting=meeting,
                                     expected_version=meeting.version)
    for name in ("vh.manager", "vh.officer"):
        services.confirm_minutes(actor=people[name], meeting=meeting)
    if today >= DECEMBER - datetime.timedelta(days=30):
        services.schedule_meeting(
            actor=leader, unit=ward, kind=MeetingKind.MONTHLY, held_on=DECEMBER,
            title="Giao ban tháng 12/2026 của Thường trực Đảng ủy phường", attendees=attendees,
            starts_at=datetime.time(8, 0),
            place="Phòng họp tầng 2, trụ sở Đảng ủy phường Việt Hưng")
