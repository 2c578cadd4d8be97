"""Hand-made facts for the engine's tests (plain polars; no Django)."""

import datetime as dt

import polars as pl
import pytest

from kechuang.engines.indicators import (
    BOOL,
    INT,
    MONEY,
    QUALIFICATION_COLUMNS,
    Facts,
    FactSchema,
    Field,
    target_frame,
)

ORGS = FactSchema(
    "orgs",
    "机构",
    (
        Field("id", "机构", INT),
        Field("division_code", "行政区划"),
        Field("zone_id", "园区", INT),
        Field("ownership", "所有制", choices={"private": "民营", "state": "国有"}),
        Field("above_scale", "规上", BOOL),
    ),
    org_key="id",
    record_label="家",
)
YEARS = FactSchema(
    "years",
    "年度数据",
    (
        Field("org_id", "机构", INT),
        Field("year", "年度", INT),
        Field("division_code", "行政区划"),
        Field("zone_id", "园区", INT),
        Field("revenue", "营业收入", MONEY),
        Field("rd", "研发费用", MONEY),
    ),
    org_key="org_id",
    yearly=True,
)
SCHEMAS = {"orgs": ORGS, "years": YEARS}
DIVISIONS = ["340000", "340400", "340421", "340422", "340402", "340100", "340102"]


def qualifications(rows):
    return pl.DataFrame(rows, schema=dict(QUALIFICATION_COLUMNS), orient="row")


@pytest.fixture
def facts():
    orgs = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "division_code": ["340421", "340421", "340422", "340102", "340402"],
            "zone_id": [7, None, None, None, None],
            "ownership": ["private", "state", "private", "private", None],
            "above_scale": [True, False, True, None, False],
        }
    )
    years = pl.DataFrame(
        {
            "org_id": [1, 2, 3, 4, 1, 3],
            "year": [2023, 2023, 2023, 2023, 2022, 2022],
            "division_code": ["340421", "340421", "340422", "340102", "340421", "340422"],
            "zone_id": [7, None, None, None, 7, None],
            "revenue": [100_000, 300_000, 0, 50_000, 200_000, 0],  # fen
            "rd": [5_000, 7_000, 0, None, 4_000, 0],
        }
    )
    day = dt.date(2022, 1, 1)
    quals = qualifications(
        [
            (1, "hnte", "valid", day, dt.date(2025, 12, 31)),
            (2, "hnte", "valid", day, dt.date(2025, 12, 31)),
            (3, "hnte", "valid", dt.date(2023, 8, 1), dt.date(2026, 7, 31)),
            (4, "hnte", "revoked", day, dt.date(2025, 12, 31)),
            (5, "hnte", "valid", day, dt.date(2022, 12, 31)),
            (1, "hnte", "valid", dt.date(2020, 1, 1), dt.date(2022, 12, 31)),  # two certificates
        ]
    )
    return Facts({"orgs": orgs, "years": years}, quals)


@pytest.fixture
def targets():
    return target_frame(DIVISIONS, {7: "340421"})
