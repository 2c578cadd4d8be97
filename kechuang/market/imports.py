"""Import/export of needs, achievements and experts (``kechuang import needs FILE`` …).

Natural keys: a need by owner USCC + title, an achievement by owner USCC + title, an expert by
employer USCC + name. Keywords (and an expert's fields) are separated by ``；`` or ``;`` and
stored normalised. Missing optional columns take the defaults; ``status`` defaults to
published, and a row published by the import is dated the day of the import. The rules are the
services' ``*_problems`` validators, so a file and a form refuse the same values.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kechuang.core.imports import Importer, register
from kechuang.core.imports.columns import Choice, Column, Date, Money, Text
from kechuang.core.imports.engine import Row
from kechuang.core.scoping import Roles
from kechuang.orgs.imports import OrganizationLookup
from kechuang.orgs.models import Organization, OrgKind

from . import search
from .models import (
    Achievement,
    AchievementStatus,
    AchievementType,
    CooperationMode,
    Expert,
    Maturity,
    NeedStatus,
    TechNeed,
    Visibility,
)
from .services import (
    ACHIEVEMENT_FIELDS,
    NEED_FIELDS,
    OWNER_KINDS,
    achievement_problems,
    expert_problems,
    need_problems,
)

MODE_WORDS = {
    "转让": "transfer",
    "许可": "licence",
    "合作": "joint_development",
    "联合开发": "joint_development",
    "技术开发": "joint_development",
    "咨询": "consulting",
    "服务": "service",
}


def owner_column(label: str) -> Text:
    return Text(
        "owner_uscc",
        f"{label}统一社会信用代码",
        max_length=18,
        upper=True,
        aliases=("统一社会信用代码", "信用代码", f"{label}信用代码", "单位统一社会信用代码"),
    )


def owner_name_column(label: str) -> Text:
    return Text("owner_name", f"{label}名称", max_length=200, informational=True)


def keywords_column(key: str = "keywords", label: str = "关键词") -> Text:
    return Text(key, label, max_length=1000, help_text="多个用“；”或“;”分隔")


class MarketImporter(OrganizationLookup, Importer):
    """Shared by the three kinds: an owner organization by USCC and a title-like key."""

    owner_kinds: tuple[str, ...] = ()
    owner_label = ""
    title_key = "title"
    status_choices = None  # statuses; published by default
    published_status = "published"

    def load(self, rows: list[Row]) -> None:
        self.load_organizations({r.values["owner_uscc"] for r in rows})
        titles = {r.values[self.title_key] for r in rows}
        owner_field = self.owner_field
        records = self.model.objects.filter(
            **{f"{owner_field}_id__in": [o.pk for o in self.orgs.values()]},
            **{f"{self.title_key}__in": titles},
        )
        self.existing = {
            (getattr(r, f"{owner_field}_id"), getattr(r, self.title_key)): r for r in records
        }
        self.visible = self.visible_pks(self.model, [r.pk for r in self.existing.values()])
        self.kinds = dict(
            Organization.objects.filter(pk__in=[o.pk for o in self.orgs.values()]).values_list(
                "pk", "kind"
            )
        )

    def written(self, objects) -> None:
        search.sync_on_commit(search.KIND_OF_MODEL[self.model], [obj.pk for obj in objects])

    def _current(self, row: Row):
        owner = self.orgs.get(row.values["owner_uscc"])
        if owner is None:
            return None
        return self.existing.get((owner.pk, row.values[self.title_key]))

    def owner_problems(self, row: Row) -> dict[str, str]:
        # Staff import records of organizations in their scope only (as the services).
        bureau = self.actor is not None and self.actor.role in (Roles.BUREAU, Roles.ZONE)
        uscc = row.values["owner_uscc"]
        if problem := self.organization_problem(uscc, "owner_uscc", in_scope=bureau):
            return problem
        owner = self.orgs[uscc]
        if self.owner_kinds and self.kinds[owner.pk] not in self.owner_kinds:
            labels = "、".join(str(OrgKind(k).label) for k in self.owner_kinds)
            return {"owner_uscc": f"{self.owner_label}应为{labels}"}
        current = self._current(row)
        if current is not None and not self.can_see(self.visible, current.pk):
            return {self.title_key: "该记录不在您的管辖范围内"}
        return {}

    def merged(self, row: Row) -> dict[str, Any]:
        current = self._current(row)
        if current is None:
            values = {name: self.model._meta.get_field(name).get_default() for name in self.fields_}
        else:
            values = {name: getattr(current, name) for name in self.fields_}
        return values | self.data(row)

    def apply(self, row: Row):
        values = self.data(row)
        self.normalise(values)
        current = self._current(row)
        if current is None:
            owner = self.orgs[row.values["owner_uscc"]]
            if self.published_status:
                values.setdefault("status", self.published_status)
            record = self.model(
                **{f"{self.owner_field}_id": owner.pk},
                division_code=owner.division_code,
                zone_id=owner.zone_id,
                **values,
            )
            self.stamp(record)
            return record, None
        changed = self.changes(current, values)
        if "status" in changed and self.stamp(current):
            changed.append("published_on")
        return current, changed

    def normalise(self, values: dict[str, Any]) -> None:
        """Store what the services store (normalised keywords, patent numbers)."""

    def stamp(self, record) -> bool:
        """Date a record the import publishes; True when it changed."""
        if getattr(record, "status", "draft") != "draft" and record.published_on is None:
            record.published_on = timezone.localdate()
            return True
        return False


@register
class NeedImporter(MarketImporter):
    kind = "needs"
    label = "企业技术需求"
    model = TechNeed
    key = ("owner_uscc", "title")
    owner_field = "enterprise"
    owner_kinds = (OrgKind.ENTERPRISE,)
    owner_label = "需求企业"
    fields_ = (*NEED_FIELDS, "status")

    def columns(self) -> list[Column]:
        return [
            owner_column("需求企业"),
            owner_name_column("需求企业"),
            Text("title", "需求名称", max_length=200, aliases=("名称", "需求标题", "技术需求")),
            Text(
                "description",
                "需求描述",
                max_length=2000,
                aliases=("描述", "需求内容", "需求简介"),
                required=True,
            ),
            Text("field", "技术领域", max_length=50, aliases=("领域", "所属领域")),
            keywords_column(),
            Money("budget_min", "预算下限", aliases=("最低预算", "预算金额下限")),
            Money("budget_max", "预算上限", aliases=("最高预算", "预算金额", "预算")),
            Choice(
                "mode",
                "合作方式",
                choices=CooperationMode.choices,
                extra=MODE_WORDS,
                blank=False,
            ),
            Date("deadline", "截止日期", aliases=("截止时间", "需求截止日期")),
            Choice("status", "状态", choices=NeedStatus.choices, blank=False),
            Choice("visibility", "公开范围", choices=Visibility.choices, blank=False),
        ]

    def problems(self, row: Row) -> dict[str, str]:
        if problems := self.owner_problems(row):
            return problems
        data = self.merged(row)
        return need_problems(data) | self.missing(row, self._current(row) is None)

    def normalise(self, values):
        need_problems(values)  # normalises keywords in place (already checked)

    def export_queryset(self):
        return TechNeed.objects.select_related("enterprise").order_by(
            "division_code", "enterprise__uscc", "title"
        )

    def export_values(self, obj) -> dict[str, Any]:
        values = {f: getattr(obj, f) for f in self.fields_}
        return values | {"owner_uscc": obj.enterprise.uscc, "owner_name": obj.enterprise.name}


@register
class AchievementImporter(MarketImporter):
    kind = "achievements"
    label = "科技成果"
    model = Achievement
    key = ("owner_uscc", "title")
    owner_field = "owner"
    owner_kinds = OWNER_KINDS
    owner_label = "成果单位"
    fields_ = (*ACHIEVEMENT_FIELDS, "status")

    def columns(self) -> list[Column]:
        return [
            owner_column("成果单位"),
            owner_name_column("成果单位"),
            Text("title", "成果名称", max_length=200, aliases=("名称", "项目名称")),
            Text(
                "abstract",
                "成果简介",
                max_length=2000,
                aliases=("简介", "摘要", "成果摘要"),
                required=True,
            ),
            Choice(
                "type",
                "成果类型",
                choices=AchievementType.choices,
                aliases=("类型",),
                extra={"发明": "invention_patent", "实用新型": "utility_model", "软著": "software"},
                required=True,
                blank=False,
            ),
            Text("field", "技术领域", max_length=50, aliases=("领域", "所属领域")),
            keywords_column(),
            Text(
                "patent_number",
                "专利号",
                max_length=32,
                aliases=("专利号/登记号", "登记号", "专利（申请）号"),
            ),
            Choice(
                "maturity",
                "成熟度",
                choices=Maturity.choices,
                aliases=("成果成熟度", "技术成熟度"),
                extra={"实验室": "lab", "小试": "lab", "中试": "pilot", "产业化": "industrialised"},
                blank=False,
            ),
            Choice(
                "transfer_mode",
                "转化方式",
                choices=CooperationMode.choices,
                aliases=("合作方式", "转让方式"),
                extra=MODE_WORDS,
                blank=False,
            ),
            Money("price", "转让价格", aliases=("价格", "意向价格"), help_text="金额；空 = 面议"),
            Choice("status", "状态", choices=AchievementStatus.choices, blank=False),
            Choice("visibility", "公开范围", choices=Visibility.choices, blank=False),
        ]

    def problems(self, row: Row) -> dict[str, str]:
        if problems := self.owner_problems(row):
            return problems
        data = self.merged(row)
        return achievement_problems(data) | self.missing(row, self._current(row) is None)

    def normalise(self, values):
        achievement_problems(values)

    def export_queryset(self):
        return Achievement.objects.select_related("owner").order_by(
            "division_code", "owner__uscc", "title"
        )

    def export_values(self, obj) -> dict[str, Any]:
        values = {f: getattr(obj, f) for f in self.fields_}
        return values | {"owner_uscc": obj.owner.uscc, "owner_name": obj.owner.name}


@register
class ExpertImporter(MarketImporter):
    kind = "experts"
    label = "专家"
    model = Expert
    key = ("owner_uscc", "name")
    owner_field = "employer"
    owner_label = "工作单位"
    title_key = "name"
    fields_ = ("name", "title", "fields", "keywords", "bio", "phone", "visibility")

    def columns(self) -> list[Column]:
        uscc = Text(
            "owner_uscc",
            "工作单位统一社会信用代码",
            max_length=18,
            upper=True,
            aliases=("employer_uscc", "单位统一社会信用代码", "统一社会信用代码", "信用代码"),
        )
        return [
            Text("name", "姓名", max_length=50, aliases=("专家姓名",)),
            uscc,
            Text(
                "owner_name",
                "工作单位",
                max_length=200,
                aliases=("单位名称",),
                informational=True,
            ),
            Text("title", "职称", max_length=50),
            keywords_column("fields", "技术领域"),
            keywords_column(),
            Text("bio", "简介", max_length=2000, aliases=("个人简介", "专家简介")),
            Text("phone", "联系电话", max_length=20, aliases=("电话", "手机")),
            Choice("visibility", "公开范围", choices=Visibility.choices, blank=False),
        ]

    def problems(self, row: Row) -> dict[str, str]:
        if problems := self.owner_problems(row):
            return problems
        return expert_problems(self.merged(row))

    def normalise(self, values):
        expert_problems(values)

    published_status = None

    def stamp(self, record) -> bool:
        return False

    def export_queryset(self):
        return Expert.objects.select_related("employer").order_by(
            "division_code", "employer__uscc", "name"
        )

    def export_values(self, obj) -> dict[str, Any]:
        values = {f: getattr(obj, f) for f in self.fields_}
        return values | {"owner_uscc": obj.employer.uscc, "owner_name": obj.employer.name}
