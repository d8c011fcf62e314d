"""The vendored htmx and Chart.js ship with their licences and survive the production storage."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_vendored_files_and_their_licences_are_found():
    for name in ["vendor/htmx/htmx.min.js", "vendor/htmx/LICENSE",
                 "vendor/chartjs/chart.umd.js", "vendor/chartjs/chart.umd.js.map",
                 "vendor/chartjs/LICENSE.md", "sixclear/sixclear.css",
                 "sixclear/target-chart.js"]:
        assert finders.find(name), name
    assert 'version:"2.0.' in Path(finders.find("vendor/htmx/htmx.min.js")).read_text()


def test_collectstatic_with_the_manifest_storage_used_in_production(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/chartjs/chart.umd.js.*.map"))


def test_the_stylesheet_mirrors_in_right_to_left():
    css = Path(finders.find("sixclear/sixclear.css")).read_text()
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right",
                     "text-align: left", "text-align: right", "float:", " left:", " right:"):
        assert physical not in css, physical
    assert "margin-inline-start" in css and "padding-inline" in css
    assert str(settings.MEDIA_ROOT) not in css
