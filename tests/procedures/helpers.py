"""Procedures and cases for the tests, built through the services."""

import datetime

from sixclear.orgs.models import Role
from sixclear.procedures import services

PETITION_STEPS = [
    {"name": "Tiếp nhận đơn", "role": Role.OFFICER, "days": 1, "records": "Sổ tiếp nhận"},
    {"name": "Xác minh, đề xuất", "role": Role.OFFICER, "days": 5, "records": "Biên bản"},
    {"name": "Ký văn bản trả lời", "role": Role.MANAGER, "days": 2, "records": "Văn bản"},
]


def petition_procedure(world, unit=None, effective_from=datetime.date(2026, 1, 1), **fields):
    unit = unit or world.hoa_hoi
    return services.create_procedure(
        actor=world.hh_manager if unit == world.hoa_hoi else fields.pop("actor"),
        unit=unit, code=fields.pop("code", "QT-01"),
        name=fields.pop("name", "Giải quyết đơn thư kiến nghị của công dân"),
        effective_from=effective_from, steps=fields.pop("steps", PETITION_STEPS), **fields)


def open_case(world, procedure, opened_on, reference="ĐT-001", actor=None, **fields):
    return services.open_case(
        actor=actor or world.hh_officer, unit=fields.pop("unit", world.hoa_hoi),
        procedure=procedure, reference=reference, subject="Kiến nghị sửa đường thôn 3",
        applicant="Nguyễn Văn A", opened_on=opened_on, **fields)
