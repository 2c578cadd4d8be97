"""Navigation shown in the page shell, by role: groups of entries, a group with one entry is a
plain link, a larger one a drop-down menu."""

from kechuang.core.scoping import STAFF_ROLES

# (group, label, url name, roles or None for every signed-in user)
NAV = [
    ("首页", "首页", "core:home", None),
    ("登记", "机构", "orgs:organization-list", None),
    ("登记", "年度数据", "orgs:enterprise-year-list", None),
    ("登记", "资质", "orgs:qualification-list", None),
    ("登记", "创新平台", "platforms:platform-list", None),
    ("登记", "园区", "regions:zone-list", None),
    ("登记", "行政区划", "regions:division-list", None),
    ("政策", "政策库", "policies:policy-list", STAFF_ROLES | {"enterprise"}),
    ("政策", "我的政策", "policies:mine", {"enterprise"}),
    ("政策", "免申即享筛查", "policies:screen-list", STAFF_ROLES),
    ("政策", "梯次培育", "policies:reserve-list", STAFF_ROLES),
    ("政策", "政策兑现", "policies:redemption-list", STAFF_ROLES | {"enterprise"}),
    ("政策", "兑现预算", "policies:budget-list", {"admin", "bureau"}),
    ("政策", "专家评分", "policies:assessment-list", STAFF_ROLES),
    ("创新券", "方案", "vouchers:scheme-list", None),
    ("创新券", "服务机构", "vouchers:provider-list", STAFF_ROLES | {"enterprise", "provider"}),
    ("创新券", "申领", "vouchers:claim-list", STAFF_ROLES | {"enterprise"}),
    ("创新券", "用券记录", "vouchers:use-list", STAFF_ROLES | {"enterprise", "provider"}),
    ("创新券", "兑付", "vouchers:settlement-list", STAFF_ROLES | {"enterprise", "provider"}),
    ("技术市场", "供需大厅", "market:hall", None),
    ("技术市场", "我的发布与推荐", "market:hall-mine", {"enterprise", "university"}),
    ("技术市场", "技术需求", "market:need-list", None),
    ("技术市场", "科技成果", "market:achievement-list", None),
    ("技术市场", "专家库", "market:expert-list", None),
    (
        "技术市场",
        "对接",
        "market:docking-list",
        STAFF_ROLES | {"enterprise", "university", "expert"},
    ),
    ("技术市场", "技术合同", "market:contract-list", STAFF_ROLES | {"enterprise", "university"}),
    ("技术市场", "对接活动", "market:event-list", STAFF_ROLES | {"enterprise", "university"}),
    ("技术市场", "检索索引", "market:search-index", {"bureau"}),
    ("统计", "统计", "stats:dashboard", STAFF_ROLES),
    ("统计", "简报", "bulletins:bulletin-list", STAFF_ROLES),
    ("数据导入", "数据导入", "core:import", STAFF_ROLES),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, label, name, roles in NAV:
        if roles is None or user.is_superuser or user.role in roles:
            groups.setdefault(group, []).append((label, name))
    return {
        "nav_items": [item for items in groups.values() for item in items],
        "nav_groups": list(groups.items()),
    }
