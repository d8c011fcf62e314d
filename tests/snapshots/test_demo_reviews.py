"""The demo freezes its last month and quarter for every unit, once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from sixclear.orgs.models import Unit
from sixclear.snapshots.demo import add_demo
from sixclear.snapshots.models import Snapshot

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_has_reviews_to_open_and_compare():
    call_command("demo", stdout=StringIO())
    viet_hung = Unit.objects.get(code="HN-VH")
    assert set(Snapshot.objects.filter(unit=viet_hung).values_list("period_kind", flat=True)) \
        == {"month", "quarter"}
    assert Snapshot.objects.count() == 2 * Unit.objects.count()
    before = dict(Snapshot.objects.values_list("pk", "sha256"))
    add_demo(timezone.localdate())
    assert dict(Snapshot.objects.values_list("pk", "sha256")) == before
