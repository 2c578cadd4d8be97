import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def divisions_loaded():
    """Transactional tests empty every table when they end, the migrated divisions too: a test
    that needs them after another transactional test asks for this fixture."""
    from kechuang.regions.models import Division
    from kechuang.regions.services import divisions_load

    if not Division.objects.exists():
        divisions_load()
