"""The evaluation's part of the demo.

Something finished to look at: Việt Hưng's round of its two offices for 2025, opened by the
ward's administrator, each office's self-assessment handed over by its head, reviewed by the
ward's secretary (one point lowered with its reason), decided and closed, so its grades, ranks,
explanations and title proposals are there (the portal's part of the demo publishes its
league; the reports' part signs its decision on grades once `sixclear pki demo` has given the
secretary a key).

And the year under way, 2026: the rounds of Gia Lai's communes (Hòa Hội has handed its
self-assessment to the province, An Nhơn Bắc is still writing its own), of Hòa Hội's party
cells and of Việt Hưng's offices (the office has handed its own over and the secretary has
adjusted one of its points with a reason, not decided yet; the other office is still writing).

Idempotent: each step is taken only when the round or subject has not got that far yet.
"""

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Unit

from . import services
from .models import Level, Round, RoundStatus, SubjectState

CLOSED_YEAR = 2025
ROUNDS = [  # (deciding unit, level, who opens it: an administrator there or the superuser)
    ("GL", Level.PARTY_COMMITTEE, "admin"),
    ("GL-HH", Level.PARTY_CELL, "hh.admin"),
    ("HN-VH", Level.DEPARTMENT, "admin"),
]
# (deciding unit, level, subject unit, who writes it, general points, comment, hand over)
SELF_ASSESSMENTS = [
    ("GL", Level.PARTY_COMMITTEE, "GL-HH", "hh.leader", "27",
     "Đảng ủy xã lãnh đạo hoàn thành các nhiệm vụ trọng tâm năm 2026; còn một số nhiệm vụ "
     "chậm tiến độ do ảnh hưởng của mưa bão.", True),
    ("GL", Level.PARTY_COMMITTEE, "GL-ANB", "anb.leader", "28",
     "Đang tổng hợp kết quả lãnh đạo thực hiện Nghị quyết Đại hội năm 2026.", False),
    ("HN-VH", Level.DEPARTMENT, "HN-VH-VP", "vh.vp.head", "28",
     "Văn phòng tham mưu ban hành 4 chương trình hành động toàn khóa ngay sau Đại hội; bộ "
     "phận một cửa vận hành ổn định, còn chờ Thành phố kết nối dữ liệu.", True),
]
# The review under way in 2026: (deciding unit, level, subject unit, criterion, points, reason)
ADJUSTMENTS = [
    ("HN-VH", Level.DEPARTMENT, "HN-VH-VP", "TC", "26",
     "Việc số hóa hồ sơ một cửa còn chậm so với kế hoạch; đề nghị Văn phòng bổ sung lộ trình "
     "trước khi quyết định xếp loại."),
]

# The closed 2025 round of Việt Hưng's offices.
CLOSED = {
    "unit": "HN-VH", "level": Level.DEPARTMENT, "opened_by": "vh.admin",
    "reviewer": "vh.leader",
    # subject unit: (its head, general points, self-assessment, proposed grade)
    "self": {
        "HN-VH-VP": ("vh.vp.head", "28",
                     "Văn phòng tham mưu tổ chức thành công Đại hội Đảng bộ phường lần thứ I, "
                     "nhiệm kỳ 2025–2030, và sắp xếp bộ máy sau khi phường mới đi vào hoạt "
                     "động.", "excellent"),
        "HN-VH-KT": ("vh.kt.head", "27",
                     "Phòng hoàn thành bàn giao hồ sơ đất đai, xây dựng từ các phường cũ; còn "
                     "một số hồ sơ chưa số hóa.", "good"),
    },
    # subject unit: (criterion, points decided, reason)
    "adjust": {
        "HN-VH-KT": ("TC", "25", "Hồ sơ đất đai bàn giao từ các phường cũ chưa được rà soát "
                                 "đủ theo kế hoạch tháng 11/2025 của UBND phường."),
    },
}


def _people(names):
    return {user.username: user for user in get_user_model().objects.filter(
        username__in=names)}


def add_demo(today):
    year = 2026 if today.year >= 2026 else today.year
    if today.year > CLOSED_YEAR:
        close_last_year()
    names = ({row[2] for row in ROUNDS} | {row[3] for row in SELF_ASSESSMENTS}
             | {CLOSED["reviewer"]})
    people = _people(names)
    units = {unit.code: unit for unit in Unit.objects.filter(
        code__in={row[0] for row in ROUNDS} | {row[2] for row in SELF_ASSESSMENTS})}
    for code, level, who in ROUNDS:
        unit, actor = units.get(code), people.get(who)
        if unit is None or actor is None:
            continue
        if not Round.objects.filter(unit=unit, year=year, level=level).exists():
            services.open_round(actor=actor, unit=unit, year=year, level=level)
    for code, level, subject_code, who, points, comment, hand_over in SELF_ASSESSMENTS:
        subject = _subject(code, year, level, subject_code)
        if subject is None or people.get(who) is None or subject.self_comment:
            continue
        services.save_self_assessment(
            actor=people[who], subject=subject, expected_version=subject.version,
            comment=comment, proposed_grade="good", scores={"TC": (points, "")},
            submit=hand_over)
    reviewer = people.get(CLOSED["reviewer"])
    for code, level, subject_code, criterion, points, reason in ADJUSTMENTS:
        subject = _subject(code, year, level, subject_code)
        if (subject is None or reviewer is None or subject.state != SubjectState.SUBMITTED
                or subject.lines.filter(review_points__isnull=False).exists()):
            continue
        services.review_subject(actor=reviewer, subject=subject,
                                expected_version=subject.version,
                                adjustments={criterion: (points, reason)})


def _subject(code, year, level, subject_code):
    round_ = Round.objects.filter(unit__code=code, year=year, level=level).first()
    return round_.subjects.filter(unit__code=subject_code).first() if round_ else None


def closed_round():
    """The demo's closed round (Việt Hưng's offices, 2025), if it has been built."""
    return Round.objects.filter(unit__code=CLOSED["unit"], year=CLOSED_YEAR,
                                level=CLOSED["level"], status=RoundStatus.CLOSED).first()


def close_last_year():
    """Việt Hưng's offices' 2025 round taken to its end, as the people involved would."""
    heads = {head for head, *_rest in CLOSED["self"].values()}
    people = _people(heads | {CLOSED["opened_by"], CLOSED["reviewer"]})
    unit = Unit.objects.filter(code=CLOSED["unit"]).first()
    if unit is None or len(people) != len(heads) + 2:
        return
    round_ = Round.objects.filter(unit=unit, year=CLOSED_YEAR, level=CLOSED["level"]).first()
    if round_ is None:
        round_ = services.open_round(actor=people[CLOSED["opened_by"]], unit=unit,
                                     year=CLOSED_YEAR, level=CLOSED["level"])
    if round_.status == RoundStatus.CLOSED:
        return
    reviewer = people[CLOSED["reviewer"]]
    for subject in round_.subjects.select_related("unit"):
        head, points, comment, grade = CLOSED["self"].get(subject.unit.code, (None,) * 4)
        if subject.state == SubjectState.DRAFT and head is not None:
            subject = services.save_self_assessment(
                actor=people[head], subject=subject, expected_version=subject.version,
                comment=comment, proposed_grade=grade, scores={"TC": (points, "")},
                submit=True)
        if subject.state == SubjectState.SUBMITTED:
            criterion, decided, reason = CLOSED["adjust"].get(subject.unit.code, (None,) * 3)
            services.review_subject(
                actor=reviewer, subject=subject, expected_version=subject.version,
                adjustments={criterion: (decided, reason)} if criterion else None,
                decide=True)
    round_.refresh_from_db()
    if not round_.subjects.exclude(state=SubjectState.DECIDED).exists():
        services.close_round(actor=reviewer, round=round_, expected_version=round_.version)
