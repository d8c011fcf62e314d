"""Nothing internal reaches citizens: an unpublished task, a draft or unapproved value, an
obstacle, people's addresses appear on no portal page and in no download."""

import json
import re

import pytest
from django.urls import reverse

from sixclear.portal import opendata, services
from sixclear.portal.models import Rating
from tests.portal.conftest import DRAFT_TASK, DRAFT_VALUE, OBSTACLE, SECRET_TARGET, SECRET_TASK

PLANTED = [SECRET_TASK, DRAFT_TASK, OBSTACLE, SECRET_TARGET, "98765", "98,765", "98.765",
           "vh.officer@phuong.gov.vn", "vh.officer", "Đã số hóa 40 % hồ sơ."]
LINK = re.compile(r'href="(/portal/[^"#?]*(?:\?[^"#]*)?)"')


def crawl(client, start="/portal/"):
    """Every portal page reachable from the front page by links, and every download."""
    seen, queue, pages = set(), [start], {}
    while queue:
        url = queue.pop().replace("&amp;", "&")
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        pages[url] = body
        if response["Content-Type"].startswith("text/html"):
            queue.extend(link for link in LINK.findall(body) if link not in seen)
    return pages


def test_planted_secrets_appear_on_no_portal_page_and_in_no_download(client, world, vh,
                                                                      hh_result):
    # A citizen's approved comment is shown; a pending one never is.
    rating = Rating.objects.create(address=services._address("dan@example.org", "vi"),
                                   target=vh["target"], score=4, comment="Công khai rõ ràng",
                                   comment_state="approved", confirmed_at="2026-01-01T00:00Z")
    Rating.objects.create(address=services._address("x@example.org", "vi"), task=vh["task"],
                          score=1, comment="Bình luận chờ duyệt QQ-31",
                          comment_state="pending", confirmed_at="2026-01-01T00:00Z")
    pages = crawl(client, "/portal/?q=Vi%E1%BB%87t")
    pages.update(crawl(client))
    downloads = [reverse("portal:download", args=[name, fmt])
                 for name in opendata.DATASETS for fmt in ("csv", "json")]
    assert set(downloads) <= set(pages)  # the open data page links every download
    for url in [f"{url}?unit={world.viet_hung.pk}" for url in downloads]:
        pages[url] = client.get(url).content.decode("utf-8-sig")
    expected = {
        reverse("portal:unit", args=[world.viet_hung.pk]),
        reverse("portal:resolution", args=[vh["resolution"].pk]),
        reverse("portal:target", args=[vh["target"].pk]),
        reverse("portal:task", args=[vh["task"].pk]),
        reverse("portal:target", args=[hh_result.pk]),
        reverse("portal:open_data"),
    }
    assert expected <= set(pages), expected - set(pages)
    assert len(pages) >= len(expected) + len(downloads)
    for url, body in pages.items():
        for secret in PLANTED + ["Bình luận chờ duyệt QQ-31", "dan@example.org",
                                 "x@example.org"]:
            assert secret not in body, (secret, url)
    assert rating.comment in pages[reverse("portal:target", args=[vh["target"].pk])]
    # The approved value is there, so the check above is not vacuous.
    assert "1.150" in pages[reverse("portal:target", args=[vh["target"].pk])] or "1,150" in (
        pages[reverse("portal:target", args=[vh["target"].pk])])
    assert '"1150"' in pages[reverse("portal:download", args=["measurements", "json"])]


def test_unpublished_and_draft_items_answer_404(client, world, vh):
    for url in [
        reverse("portal:task", args=[vh["secret"].pk]),
        reverse("portal:task", args=[vh["draft"].pk]),
        reverse("portal:target", args=[vh["hidden_target"].pk]),
        reverse("portal:follow", args=["task", vh["secret"].pk]),
        reverse("portal:rate", args=["target", vh["hidden_target"].pk]),
    ]:
        response = client.get(url) if "follow" not in url and "rate" not in url else (
            client.post(url, {"email": "a@example.org", "score": "5"}))
        assert response.status_code == 404, url


def test_withdrawing_hides_at_once_even_from_the_page_cache(client, world, vh):
    url = reverse("portal:target", args=[vh["target"].pk])
    assert client.get(url).status_code == 200
    services.set_publication(actor=vh["manager"], item=vh["target"], published=False)
    assert client.get(url).status_code == 404
    unit_page = client.get(reverse("portal:unit", args=[world.viet_hung.pk])).content.decode()
    assert vh["target"].name not in unit_page
    data = json.loads(client.get(reverse("portal:download", args=["targets", "json"])).content)
    assert data["rows"] == []


def test_only_issued_or_done_tasks_count_even_when_the_unit_publishes_everything(
        client, world, vh):
    services.set_publishing_default(actor=vh["manager"], unit=world.viet_hung, publish=True,
                                    expected_version=0)
    page = client.get(reverse("portal:unit", args=[world.viet_hung.pk])).content.decode()
    assert SECRET_TASK in page  # issued and now public by the default
    assert DRAFT_TASK not in page
    assert client.get(reverse("portal:task", args=[vh["draft"].pk])).status_code == 404
    assert str(DRAFT_VALUE) not in client.get(
        reverse("portal:download", args=["measurements", "csv"])).content.decode()


@pytest.mark.parametrize("name", list(opendata.DATASETS))
def test_downloads_hold_no_private_column(name):
    for column in opendata.COLUMNS[name]:
        assert not re.search(r"email|phone|owner|obstacle|evidence|note|narrative|person",
                             column), column


def test_a_draft_resolution_is_not_on_the_portal_until_it_is_adopted(client, world):
    from sixclear.plans import services as plans_services
    from sixclear.portal import selectors
    from sixclear.portal.services import set_publication

    draft = plans_services.create_resolution(
        actor=world.vh_manager, unit=world.viet_hung, number="09-NQ/ĐU",
        title="Dự thảo nghị quyết chuyên đề", term_start=2025, term_end=2030)
    set_publication(actor=world.vh_manager, item=draft, published=True)
    assert not selectors.published_resolutions().filter(pk=draft.pk).exists()
    assert "Dự thảo nghị quyết chuyên đề" not in client.get("/portal/").content.decode()
    plans_services.update_resolution(
        actor=world.vh_manager, resolution=draft, expected_version=draft.version,
        status="adopted", adopted_on="2025-10-01")
    assert selectors.published_resolutions().filter(pk=draft.pk).exists()
