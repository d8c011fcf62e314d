"""Evidence files are served only to people who may see the task, as downloads."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.fixture
def evidence(submitted_report):
    return submitted_report.evidence.get()


@pytest.mark.parametrize("who", ["hh_officer", "hh_viewer", "hh_manager", "province_leader"])
def test_people_who_see_the_task_download_its_evidence(client, world, evidence, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("tracking:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bi%C3%AAn_b%E1%BA%A3n.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["anb_officer", "vh_manager", "outsider"])
def test_others_get_not_found(client, world, evidence, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("tracking:evidence", args=[evidence.pk])).status_code == 404


def test_anonymous_people_must_sign_in(client, evidence):
    response = client.get(reverse("tracking:evidence", args=[evidence.pk]))
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_the_media_folder_is_never_served_directly(client, world, evidence):
    client.force_login(world.hh_officer)
    assert client.get(settings.MEDIA_URL + evidence.file.name).status_code == 404
    assert client.get("/static/" + evidence.file.name).status_code == 404
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_a_missing_file_is_not_found_rather_than_an_error(client, world, evidence):
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(world.hh_officer)
    assert client.get(reverse("tracking:evidence", args=[evidence.pk])).status_code == 404
