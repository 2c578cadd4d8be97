import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    PlatformFactory,
    QualificationFactory,
    ZoneFactory,
)

FENGTAI, SHOUXIAN, HEFEI_YAOHAI = "340421", "340422", "340102"


@pytest.fixture
def region(db):
    """A small hand-made region: two counties of 淮南市 and one of 合肥市.

    凤台县: 3 high-tech enterprises (2 private), one in a zone; revenue 1,000 + 3,000 (2023),
    R&D 50 + 70; 2022: revenue 2,000, R&D 40. 寿县: 1 private high-tech enterprise, revenue
    0 in 2023. 瑶海区 (合肥市): 1 high-tech enterprise, revenue 500, R&D 25.
    """
    zone = ZoneFactory(division_code=FENGTAI)
    a = OrganizationFactory(division_code=FENGTAI, zone=zone, ownership="private")
    b = OrganizationFactory(division_code=FENGTAI, ownership="private", above_scale=True)
    c = OrganizationFactory(division_code=FENGTAI, ownership="state")
    d = OrganizationFactory(division_code=SHOUXIAN, ownership="private")
    e = OrganizationFactory(division_code=HEFEI_YAOHAI, ownership="private")
    uni = OrganizationFactory(division_code=FENGTAI, kind="university", ownership="state")
    for org in (a, b, c, d, e):
        QualificationFactory(
            organization=org,
            kind="hnte",
            granted_on=dt.date(2022, 11, 1),
            valid_until=dt.date(2025, 10, 31),
        )
    # a lost its certificate before the middle of 2023: revoked
    QualificationFactory(
        organization=a,
        kind="tech_sme",
        granted_on=dt.date(2023, 3, 1),
        valid_until=dt.date(2023, 12, 31),
    )
    QualificationFactory(
        organization=c,
        kind="tech_sme",
        granted_on=dt.date(2023, 3, 1),
        valid_until=dt.date(2023, 12, 31),
        status="revoked",
    )

    def year(org, y, revenue, rd):
        return EnterpriseYearFactory(
            organization=org,
            year=y,
            revenue=Decimal(revenue),
            rd_expense=Decimal(rd),
            rd_expense_domestic=None,
            hightech_revenue=None,
        )

    year(a, 2023, "1000.00", "50.00")
    year(b, 2023, "3000.00", "70.00")
    year(a, 2022, "2000.00", "40.00")
    year(d, 2023, "0.00", "0.00")
    year(e, 2023, "500.00", "25.00")
    PlatformFactory(host=a, zone=zone, level="national", recognised_on=dt.date(2020, 1, 1))
    PlatformFactory(host=b, level="provincial", recognised_on=dt.date(2024, 3, 1))
    PlatformFactory(host=c, level="provincial", status="revoked")
    return {"zone": zone, "orgs": [a, b, c, d, e], "university": uni}
