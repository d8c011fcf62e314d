from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.tracking import services
from sixclear.tracking.models import ReviewStatus
from sixclear.tracking.selectors import measurements_awaiting_review
from tests.factories import TargetFactory


@pytest.fixture
def target(world):
    return TargetFactory(unit=world.hoa_hoi, responsible_person=world.hh_officer)


def test_responsible_person_reports_a_value_and_a_manager_approves_it(world, target):
    value = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=Decimal("115"), source="Chi cục Thống kê")
    assert value.status == ReviewStatus.SUBMITTED
    assert value in measurements_awaiting_review(world.hh_manager)
    assert value not in measurements_awaiting_review(world.anb_manager)
    services.review_measurement(actor=world.hh_manager, measurement=value,
                                expected_version=value.version, approve=True)
    value.refresh_from_db()
    assert (value.status, value.reviewed_by) == (ReviewStatus.APPROVED, world.hh_manager)


def test_a_submitted_value_cannot_be_overwritten_until_returned(world, target):
    first = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=Decimal("115"))
    with pytest.raises(ValidationError, match="already submitted"):
        services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                    value=Decimal("120"))
    services.review_measurement(actor=world.hh_manager, measurement=first,
                                expected_version=first.version, approve=False,
                                comment="Số liệu chưa khớp với Chi cục Thống kê")
    corrected = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                            value=Decimal("118"))
    assert corrected.pk == first.pk and corrected.value == Decimal("118")
    assert corrected.status == ReviewStatus.SUBMITTED


def test_periods_and_years_are_checked(world, target):
    with pytest.raises(ValidationError) as failure:
        services.record_measurement(actor=world.hh_officer, target=target, year=2040,
                                    value=1, period_kind="quarter", period_number=5)
    assert set(failure.value.message_dict) == {"year", "period_number"}


def test_quarterly_values_are_separate_from_the_year(world, target):
    services.record_measurement(actor=world.hh_officer, target=target, year=2026, value=1,
                                period_kind="quarter", period_number=1)
    services.record_measurement(actor=world.hh_officer, target=target, year=2026, value=4)
    assert target.measurements.count() == 2


def test_strangers_cannot_report_or_approve(world, target):
    with pytest.raises(PermissionDenied):
        services.record_measurement(actor=world.anb_officer, target=target, year=2026, value=1)
    value = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=1)
    with pytest.raises(PermissionDenied):
        services.review_measurement(actor=world.anb_manager, measurement=value,
                                    expected_version=value.version, approve=True)
    with pytest.raises(PermissionDenied):
        services.review_measurement(actor=world.hh_officer, measurement=value,
                                    expected_version=value.version, approve=True)
