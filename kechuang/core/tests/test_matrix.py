"""The permission matrix covers every endpoint and list view, and catches what it should."""

import dataclasses

import pytest
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from config.urls import urlpatterns as site_urlpatterns
from kechuang.core.scoping import REGISTRY_READERS, Roles
from kechuang.core.testing.matrix import (
    MatrixSpec,
    api_list_endpoints,
    cases,
    declared_specs,
    ui_list_views,
)
from kechuang.regions.api.views import ZoneViewSet
from kechuang.regions.models import Zone

# The web UI's list pages named by the foundation issue.
UI_LIST_VIEWS = {
    "regions:division-list",
    "regions:zone-list",
    "orgs:organization-list",
    "orgs:enterprise-year-list",
    "orgs:qualification-list",
    "platforms:platform-list",
}


def test_every_api_list_endpoint_has_a_spec():
    endpoints = api_list_endpoints()
    assert {"api:division-list", "api:organization-list", "api:platform-list"} <= endpoints
    declared = {spec.api_list for spec in declared_specs() if spec.api}
    assert endpoints - declared == set(), "declare a MatrixSpec in <app>/tests/test_api.py"
    assert declared - endpoints == set(), "a MatrixSpec names an endpoint that does not exist"


def test_every_ui_list_view_has_a_spec():
    declared = {spec.ui_list for spec in declared_specs() if spec.ui_list}
    assert declared >= UI_LIST_VIEWS
    assert ui_list_views() - declared == set(), "declare a MatrixSpec in <app>/tests/test_api.py"


# A site with one more API endpoint, to show that a new endpoint is found without a spec.
_gadgets = SimpleRouter()
_gadgets.register("gadgets", ZoneViewSet, basename="gadget")
urlpatterns = [path("api/v2/", include((_gadgets.urls, "api"))), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_a_new_endpoint_without_a_spec_is_reported():
    declared = {spec.api_list for spec in declared_specs() if spec.api}
    assert api_list_endpoints() - declared == {"api:gadget-list"}


def test_spec_names_are_unique():
    names = [spec.name for spec in declared_specs()]
    assert len(names) == len(set(names))


def test_cases_cover_the_four_situations_for_every_role():
    spec = MatrixSpec(name="thing", make=lambda place: None, readers=REGISTRY_READERS, api="x")
    ids = [param.id for param in cases([spec])]
    assert ids[0] == "thing-api-anonymous"
    assert "thing-api-admin-in_scope" in ids and "thing-api-admin-out_of_scope" not in ids
    for role in (Roles.BUREAU, Roles.ZONE, Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.PROVIDER):
        assert f"thing-api-{role}-in_scope" in ids
        assert f"thing-api-{role}-out_of_scope" in ids
    assert "thing-api-expert-wrong_role" in ids
    assert "thing-api-commissioner-wrong_role" in ids
    assert len(ids) == 1 + 1 + 5 * 2 + 2


def _zone_spec(**changes):
    spec = next(s for s in declared_specs() if s.name == "zone")
    return dataclasses.replace(spec, **changes)


def _case(spec, role, situation):
    return next(
        p.values[0]
        for p in cases([spec])
        if p.values[0].surface == "api"
        and p.values[0].role == role
        and p.values[0].situation == situation
    )


@pytest.mark.django_db
def test_matrix_fails_when_out_of_scope_records_leak(client):
    # Zones are reference data; declared as scoped, the bureau's view of a zone in another city
    # is a leak the matrix must report.
    leaky = _zone_spec(reference=False)
    with pytest.raises(AssertionError, match="leaked"):
        _case(leaky, Roles.BUREAU, "out_of_scope").run(client)


@pytest.mark.django_db
def test_matrix_fails_when_a_wrong_role_can_read(client):
    strict = _zone_spec(readers=frozenset({Roles.ADMIN, Roles.BUREAU}))
    with pytest.raises(AssertionError):
        _case(strict, Roles.EXPERT, "wrong_role").run(client)


@pytest.mark.django_db
def test_matrix_fails_when_in_scope_records_are_missing(client):
    hidden = _zone_spec(make=lambda place: Zone(pk=10**9, name="未保存"))
    with pytest.raises(AssertionError, match="missing"):
        _case(hidden, Roles.BUREAU, "in_scope").run(client)
