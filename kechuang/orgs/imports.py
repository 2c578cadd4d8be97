"""Import/export of organizations, their yearly facts and qualifications.

Natural keys: an organization by its USCC; yearly facts by USCC + year; a qualification by
USCC + kind + number. The rules are the services' ``*_problems`` validators.
"""

from __future__ import annotations

from typing import Any

from kechuang.core.identifiers import uscc_problem
from kechuang.core.imports import Importer, register
from kechuang.core.imports.columns import (
    Boolean,
    Choice,
    Column,
    Date,
    Integer,
    Money,
    Number,
    Text,
    ZoneRef,
)
from kechuang.core.imports.engine import Row
from kechuang.regions.models import Level

from .models import (
    EnterpriseYear,
    HightechField,
    Organization,
    OrgKind,
    Ownership,
    Qualification,
    QualificationKind,
    QualificationStatus,
)
from .services import (
    ORG_FIELDS,
    QUALIFICATION_FIELDS,
    enterprise_year_problems,
    organization_problems,
    qualification_problems,
)

USCC_ALIASES = ("信用代码", "社会信用代码", "统一代码", "企业统一社会信用代码")


def uscc_column(**kwargs) -> Text:
    return Text(
        "uscc", "统一社会信用代码", max_length=18, upper=True, aliases=USCC_ALIASES, **kwargs
    )


def org_name_column() -> Text:
    """The organization's name beside its USCC in facts and qualifications: for the reader."""
    return Text(
        "name",
        "企业名称",
        max_length=200,
        aliases=("机构名称", "单位名称"),
        informational=True,
    )


def level_column(**kwargs) -> Choice:
    return Choice(
        "level",
        "级别",
        choices=Level.choices,
        extra={"国家": "national", "省": "provincial", "市": "municipal"},
        **kwargs,
    )


class OrganizationLookup:
    """Organizations of a batch by USCC, and which of them the actor may see."""

    def load_organizations(self, usccs: set[str]) -> None:
        self.orgs = {
            o.uscc: o
            for o in Organization.objects.filter(uscc__in=usccs).only(
                "id", "uscc", "division_code", "zone_id"
            )
        }
        self.visible_orgs = self.visible_pks(Organization, [o.pk for o in self.orgs.values()])

    def organization_problem(
        self, uscc: str, field: str = "uscc", *, in_scope: bool = True
    ) -> dict[str, str]:
        if why := uscc_problem(uscc):
            return {field: why}
        org = self.orgs.get(uscc)
        if org is None:
            return {field: f"未登记的统一社会信用代码 {uscc}，请先导入机构"}
        if in_scope and not self.can_see(self.visible_orgs, org.pk):
            return {field: "该机构不在您的管辖范围内"}
        return {}


@register
class OrganizationImporter(Importer):
    kind = "organizations"
    label = "机构"
    model = Organization
    key = ("uscc",)

    def columns(self) -> list[Column]:
        return [
            uscc_column(),
            Text(
                "name",
                "机构名称",
                max_length=200,
                aliases=("企业名称", "名称", "单位名称"),
                required=True,
                blank=False,
            ),
            Choice("kind", "机构类型", choices=OrgKind.choices, aliases=("类型",), blank=False),
            Text(
                "division_code",
                "行政区划代码",
                max_length=6,
                aliases=("区划代码", "所在区县代码"),
                required=True,
                blank=False,
                help_text="6 位县级行政区划代码，如 340421",
            ),
            ZoneRef("zone", "所在园区", aliases=("园区",)),
            Choice(
                "ownership",
                "所有制",
                choices=Ownership.choices,
                aliases=("所有制类型", "企业性质", "经济类型"),
                extra={"私营": "private", "国企": "state", "港澳台": "hmt", "混合": "mixed"},
                blank=False,
            ),
            Text("industry_code", "国民经济行业代码", max_length=5, aliases=("行业代码",)),
            Choice(
                "hightech_field",
                "高新技术领域",
                choices=HightechField.choices,
                aliases=("技术领域", "所属高新技术领域"),
            ),
            Date("founded_on", "成立日期", aliases=("成立时间", "注册日期")),
            Boolean(
                "above_scale", "规上企业", aliases=("是否规上企业", "规模以上企业", "是否规上")
            ),
        ]

    def load(self, rows: list[Row]) -> None:
        usccs = {r.values["uscc"] for r in rows}
        self.existing = {
            o.uscc: o for o in Organization.objects.filter(uscc__in=usccs).select_related("zone")
        }
        self.visible = self.visible_pks(Organization, [o.pk for o in self.existing.values()])

    def problems(self, row: Row) -> dict[str, str]:
        current = self.existing.get(row.values["uscc"])
        if current is not None and not self.can_see(self.visible, current.pk):
            return {"uscc": "该机构不在您的管辖范围内"}
        if current is None:
            merged = {f.name: f.get_default() for f in Organization._meta.concrete_fields}
        else:
            merged = {name: getattr(current, name) for name in self.writable}
        merged |= self.data(row)
        problems = organization_problems(merged, actor=self.actor, zone=merged.get("zone"))
        return problems | self.missing(row, current is None)

    def apply(self, row: Row):
        values = self.data(row)
        current = self.existing.get(row.values["uscc"])
        if current is None:
            return Organization(**values), None
        return current, self.changes(current, values)

    def export_queryset(self):
        return Organization.objects.select_related("zone").order_by("division_code", "uscc")

    def export_values(self, obj) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in ORG_FIELDS}


FACT_COLUMNS = {
    "employees": ("从业人员", Integer, ("从业人员数", "从业人员(人)", "年末从业人员", "职工人数")),
    "rd_staff": ("研发人员", Integer, ("研发人员数", "研发人员(人)", "R&D人员")),
    "revenue": ("营业收入", Money, ("营业总收入",)),
    "rd_expense": ("研发费用", Money, ("研发费用总额", "研究开发费用", "R&D经费支出")),
    "rd_expense_domestic": ("境内研发费用", Money, ("境内研究开发费用",)),
    "hightech_revenue": ("高新技术产品（服务）收入", Money, ("高新技术产品收入", "高品收入")),
    "total_assets": ("资产总额", Money, ("总资产",)),
    "net_assets": ("净资产", Money, ("所有者权益",)),
    "total_cost": ("成本费用总额", Money, ("成本费用",)),
    "tax_paid": ("实缴税金", Money, ("实缴税金总额", "纳税总额")),
    "value_added": ("工业增加值", Money, ("增加值",)),
    "land_area_mu": ("用地面积（亩）", Number, ("用地面积", "占地面积", "占地面积(亩)")),
    "energy_tce": ("综合能耗（吨标准煤）", Number, ("综合能耗",)),
    "class_i_ip": ("Ⅰ类知识产权", Integer, ("一类知识产权",)),
    "class_ii_ip": ("Ⅱ类知识产权", Integer, ("二类知识产权",)),
    "invention_patents": ("发明专利", Integer, ("发明专利数", "发明专利(件)", "有效发明专利")),
}


def fact_column(key: str) -> Column:
    label, kind, aliases = FACT_COLUMNS[key]
    if kind is Number:
        digits = EnterpriseYear._meta.get_field(key).max_digits
        return Number(key, label, aliases=aliases, max_digits=digits)
    return kind(key, label, aliases=aliases)


@register
class EnterpriseYearImporter(OrganizationLookup, Importer):
    kind = "enterprise-years"
    label = "企业年度数据"
    model = EnterpriseYear
    key = ("uscc", "year")

    def columns(self) -> list[Column]:
        return [
            uscc_column(),
            org_name_column(),
            Integer("year", "年度", min_value=None, aliases=("年份", "统计年度")),
            *(fact_column(key) for key in EnterpriseYear.FACT_FIELDS),
        ]

    def load(self, rows: list[Row]) -> None:
        self.load_organizations({r.values["uscc"] for r in rows})
        years = {r.values["year"] for r in rows}
        self.existing = {
            (y.organization_id, y.year): y
            for y in EnterpriseYear.objects.filter(
                organization_id__in=[o.pk for o in self.orgs.values()], year__in=years
            )
        }

    def _current(self, row: Row) -> EnterpriseYear | None:
        org = self.orgs.get(row.values["uscc"])
        return self.existing.get((org.pk, row.values["year"])) if org else None

    def problems(self, row: Row) -> dict[str, str]:
        if problem := self.organization_problem(row.values["uscc"]):
            return problem
        current = self._current(row)
        merged = (
            {f: getattr(current, f) for f in EnterpriseYear.FACT_FIELDS} if current else {}
        ) | self.data(row)
        return enterprise_year_problems(merged)

    def apply(self, row: Row):
        facts = {k: v for k, v in self.data(row).items() if k != "year"}
        current = self._current(row)
        if current is None:
            org = self.orgs[row.values["uscc"]]
            record = EnterpriseYear(organization_id=org.pk, year=row.values["year"], **facts)
            return record, None
        return current, self.changes(current, facts)

    def export_queryset(self):
        return EnterpriseYear.objects.select_related("organization").order_by(
            "organization__uscc", "year"
        )

    def export_values(self, obj) -> dict[str, Any]:
        values = {f: getattr(obj, f) for f in EnterpriseYear.FACT_FIELDS}
        return values | {
            "uscc": obj.organization.uscc,
            "name": obj.organization.name,
            "year": obj.year,
        }


@register
class QualificationImporter(OrganizationLookup, Importer):
    kind = "qualifications"
    label = "资质"
    model = Qualification
    key = ("uscc", "kind", "number")

    def columns(self) -> list[Column]:
        return [
            uscc_column(),
            org_name_column(),
            Choice(
                "kind",
                "资质类型",
                choices=QualificationKind.choices,
                aliases=("资质", "类型", "资质名称"),
                extra={
                    "高企": "hnte",
                    "科小": "tech_sme",
                    "小巨人": "little_giant",
                    "专精特新小巨人": "little_giant",
                    "领军企业": "leading_innovator",
                },
            ),
            Text("number", "证书编号", max_length=64, aliases=("编号", "登记编号", "入库编号")),
            level_column(),
            Date("granted_on", "认定日期", aliases=("发证日期", "入库日期", "认定时间")),
            Date("valid_until", "有效期至", aliases=("有效期", "到期日期", "有效期截止日期")),
            Choice("status", "状态", choices=QualificationStatus.choices, blank=False),
        ]

    def load(self, rows: list[Row]) -> None:
        self.load_organizations({r.values["uscc"] for r in rows})
        numbers = {r.values["number"] for r in rows}
        self.existing = {
            (q.organization_id, q.kind, q.number): q
            for q in Qualification.objects.filter(
                organization_id__in=[o.pk for o in self.orgs.values()], number__in=numbers
            )
        }

    def _current(self, row: Row) -> Qualification | None:
        org = self.orgs.get(row.values["uscc"])
        if org is None:
            return None
        return self.existing.get((org.pk, row.values["kind"], row.values["number"]))

    def problems(self, row: Row) -> dict[str, str]:
        if problem := self.organization_problem(row.values["uscc"]):
            return problem
        current = self._current(row)
        merged = {f: getattr(current, f) for f in self.writable} if current else {}
        return qualification_problems(merged | self.data(row))

    def apply(self, row: Row):
        values = self.data(row)
        current = self._current(row)
        if current is None:
            org = self.orgs[row.values["uscc"]]
            return Qualification(organization_id=org.pk, **values), None
        return current, self.changes(current, values)

    def export_queryset(self):
        return Qualification.objects.select_related("organization").order_by(
            "organization__uscc", "kind", "number"
        )

    def export_values(self, obj) -> dict[str, Any]:
        values = {f: getattr(obj, f) for f in QUALIFICATION_FIELDS}
        return values | {"uscc": obj.organization.uscc, "name": obj.organization.name}
