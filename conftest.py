import pytest
from rest_framework.test import APIClient

from kechuang.core.testing.browser import browser_page  # noqa: F401 - the browser tests' page


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def divisions_loaded():
    """The GB/T 2260 divisions, loaded again if a transactional test emptied the tables."""
    from kechuang.regions.models import Division
    from kechuang.regions.services import divisions_load

    if not Division.objects.exists():
        divisions_load()


@pytest.fixture(autouse=True)
def _divisions_in_transactional_tests(request):
    """A transactional test (``transaction=True``, live_server) empties every table when it
    ends, the divisions that the migration loaded too; the next one gets them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        request.getfixturevalue("divisions_loaded")


@pytest.fixture(autouse=True)
def _matching_indexes(tmp_path_factory, settings):
    """Each test gets its own technology-market search indexes (the database is new too)."""
    settings.MATCHING_INDEX_DIR = tmp_path_factory.mktemp("matching")
