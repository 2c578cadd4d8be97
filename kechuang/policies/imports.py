"""Import/export of the experts' innovation scores (创新能力专家评分), keyed by USCC + year.

The rules are those of ``services.innovation_assessment_set``: an enterprise in the actor's scope,
0–80 points, assessed after the fiscal year ended; an existing score of the same enterprise and
year is corrected.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kechuang.core.imports import Importer, register
from kechuang.core.imports.columns import Column, Date, Integer, Number, Text
from kechuang.core.imports.engine import Row
from kechuang.orgs.imports import OrganizationLookup, org_name_column, uscc_column
from kechuang.orgs.models import Organization, OrgKind

from .models import InnovationAssessment
from .services import SCORE_MAX

FIELDS = ("score", "assessed_on", "note")


@register
class InnovationAssessmentImporter(OrganizationLookup, Importer):
    kind = "innovation-assessments"
    label = "创新能力专家评分"
    model = InnovationAssessment
    key = ("uscc", "year")

    def columns(self) -> list[Column]:
        return [
            uscc_column(),
            org_name_column(),
            Integer("year", "会计年度", min_value=2000, aliases=("年度", "申报年度")),
            Number(
                "score",
                "专家评分",
                max_digits=5,
                aliases=("评分", "得分", "专家评审得分"),
                required=True,
                blank=False,
                help_text="知识产权、科技成果转化能力、研究开发组织管理水平合计，0–80 分",
            ),
            Date(
                "assessed_on",
                "评审日期",
                aliases=("评审时间",),
                required=True,
                blank=False,
            ),
            Text("note", "评审意见", max_length=500, aliases=("意见", "备注")),
        ]

    def load(self, rows: list[Row]) -> None:
        self.load_organizations({r.values["uscc"] for r in rows})
        years = {r.values["year"] for r in rows}
        self.kinds = dict(
            Organization.objects.filter(pk__in=[o.pk for o in self.orgs.values()]).values_list(
                "pk", "kind"
            )
        )
        self.existing = {
            (a.organization_id, a.year): a
            for a in InnovationAssessment.objects.filter(
                organization_id__in=[o.pk for o in self.orgs.values()], year__in=years
            )
        }

    def _current(self, row: Row) -> InnovationAssessment | None:
        org = self.orgs.get(row.values["uscc"])
        return self.existing.get((org.pk, row.values["year"])) if org else None

    def problems(self, row: Row) -> dict[str, str]:
        if problem := self.organization_problem(row.values["uscc"]):
            return problem
        org = self.orgs[row.values["uscc"]]
        if self.kinds.get(org.pk) != OrgKind.ENTERPRISE:
            return {"uscc": "专家评分只适用于企业"}
        problems = {}
        current = self._current(row)
        merged = ({f: getattr(current, f) for f in FIELDS} if current else {}) | self.data(row)
        score = merged.get("score")
        if score is not None and not Decimal(0) <= Decimal(score) <= SCORE_MAX:
            problems["score"] = "专家评分应在 0–80 分之间"
        assessed_on = merged.get("assessed_on")
        if assessed_on is not None and assessed_on.year <= row.values["year"]:
            problems["assessed_on"] = (
                f"评审日期应在 {row.values['year']} 会计年度结束之后"
                f"（{row.values['year'] + 1} 年起）"
            )
        return problems | self.missing(row, current is None)

    def apply(self, row: Row):
        values = {k: v for k, v in self.data(row).items() if k in FIELDS}
        current = self._current(row)
        if current is None:
            org = self.orgs[row.values["uscc"]]
            record = InnovationAssessment(
                organization_id=org.pk,
                year=row.values["year"],
                division_code=org.division_code,
                zone_id=org.zone_id,
                created_by=self.actor if getattr(self.actor, "pk", None) else None,
                **values,
            )
            return record, None
        return current, self.changes(current, values)

    def export_queryset(self):
        return InnovationAssessment.objects.select_related("organization").order_by(
            "organization__uscc", "year"
        )

    def export_values(self, obj) -> dict[str, Any]:
        return {
            "uscc": obj.organization.uscc,
            "name": obj.organization.name,
            "year": obj.year,
            **{f: getattr(obj, f) for f in FIELDS},
        }
