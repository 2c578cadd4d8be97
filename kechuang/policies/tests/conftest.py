import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    QualificationFactory,
)

FENGTAI, YAOHAI = "340421", "340102"


def enterprise_with_years(*, rd_expense=Decimal("2600000.00"), years=(2021, 2022, 2023), **org):
    """An enterprise with the factory's facts (which pass every decidable hnte condition)."""
    organization = OrganizationFactory(**org)
    for year in years:
        EnterpriseYearFactory(
            organization=organization,
            year=year,
            rd_expense=rd_expense,
            rd_expense_domestic=min(rd_expense, Decimal("2500000.00")),
        )
    return organization


@pytest.fixture
def enterprises(db):
    """凤台县: one passing hnte (and holding tech_sme), one short of R&D; 瑶海区: one passing."""
    strong = enterprise_with_years(division_code=FENGTAI, name="强科技有限公司")
    QualificationFactory(
        organization=strong,
        kind="tech_sme",
        number="202334040000001",
        granted_on=dt.date(2023, 4, 1),
        valid_until=dt.date(2024, 12, 31),
    )
    weak = enterprise_with_years(
        division_code=FENGTAI, name="弱研发有限公司", rd_expense=Decimal("1500000.00")
    )
    far = enterprise_with_years(division_code=YAOHAI, name="合肥远方有限公司")
    return {"strong": strong, "weak": weak, "far": far}
