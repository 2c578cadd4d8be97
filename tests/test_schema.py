"""schemathesis against the live /api/v1/schema/: no server error, responses match the schema.

Every operation of the published schema gets ``MAX_EXAMPLES`` generated requests (derandomized,
so a run is reproducible) sent with a bureau user's token to the running application, on a small
data set. Detail operations draw their path parameter half the time from records that exist, so
that successful responses are checked against the schema too.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kechuang.accounts.services import token_for
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    PlatformFactory,
    QualificationFactory,
    UserFactory,
    ZoneFactory,
)
from kechuang.core.testing.matrix import Place
from kechuang.market.tests.factories import schema_records as market_records
from kechuang.policies.tests.factories import schema_records as policy_records
from kechuang.policies.tests.test_redemptions_api import make_redemption
from kechuang.vouchers.tests.factories import UseFactory
from kechuang.vouchers.tests.test_api import make_settlement

MAX_EXAMPLES = 20
SCHEMA_URL = "/api/v1/schema/"
METHODS = {"get", "post", "put", "patch", "delete"}


def operation_ids() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        operation["operationId"]
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in METHODS
    )


@pytest.fixture
def app():
    """The WSGI application, kept from closing the test's connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(db) -> dict[str, list]:
    """A small region: zones, organizations with years and qualifications, platforms."""
    zones = [ZoneFactory(), ZoneFactory(division_code="340102")]
    orgs = [
        OrganizationFactory(zone=zones[0], above_scale=True),
        OrganizationFactory(kind="university", hightech_field=""),
        OrganizationFactory(division_code="340102", founded_on=None),
    ]
    years = [EnterpriseYearFactory(organization=o, year=y) for o in orgs[:2] for y in (2022, 2023)]
    years.append(EnterpriseYearFactory(organization=orgs[0], year=2021, revenue=None))
    qualifications = [
        QualificationFactory(organization=orgs[0]),
        QualificationFactory(organization=orgs[1], kind="tech_sme", level=""),
    ]
    platforms = [
        PlatformFactory(host=orgs[0], zone=zones[0]),
        PlatformFactory(host=orgs[1], recognised_on=None),
    ]
    uses = [UseFactory(claim__enterprise=orgs[0]), UseFactory(claim__enterprise=orgs[0])]
    return {
        "voucher-schemes": [u.claim.scheme_id for u in uses],
        "voucher-providers": [u.provider_id for u in uses],
        "voucher-claims": [u.claim_id for u in uses],
        "voucher-uses": [u.pk for u in uses],
        "voucher-settlements": [make_settlement(Place("340421", zones[0], orgs[0])).pk],
        "redemptions": [make_redemption(Place("340421", zones[0], orgs[0])).pk],
        "divisions": ["340421", "340400", "340102"],
        "zones": [z.pk for z in zones],
        "organizations": [o.pk for o in orgs],
        "enterprise-years": [y.pk for y in years],
        "qualifications": [q.pk for q in qualifications],
        "platforms": [p.pk for p in platforms],
        **market_records(Place("340421", zones[0], orgs[0])),
        **policy_records(Place("340421", zones[0], orgs[0])),
    }


@pytest.mark.parametrize("operation_id", operation_ids())
def test_operation_conforms(operation_id, app, records):
    token = token_for(UserFactory(division_code="340400"))
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    operation = schema.find_operation_by_id(operation_id)
    strategy = operation.as_strategy()
    if "{id}" in operation.path:
        existing = records[operation.path.split("/")[3]]
        strategy = st.one_of(
            strategy,
            st.sampled_from(existing).flatmap(
                lambda pk: operation.as_strategy(path_parameters={"id": pk})
            ),
        )

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def conforms(case):
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )

    conforms()
