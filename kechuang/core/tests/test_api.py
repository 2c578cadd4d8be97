"""Shared API behaviour: error bodies, authentication, pagination limits."""

import pytest
from django.urls import reverse

from kechuang.accounts.services import token_for
from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ORGS = reverse("api:organization-list")


def test_anonymous_requests_are_refused_with_a_code():
    response = client_for().get(ORGS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_token_authentication():
    user = UserFactory()
    OrganizationFactory()
    api = client_for()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert api.get(ORGS).json()["count"] == 1
    api.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert api.get(ORGS).status_code == 401


def test_wrong_role_gets_permission_denied():
    response = client_for(user_with_role(Roles.EXPERT)).get(ORGS)
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "您的角色无权访问此功能。",
    }


def test_not_found_body_is_the_same_for_missing_and_out_of_scope():
    hefei = OrganizationFactory(division_code="340102")
    api = client_for(UserFactory())
    missing = api.get(reverse("api:organization-detail", kwargs={"pk": 10**9}))
    hidden = api.get(reverse("api:organization-detail", kwargs={"pk": hefei.pk}))
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json() == {"code": "not_found", "detail": "未找到。"}


def test_validation_errors_name_the_first_field_and_keep_all():
    response = client_for(UserFactory()).post(ORGS, {"name": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] in body["errors"]
    assert body["detail"] == body["errors"][body["field"]][0]
    assert {"uscc", "division_code"} <= set(body["errors"])


def test_malformed_json_is_a_parse_error():
    response = client_for(UserFactory()).post(
        ORGS, data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
