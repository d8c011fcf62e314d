import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import ResolutionFactory, TargetFactory, TaskFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def pdf(name="biên bản.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def late_task(world):
    """An issued task of Hòa Hội, owned by its officer, three days late."""
    return TaskFactory(
        unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
        start_date=days(-30), deadline=days(-3), title="Khảo sát mặt bằng cụm công nghiệp",
    )


@pytest.fixture
def submitted_report(world, late_task):
    return services.report_progress(
        actor=world.hh_officer, task=late_task, percent=40, narrative="Đã khảo sát.",
        obstacles="Chưa giải phóng mặt bằng", files=[pdf()],
    )


@pytest.fixture
def resolution(world):
    return ResolutionFactory(unit=world.hoa_hoi)


@pytest.fixture
def target(world, resolution):
    return TargetFactory(unit=world.hoa_hoi, resolution=resolution,
                         responsible_person=world.hh_officer)


def signed_in(client, user):
    client.force_login(user)
    return client
