"""The interface is complete in every language: Vietnamese, Arabic and English.

How to keep it so, whenever you add or change a translatable string:

1. ``make messages`` refreshes ``src/sixclear/locale/{vi,ar,en}/LC_MESSAGES/django.po`` and
   the catalogues of the apps that keep their own (``src/sixclear/<app>/locale/``: a string in
   an app with its own catalogue goes there). To refresh one app's catalogue only, run
   ``make messages APP=<app>``. New strings arrive with an empty msgstr;
   changed ones arrive marked ``#, fuzzy`` with a guessed translation.
2. Translate every new or fuzzy entry, then delete its ``#, fuzzy`` line:
   - ``vi``: the administrative register of Vietnamese government, with its usual terms
     (Nghị quyết, Chương trình hành động, Chỉ tiêu, Nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp,
     Thời hạn, Sản phẩm/kết quả đầu ra, Thẩm quyền phê duyệt, Báo cáo tiến độ, Khó khăn,
     vướng mắc, Minh chứng, Số liệu đo lường; the six clears are “rõ người, rõ việc,
     rõ thời gian, rõ trách nhiệm, rõ sản phẩm, rõ thẩm quyền”). One plural form.
   - ``ar``: formal Modern Standard Arabic; six plural forms (msgstr[0] … msgstr[5]).
   - ``en``: msgstr is the msgid itself (msgstr[0] = msgid, msgstr[1] = msgid_plural).
   Keep every placeholder exactly (``%(name)s``, ``{0}``, ``%s``, HTML tags); typographic
   quotes “ ” may become « » in Arabic. Look at the code that uses a string before translating
   it: one msgid may serve several fields (e.g. "position" is both a membership's post and an
   ordinal).
3. Check: ``cd src/sixclear && for l in vi ar en; do msgfmt -c --statistics -o /dev/null
   locale/$l/LC_MESSAGES/django.po; done`` must print only "N translated messages." (no
   untranslated, no fuzzy, no error), which is what the first tests below assert.
4. Compile with ``make translations`` (``make test`` and ``make run`` do it first): the
   runtime tests below read the compiled ``.mo`` files.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import sixclear

PACKAGE_DIR = Path(sixclear.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LOCALES = ("vi", "ar", "en")
EXPECTED_NPLURALS = {"vi": 1, "ar": 6, "en": 2}
# The main catalogue and those the apps keep for themselves.
CATALOGUE_DIRS = [LOCALE_DIR, *sorted(PACKAGE_DIR.glob("*/locale"))]
EVERY_CATALOGUE = [
    pytest.param(directory, language, id=f"{directory.parent.name}-{language}")
    for directory in CATALOGUE_DIRS
    for language in LOCALES
]


def catalogue(language, suffix="po", directory=LOCALE_DIR):
    return directory / language / "LC_MESSAGES" / f"django.{suffix}"


def msgfmt_statistics(po):
    """Run `msgfmt -c --statistics` on a catalogue, with its report in untranslated English."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed (Debian package gettext); cannot check catalogues")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("LANGUAGE", None)
    return subprocess.run(  # noqa: S603 - a fixed program on our own files
        [msgfmt, "-c", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.parametrize(("directory", "language"), EVERY_CATALOGUE)
def test_catalogue_is_valid_and_complete(directory, language):
    po = catalogue(language, directory=directory)
    assert po.is_file(), f"missing catalogue {po}; run `make messages`"
    result = msgfmt_statistics(po)
    report = result.stderr + result.stdout
    assert result.returncode == 0, f"msgfmt -c rejects {po}:\n{report}"
    assert "translated message" in report, report
    assert "untranslated" not in report, (
        f"{language}: strings without a translation; translate them ({po}):\n{report}"
    )
    assert "fuzzy" not in report, (
        f"{language}: fuzzy entries; check each, fix it and drop `#, fuzzy` ({po}):\n{report}"
    )


@pytest.mark.parametrize(("directory", "language"), EVERY_CATALOGUE)
def test_catalogue_header_names_its_language_and_plurals(directory, language):
    text = catalogue(language, directory=directory).read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    assert f'"Language: {language}\\n"' in header
    assert "charset=UTF-8" in header
    assert f"nplurals={EXPECTED_NPLURALS[language]};" in header
    assert "#, fuzzy" not in header


@pytest.fixture
def compiled():
    missing = [str(mo) for mo in (catalogue(lang, "mo") for lang in LOCALES) if not mo.is_file()]
    if missing:
        pytest.fail(
            "compiled catalogues are missing: " + ", ".join(missing)
            + "; run `make translations` (make test does it first)"
        )


@pytest.mark.django_db
def test_model_names_are_vietnamese(compiled):
    from sixclear.plans.models import Resolution, Target
    from sixclear.tracking.models import Task

    with translation.override("vi"):
        assert str(Task._meta.verbose_name) == "nhiệm vụ"
        assert str(Target._meta.verbose_name) == "chỉ tiêu"
        assert str(Resolution._meta.verbose_name) == "nghị quyết"
        assert str(Task._meta.get_field("lead_unit").verbose_name) == "đơn vị chủ trì"
        assert not translation.get_language_bidi()


@pytest.mark.django_db
def test_model_names_are_arabic_and_right_to_left(compiled):
    from sixclear.plans.models import Resolution, Target
    from sixclear.tracking.models import Task

    with translation.override("ar"):
        assert str(Task._meta.verbose_name) == "مهمة"
        assert str(Target._meta.verbose_name) == "مؤشر مستهدف"
        assert str(Resolution._meta.verbose_name) == "قرار"
        assert translation.get_language_bidi() is True


@pytest.mark.django_db
def test_english_is_the_source_text(compiled):
    from sixclear.tracking.models import Task

    with translation.override("en"):
        assert str(Task._meta.verbose_name) == "task"
        assert str(Task._meta.verbose_name_plural) == "tasks"
        assert not translation.get_language_bidi()
