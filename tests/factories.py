"""Factories for the domain, so each test states only what matters to it."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from sixclear.orgs.models import Membership, Role, Unit, UnitKind
from sixclear.plans.models import Program, ProgramKind, Resolution, Target, TargetKind
from sixclear.tracking.models import Task

_codes = itertools.count(1)


def make_unit(name, parent=None, kind=UnitKind.COMMUNE, code=None):
    """Units are tree nodes: treebeard, not a plain create, puts them in place."""
    fields = {"code": code or f"U{next(_codes):05d}", "name": name, "kind": kind}
    if parent is None:
        return Unit.objects.add_root(fields)
    return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), fields)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def person(unit, role, **fields):
    """A user holding `role` in `unit`."""
    user = UserFactory(**fields)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    number = factory.Sequence(lambda n: f"{n:02d}-NQ/ĐU")
    title = "Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2025–2030"
    term_start = 2025
    term_end = 2030


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    kind = ProgramKind.ACTION_PROGRAM
    number = factory.Sequence(lambda n: f"{n:02d}-CTr/ĐU")
    title = "Chương trình hành động"
    period_start = datetime.date(2025, 10, 1)
    period_end = datetime.date(2030, 12, 31)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = "Giá trị sản xuất tăng bình quân"
    kind = TargetKind.ANNUAL_GROWTH
    baseline_value = Decimal("100")
    baseline_year = 2025
    annual_rate = Decimal("21.7")
    target_year = 2030


class TaskFactory(factory.django.DjangoModelFactory):
    """A draft task with all six clears filled; pass owner=None etc. to leave a gap."""

    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    description = "Triển khai theo chương trình hành động."
    lead_unit = factory.SelfAttribute("unit")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    start_date = factory.LazyFunction(timezone.localdate)
    expected_result = "Báo cáo kết quả được phê duyệt"
    authority_body = "Ban Thường vụ Đảng ủy"


class World:
    """A small tree: Việt Nam › Gia Lai › (An Nhơn Bắc, Hòa Hội); Việt Nam › Hà Nội › Việt Hưng,
    with a manager, an officer and a leader where tests need them."""

    def __init__(self):
        self.country = make_unit("Việt Nam", kind=UnitKind.COUNTRY)
        self.gia_lai = make_unit("Gia Lai", self.country, UnitKind.PROVINCE)
        self.an_nhon_bac = make_unit("An Nhơn Bắc", self.gia_lai, UnitKind.WARD)
        self.hoa_hoi = make_unit("Hòa Hội", self.gia_lai, UnitKind.COMMUNE)
        self.ha_noi = make_unit("Hà Nội", self.country, UnitKind.PROVINCE)
        self.viet_hung = make_unit("Việt Hưng", self.ha_noi, UnitKind.WARD)
        self.economy_office = make_unit(
            "Phòng Kinh tế", self.hoa_hoi, UnitKind.DEPARTMENT
        )
        self.province_leader = person(self.gia_lai, Role.LEADER, username="gl.leader")
        self.hh_manager = person(self.hoa_hoi, Role.MANAGER, username="hh.manager")
        self.hh_officer = person(self.hoa_hoi, Role.OFFICER, username="hh.officer")
        self.hh_viewer = person(self.hoa_hoi, Role.VIEWER, username="hh.viewer")
        self.hh_leader = person(self.hoa_hoi, Role.LEADER, username="hh.leader")
        self.anb_officer = person(self.an_nhon_bac, Role.OFFICER, username="anb.officer")
        self.anb_manager = person(self.an_nhon_bac, Role.MANAGER, username="anb.manager")
        self.vh_manager = person(self.viet_hung, Role.MANAGER, username="vh.manager")
        self.outsider = UserFactory(username="outsider")
