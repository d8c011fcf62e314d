"""Errors say what happened, in the site's layout, without revealing what a person may not see."""

from django.test import Client
from django.urls import reverse


def test_a_refused_action_says_why(client, world, late_task):
    client.force_login(world.hh_viewer)
    response = client.post(reverse("tracking:report_progress", args=[late_task.pk]),
                           {"percent": 10, "narrative": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the task&#x27;s owner or a manager can report on it." in page
    assert 'class="primary-nav"' in page


def test_hidden_and_missing_pages_look_the_same(client, world, late_task):
    client.force_login(world.anb_officer)
    hidden = client.get(reverse("tracking:task", args=[late_task.pk]))
    missing = client.get(reverse("tracking:task", args=[late_task.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert "belongs to a unit you may not see" in hidden.content.decode()

    def main(response):
        page = response.content.decode()
        return page[page.index("<main"):page.index("</main>")]

    assert main(hidden) == main(missing)


def test_a_form_without_its_csrf_token_is_refused_clearly(world, late_task):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hh_officer)
    response = client.post(reverse("tracking:report_progress", args=[late_task.pk]),
                           {"percent": 10, "narrative": "x"})
    assert response.status_code == 403
    assert "reload the page and send it again" in response.content.decode()
