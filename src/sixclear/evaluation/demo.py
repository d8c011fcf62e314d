"""The evaluation's part of the demo: the 2026 rounds of Gia Lai's communes (Hòa Hội has handed
its self-assessment to the province, An Nhơn Bắc is still writing its own), of Hòa Hội's party
cells and of Việt Hưng's departments. Idempotent: a round that exists is left as it is."""

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Unit

from . import services
from .models import Level, Round

ROUNDS = [  # (deciding unit, level, who opens it: an administrator there or the superuser)
    ("GL", Level.PARTY_COMMITTEE, "admin"),
    ("GL-HH", Level.PARTY_CELL, "hh.admin"),
    ("HN-VH", Level.DEPARTMENT, "admin"),
]
SELF_ASSESSMENTS = [  # (deciding unit, subject unit, who writes it, points, comment, hand over)
    ("GL", "GL-HH", "hh.leader", "27",
     "Đảng ủy xã lãnh đạo hoàn thành các nhiệm vụ trọng tâm năm 2026; còn một số nhiệm vụ "
     "chậm tiến độ do ảnh hưởng của mưa bão.", True),
    ("GL", "GL-ANB", "anb.leader", "28",
     "Đang tổng hợp kết quả lãnh đạo thực hiện Nghị quyết Đại hội năm 2026.", False),
]


def add_demo(today):
    year = 2026 if today.year >= 2026 else today.year
    people = {user.username: user for user in get_user_model().objects.filter(
        username__in={who for *_rest, who in ROUNDS} | {row[2] for row in SELF_ASSESSMENTS})}
    units = {unit.code: unit for unit in Unit.objects.filter(
        code__in={row[0] for row in ROUNDS} | {row[1] for row in SELF_ASSESSMENTS})}
    for code, level, who in ROUNDS:
        unit, actor = units.get(code), people.get(who)
        if unit is None or actor is None:
            continue
        if not Round.objects.filter(unit=unit, year=year, level=level).exists():
            services.open_round(actor=actor, unit=unit, year=year, level=level)
    for code, subject_code, who, points, comment, hand_over in SELF_ASSESSMENTS:
        round_ = Round.objects.filter(unit__code=code, year=year,
                                      level=Level.PARTY_COMMITTEE).first()
        subject = round_.subjects.filter(unit__code=subject_code).first() if round_ else None
        if subject is None or people.get(who) is None or subject.self_comment:
            continue
        services.save_self_assessment(
            actor=people[who], subject=subject, expected_version=subject.version,
            comment=comment, proposed_grade="good", scores={"TC": (points, "")},
            submit=hand_over)
