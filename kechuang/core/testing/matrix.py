"""The generated permission matrix (after NetBox's): every list endpoint × every role.

An app declares, in ``<app>/tests/test_api.py``, a module-level ``MATRIX`` list of
:class:`MatrixSpec` — how to build a record at a :class:`Place`, which roles read it, and the
API basename and UI URL names that list it — and parametrizes one test over ``cases(MATRIX)``::

    MATRIX = [
        MatrixSpec(
            name="platform",
            make=lambda place: PlatformFactory(host=place.organization, zone=place.zone),
            readers=REGISTRY_READERS,
            api="platform",
            ui_list="platforms:platform-list",
            ui_detail="platforms:platform-detail",
        ),
    ]

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", cases(MATRIX))
    def test_permission_matrix(case, client):
        case.run(client)

Each spec yields, for the API and for the UI, the four cases: anonymous (API 401/403, UI redirect
to the login page), in scope (the list contains the record, its detail answers 200), out of scope
(absent from the list, detail 404 — never 403) and wrong role (403). Reference data
(``reference=True``) is visible to every reader whatever their scope.

``api_list_endpoints()`` walks the API's URL resolver and ``ui_list_views()`` the site's, so that
``kechuang/core/tests/test_matrix.py`` fails when an endpoint or list view has no spec.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, ZoneFactory, user_with_role

API_NAMESPACE = "api"
CITY = "340400"  # 淮南市: the bureau user's division
COUNTY = "340421"  # 凤台县, in 淮南市
FAR_COUNTY = "340102"  # 瑶海区, in 合肥市: outside the bureau user's division
ROLE_ORDER = [r.value for r in Roles]


@dataclass(frozen=True)
class Place:
    """Where a record lives: a county, a zone in it and an organization in both."""

    division_code: str
    zone: Any
    organization: Any


@dataclass(frozen=True)
class World:
    """Three places: ``inside`` every scoped user's scope; ``sibling`` shares its county but not
    its zone or organization; ``far`` lies in another city."""

    inside: Place
    sibling: Place
    far: Place


def build_world() -> World:
    def place(division_code: str) -> Place:
        zone = ZoneFactory(division_code=division_code)
        organization = OrganizationFactory(division_code=division_code, zone=zone)
        return Place(division_code, zone, organization)

    return World(inside=place(COUNTY), sibling=place(COUNTY), far=place(FAR_COUNTY))


# Which place lies outside each role's scope (None: the role sees everything).
OUTSIDE = {
    Roles.ADMIN: None,
    Roles.BUREAU: "far",
    Roles.ZONE: "sibling",
    Roles.ENTERPRISE: "sibling",
    Roles.UNIVERSITY: "sibling",
    Roles.PROVIDER: "sibling",
    Roles.EXPERT: "sibling",
    Roles.COMMISSIONER: "sibling",
}


def user_for(role: str, world: World):
    """A user of ``role`` whose scope holds ``world.inside`` (bureau: the whole city)."""
    return user_with_role(
        role,
        division_code=CITY if role == Roles.BUREAU else "",
        zone=world.inside.zone,
        organization=world.inside.organization,
    )


@dataclass(frozen=True)
class MatrixSpec:
    """How the matrix reaches one kind of record.

    ``make(place)`` returns a record located at ``place`` (creating it if needed). ``api`` is the
    router basename (``api:<api>-list`` / ``api:<api>-detail``); ``ui_list`` / ``ui_detail`` are
    URL names of the web UI. ``narrow(record)`` gives list query parameters that bring the record
    onto the first page of a long list (e.g. divisions). ``api_key`` names the field of an API
    result that holds ``record.pk``.
    """

    name: str
    make: Callable[[Place], models.Model]
    readers: frozenset[str]
    api: str | None = None
    ui_list: str | None = None
    ui_detail: str | None = None
    reference: bool = False
    api_key: str = "id"
    narrow: Callable[[models.Model], dict[str, str]] = field(default=lambda record: {})

    @property
    def api_list(self) -> str | None:
        return f"{API_NAMESPACE}:{self.api}-list" if self.api else None

    @property
    def api_detail(self) -> str | None:
        name = f"{API_NAMESPACE}:{self.api}-detail" if self.api else None
        return name if name and name in api_detail_endpoints() else None


@dataclass(frozen=True)
class Case:
    spec: MatrixSpec
    surface: str  # "api" or "ui"
    role: str | None  # None: anonymous
    situation: str  # anonymous / in_scope / out_of_scope / wrong_role

    @property
    def id(self) -> str:
        return "-".join(filter(None, [self.spec.name, self.surface, self.role, self.situation]))

    def run(self, client) -> None:
        world = build_world()
        place = world.inside
        if self.situation == "out_of_scope":
            place = getattr(world, OUTSIDE[self.role])
        record = self.spec.make(place)
        user = user_for(self.role, world) if self.role else None
        if self.surface == "api":
            _check_api(self, record, user)
        else:
            _check_ui(self, record, user, client)


def cases(specs: Iterable[MatrixSpec]) -> list:
    """Every case of every spec, as pytest params with readable ids."""
    params = []
    for spec in specs:
        surfaces = [s for s, on in (("api", spec.api), ("ui", spec.ui_list)) if on]
        for surface in surfaces:
            found = [Case(spec, surface, None, "anonymous")]
            for role in ROLE_ORDER:
                if role not in spec.readers:
                    found.append(Case(spec, surface, role, "wrong_role"))
                    continue
                found.append(Case(spec, surface, role, "in_scope"))
                if OUTSIDE[role] is not None:
                    found.append(Case(spec, surface, role, "out_of_scope"))
            params += [pytest.param(case, id=case.id) for case in found]
    return params


def _visible(case: Case) -> bool:
    return case.situation == "in_scope" or (
        case.situation == "out_of_scope" and case.spec.reference
    )


def _check_api(case: Case, record, user) -> None:
    spec = case.spec
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    list_url = reverse(spec.api_list)
    listing = client.get(list_url, {"page_size": 500, **spec.narrow(record)})
    detail = (
        client.get(reverse(spec.api_detail, kwargs={"pk": record.pk})) if spec.api_detail else None
    )
    responses = [r for r in (listing, detail) if r is not None]
    if case.situation == "anonymous":
        for response in responses:
            assert response.status_code in (401, 403), response.content
        return
    if case.situation == "wrong_role":
        for response in responses:
            assert response.status_code == 403, response.content
        return
    assert listing.status_code == 200, listing.content
    keys = [str(row[spec.api_key]) for row in listing.json()["results"]]
    if _visible(case):
        assert str(record.pk) in keys, f"{record!r} missing from {list_url}"
        if detail is not None:
            assert detail.status_code == 200, detail.content
            assert str(detail.json()[spec.api_key]) == str(record.pk)
    else:
        assert str(record.pk) not in keys, f"{record!r} leaked into {list_url}"
        if detail is not None:
            assert detail.status_code == 404, detail.content


def _ui_url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        pytest.fail(f"the web UI has no view named {name}")


def listed_objects(response) -> list | None:
    """The records a list page shows, from its template context (None when not found)."""
    context = response.context
    if context is None:
        return None
    for key in ("page_obj", "object_list"):
        try:
            value = context[key]
        except KeyError:
            continue
        if value is not None:
            return list(getattr(value, "object_list", value))
    return None


def _check_ui(case: Case, record, user, client) -> None:
    spec = case.spec
    if user is not None:
        client.force_login(user)
    list_url = _ui_url(spec.ui_list)
    listing = client.get(list_url, spec.narrow(record))
    detail = client.get(_ui_url(spec.ui_detail, pk=record.pk)) if spec.ui_detail else None
    responses = [r for r in (listing, detail) if r is not None]
    if case.situation == "anonymous":
        login = reverse(settings.LOGIN_URL)
        for response in responses:
            assert response.status_code == 302, response.status_code
            assert response["Location"].startswith(login), response["Location"]
        return
    if case.situation == "wrong_role":
        for response in responses:
            assert response.status_code == 403, response.status_code
        return
    assert listing.status_code == 200, listing.status_code
    shown = listed_objects(listing)
    assert shown is not None, f"{list_url} puts neither page_obj nor object_list in its context"
    pks = {obj.pk for obj in shown}
    if _visible(case):
        assert record.pk in pks, f"{record!r} missing from {list_url}"
        if detail is not None:
            assert detail.status_code == 200, detail.status_code
    else:
        assert record.pk not in pks, f"{record!r} leaked into {list_url}"
        if detail is not None:
            assert detail.status_code == 404, detail.status_code


# --- discovery -------------------------------------------------------------------------------


def _walk(patterns, namespace: str | None = None):
    """(namespaced name, pattern) of every URL pattern below ``patterns``."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if namespace and entry.namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _actions(pattern: URLPattern) -> set[str]:
    return set(getattr(pattern.callback, "actions", {}).values())


def api_list_endpoints() -> set[str]:
    """URL names of every list endpoint under /api/v1/ (viewset routes with a ``list`` action)."""
    return {
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if name.startswith(f"{API_NAMESPACE}:") and "list" in _actions(pattern)
    }


def api_detail_endpoints() -> set[str]:
    return {
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if name.startswith(f"{API_NAMESPACE}:") and "retrieve" in _actions(pattern)
    }


def ui_list_views() -> set[str]:
    """URL names of the web UI's list pages (``<app>:<thing>-list``)."""
    return {
        name
        for name, _pattern in _walk(get_resolver().url_patterns)
        if name.endswith("-list") and name.split(":")[0] not in {API_NAMESPACE, "admin"}
    }


def declared_specs() -> list[MatrixSpec]:
    """The ``MATRIX`` of every project app's ``tests/test_api.py``."""
    specs: list[MatrixSpec] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang."):
            continue
        module_name = f"{config.name}.tests.test_api"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name not in {module_name, f"{config.name}.tests"}:
                raise
            continue
        specs += getattr(module, "MATRIX", [])
    return specs
