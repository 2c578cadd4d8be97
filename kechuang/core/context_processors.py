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
