"""The review pages: a unit's snapshots, one snapshot, two compared; who sees them."""

import datetime

import pytest
from django.urls import reverse

from sixclear.periods import Period
from sixclear.snapshots import services
from sixclear.snapshots.models import Snapshot
from sixclear.tracking.models import Task

from .conftest import AFTER_Q3, Q3, at, change_in_q4

pytestmark = pytest.mark.django_db
Q4 = Period("quarter", 2026, 4)


@pytest.fixture
def frozen(world, q3, no_seal_key):
    with at(AFTER_Q3):
        services.take_snapshots(Q3)
    change_in_q4(world, q3)
    with at(datetime.date(2027, 1, 3)):
        services.take_snapshots(Q4)
    return {
        "q3": Snapshot.objects.get(unit=world.hoa_hoi, period_number=3),
        "q4": Snapshot.objects.get(unit=world.hoa_hoi, period_number=4),
    }


def pages(world, frozen):
    hoa_hoi = world.hoa_hoi.pk
    return [
        reverse("snapshots:unit", args=[hoa_hoi]),
        reverse("snapshots:snapshot", args=[frozen["q3"].pk]),
        reverse("snapshots:content", args=[frozen["q3"].pk]),
        reverse("snapshots:compare", args=[hoa_hoi]) + f"?a={frozen['q3'].pk}&b={frozen['q4'].pk}",
    ]


@pytest.mark.parametrize("who, status", [
    ("hh_viewer", 200),  # own unit, the lowest role
    ("hh_manager", 200),
    ("province_leader", 200),  # the unit above
    ("anb_manager", 404),  # a sibling commune
    ("vh_manager", 404),  # another province
    ("outsider", 404),
])
def test_who_sees_a_units_reviews(client, world, frozen, who, status):
    client.force_login(getattr(world, who))
    for url in pages(world, frozen):
        assert client.get(url).status_code == status, url


def test_anonymous_people_are_sent_to_sign_in(client, world, frozen):
    for url in pages(world, frozen):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_a_snapshot_page_links_to_its_records(client, world, q3, frozen):
    client.force_login(world.hh_manager)
    response = client.get(reverse("snapshots:snapshot", args=[frozen["q3"].pk]))
    html = response.content.decode()
    assert reverse("plans:target", args=[q3["target"].pk]) in html
    assert reverse("tracking:task", args=[q3["late"].pk]) in html
    assert "Thiếu vốn đối ứng" in html
    # The obstacle links to its record in the register, with its state then.
    obstacle = q3["stuck"].obstacle_records.get()
    assert reverse("meetings:obstacle", args=[obstacle.pk]) in html
    [row] = response.context["data"]["obstacles"]
    assert row["state_label"] == "Open" and row["days_open"] == 10
    download = client.get(reverse("snapshots:content", args=[frozen["q3"].pk]))
    assert download.content.decode() == frozen["q3"].content


def test_the_comparison_names_what_improved_and_what_slipped(client, world, q3, frozen):
    client.force_login(world.hh_manager)
    url = reverse("snapshots:compare", args=[world.hoa_hoi.pk])
    # Either order: the earlier period is always on the left.
    response = client.get(f"{url}?a={frozen['q4'].pk}&b={frozen['q3'].pk}")
    comparison = response.context["comparison"]
    assert comparison.earlier == frozen["q3"]
    improved = {(c.kind, c.code) for c in comparison.improved}
    assert ("task", "NV-01") in improved  # late, then done
    assert ("target", "CT-01") in improved  # off track, then on track
    assert comparison.slipped == []
    html = response.content.decode()
    assert reverse("tracking:task", args=[q3["late"].pk]) in html
    # A snapshot of another unit is not a choice here.
    other = Snapshot.objects.get(unit=world.an_nhon_bac, period_number=3)
    assert client.get(f"{url}?a={other.pk}&b={frozen['q3'].pk}").status_code == 404


def test_a_task_slipping_shows_as_slipped(client, world, q3, no_seal_key):
    with at(AFTER_Q3):
        services.take_snapshots(Q3)
    Task.objects.filter(pk=q3["stuck"].pk).update(deadline=datetime.date(2026, 10, 10))
    from sixclear.monitoring.engine import run_scan

    with at(datetime.date(2026, 11, 20)):
        run_scan(datetime.date(2026, 11, 20))
    with at(datetime.date(2027, 1, 3)):
        services.take_snapshots(Q4, unit=world.hoa_hoi)
    client.force_login(world.hh_manager)
    q3_snap = Snapshot.objects.get(unit=world.hoa_hoi, period_number=3)
    q4_snap = Snapshot.objects.get(unit=world.hoa_hoi, period_number=4)
    response = client.get(reverse("snapshots:compare", args=[world.hoa_hoi.pk])
                          + f"?a={q3_snap.pk}&b={q4_snap.pk}")
    assert ("task", "NV-02") in {(c.kind, c.code) for c in response.context["comparison"].slipped}


def test_the_list_of_snapshots_reads_in_few_queries(client, world, q3, no_seal_key,
                                                    django_assert_max_num_queries):
    for month in range(1, 10):
        with at(datetime.date(2026, 10, 2)):
            services.take_snapshots(Period("month", 2026, month), unit=world.hoa_hoi)
    client.force_login(world.hh_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("snapshots:unit", args=[world.hoa_hoi.pk]))
    assert len(response.context["snapshots"]) == 9


def test_the_mid_term_review_proposes_re_baselining(client, world, q3, no_seal_key):
    with at(datetime.date(2028, 1, 3)):
        services.take_snapshots(Period("midterm", 2025, 2030), unit=world.hoa_hoi)
    snapshot = Snapshot.objects.get(unit=world.hoa_hoi, period_kind="midterm")
    client.force_login(world.hh_manager)
    response = client.get(reverse("snapshots:snapshot", args=[snapshot.pk]))
    [row] = response.context["rebaseline"]
    assert row["code"] == "CT-01" and row["may_ask"]
    assert (reverse("plans:target", args=[q3["target"].pk]) + "#change-form"
            in response.content.decode())
    client.force_login(world.hh_viewer)
    response = client.get(reverse("snapshots:snapshot", args=[snapshot.pk]))
    assert not response.context["rebaseline"][0]["may_ask"]
    assert "#change-form" not in response.content.decode()


def test_a_province_compares_its_communes(client, world, frozen):
    client.force_login(world.province_leader)
    earlier = Snapshot.objects.get(unit=world.gia_lai, period_number=3)
    later = Snapshot.objects.get(unit=world.gia_lai, period_number=4)
    response = client.get(reverse("snapshots:compare", args=[world.gia_lai.pk])
                          + f"?a={earlier.pk}&b={later.pk}")
    rows = {row.unit.name: row for row in response.context["comparison"].branches}
    assert rows["Hòa Hội"].improved and not rows["Hòa Hội"].slipped
    assert dict((name, (a, b)) for name, a, b in rows["Hòa Hội"].figures)["late"] == (1, 0)
    assert not rows["An Nhơn Bắc"].improved and not rows["An Nhơn Bắc"].slipped
    assert reverse("snapshots:unit", args=[world.hoa_hoi.pk]) in response.content.decode()


@pytest.mark.parametrize("language, words", [
    ("vi", ["Sơ kết, tổng kết định kỳ", "Khó khăn, vướng mắc chưa được giải quyết",
            "Tính toàn vẹn"]),
    ("ar", ["المراجعات الدورية", "الصعوبات القائمة", 'dir="rtl"']),
    ("en", ["Periodic reviews", "Open obstacles", "Off track"]),
])
def test_the_snapshot_page_in_every_language(client, world, frozen, language, words):
    client.force_login(world.hh_manager)
    html = client.get(reverse("snapshots:snapshot", args=[frozen["q3"].pk]),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in html, word


def test_the_admin_shows_snapshots_and_writes_review_kinds_through_the_service(
        client, world, q3, frozen):
    from tests.factories import UserFactory

    chief = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(chief)
    for model in ("snapshot", "snapshotseal"):
        assert client.get(f"/admin/snapshots/{model}/").status_code == 200
        assert client.get(f"/admin/snapshots/{model}/add/").status_code == 403
    assert client.get(f"/admin/snapshots/snapshot/{frozen['q3'].pk}/change/").status_code == 200
    response = client.post("/admin/snapshots/reviewkinds/add/", {
        "resolution": q3["resolution"].pk, "kinds": ["quarter", "midterm"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert q3["resolution"].review_kinds.kinds == ["quarter", "midterm"]


def test_numbers_and_dates_follow_the_language(client, world, frozen, q3):
    Snapshot.objects.filter(pk=frozen["q3"].pk).update(
        content=frozen["q3"].content.replace('"actual":"110"', '"actual":"1234.5"'))
    client.force_login(world.hh_manager)
    url = reverse("snapshots:snapshot", args=[frozen["q3"].pk])
    assert "1.234,5" in client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "1,234.5" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_unit_page_leads_to_its_reviews(client, world):
    client.force_login(world.hh_manager)
    html = client.get(reverse("orgs:unit", args=[world.hoa_hoi.pk])).content.decode()
    assert reverse("snapshots:unit", args=[world.hoa_hoi.pk]) in html


def test_a_snapshot_taken_before_the_register_still_reads(client, world, q3, frozen):
    """Schema 1 froze the scan's flag and the latest report's words: its page and the review
    of its period read them as they are."""
    import json

    from sixclear.snapshots import canonical, selectors

    data = json.loads(frozen["q3"].content)
    data["schema"] = 1
    data["obstacles"] = [{"task": q3["stuck"].pk, "code": "NV-02", "title": "Xây dựng chợ",
                          "text": "Thiếu vốn đối ứng", "reported_on": "2026-09-20"}]
    text = canonical.dumps(data)
    Snapshot.objects.filter(pk=frozen["q3"].pk).update(content=text,
                                                       sha256=canonical.sha256(text))
    client.force_login(world.hh_manager)
    response = client.get(reverse("snapshots:snapshot", args=[frozen["q3"].pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "Thiếu vốn đối ứng" in html
    assert reverse("tracking:task", args=[q3["stuck"].pk]) in html and "/obstacles/" not in html
    review = selectors.frozen_review(world.hoa_hoi, Q3, today=datetime.date(2027, 1, 3))
    assert [row["text"] for row in review.obstacles] == ["Thiếu vốn đối ứng"]
