"""Figures injected into bulletins: a city (淮南市) and its counties, in the shape of the
statistics app's values, so that bulletins are tested whatever computes the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.bulletins.sources import FixedSource, Value

CITY = "340400"
COUNTIES = {"340421": "凤台县", "340422": "寿县", "340403": "田家庵区"}

# key: (label, unit)
INDICATORS = {
    "leading_innovator_count": ("创新型领军企业数", "家"),
    "hnte_count": ("高新技术企业数", "家"),
    "tech_sme_count": ("科技型中小企业数", "家"),
    "gazelle_count": ("瞪羚企业数", "家"),
    "little_giant_count": ("专精特新“小巨人”企业数", "家"),
    "above_scale_count": ("规上企业数", "家"),
    "leading_innovator_private_share": ("创新型领军企业民企占比", "%"),
    "hnte_private_share": ("高新技术企业民企占比", "%"),
    "tech_sme_private_share": ("科技型中小企业民企占比", "%"),
    "hnte_count_yoy": ("高新技术企业数同比增长", "%"),
    "tech_sme_count_yoy": ("科技型中小企业数同比增长", "%"),
    "rd_expense_sum": ("研发费用", "元"),
    "revenue_sum": ("营业收入", "元"),
    "rd_intensity": ("研发投入强度", "%"),
    "rd_intensity_vs_national": ("研发投入强度与全国之差", "个百分点"),
    "rd_intensity_rank": ("研发投入强度排名", "位"),
    "rd_staff_sum": ("研发人员", "人"),
    "invention_patents_sum": ("发明专利", "项"),
    "platform_count": ("创新平台数", "个"),
    "platform_national_count": ("国家级创新平台数", "个"),
    "platform_provincial_count": ("省级创新平台数", "个"),
    "platform_eng_research_center_count": ("工程技术研究中心数", "个"),
    "platform_key_lab_count": ("重点实验室数", "个"),
    "platform_incubator_count": ("孵化器数", "个"),
    "platform_makerspace_count": ("众创空间数", "个"),
}

CITY_FIGURES = {
    "leading_innovator_count": "18",
    "hnte_count": "9068",
    "tech_sme_count": "20173",
    "gazelle_count": "41",
    "little_giant_count": "12",
    "above_scale_count": "1320",
    "leading_innovator_private_share": "0.5603",
    "hnte_private_share": "0.9012",
    "tech_sme_private_share": "0.9488",
    "hnte_count_yoy": "0.551",
    "tech_sme_count_yoy": "-0.032",
    "rd_expense_sum": "470000000",
    "revenue_sum": "14641744548",
    "rd_intensity": "0.0321",
    "rd_intensity_vs_national": "0.77",
    "rd_intensity_rank": "2",
    "rd_staff_sum": "5230",
    "invention_patents_sum": "812",
    "platform_count": "156",
    "platform_national_count": "9",
    "platform_provincial_count": "61",
    "platform_eng_research_center_count": "48",
    "platform_key_lab_count": "22",
    "platform_incubator_count": "17",
    "platform_makerspace_count": "30",
}

COUNTY_FIGURES = {
    "340421": {"hnte_count": "3100", "leading_innovator_count": "7", "rd_intensity": "0.0285"},
    "340422": {"hnte_count": "1968", "leading_innovator_count": "3", "rd_intensity": "0.0402"},
    "340403": {"hnte_count": "4000", "leading_innovator_count": "8", "rd_intensity": "0.0310"},
}


def value(key: str, amount, division: str = CITY, **extra) -> Value:
    label, unit = INDICATORS[key]
    name = COUNTIES.get(division, "淮南市")
    return Value(
        indicator=key,
        value=None if amount is None else Decimal(str(amount)),
        unit=unit,
        label=label,
        division=division,
        division_name=name,
        period="2023",
        period_label="2023 年",
        records_url=extra.pop("records_url", f"/orgs/?division={division}&indicator={key}"),
        definition=extra.pop("definition", {"fact": "organization", "indicator": key}),
        **extra,
    )


def city_source(**overrides) -> FixedSource:
    """淮南市 with three counties; ``overrides`` replaces city figures (None: undefined)."""
    figures = CITY_FIGURES | overrides
    values = {key: value(key, amount) for key, amount in figures.items()}
    children = {}
    for code, county in COUNTY_FIGURES.items():
        full = {key: "0" for key in INDICATORS if key.endswith(("_count", "_sum"))} | county
        children[code] = {key: value(key, amount, code) for key, amount in full.items()}
    return FixedSource(values, children)


@pytest.fixture
def source() -> FixedSource:
    return city_source()
