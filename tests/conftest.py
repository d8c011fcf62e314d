import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture(autouse=True)
def _no_kept_figures_between_tests():
    """The default cache keeps dashboards' figures under their unit's id and stamp; a test's
    ids and versions may be another's again (rolled back), so each test starts empty."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (the middleware activates the
    person's choice); the next test starts in the settings' language, whatever ran before."""
    yield
    translation.deactivate()
