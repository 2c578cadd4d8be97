"""Navigation shown in the page shell, by role."""

from kechuang.core.scoping import STAFF_ROLES

NAV = [
    ("首页", "core:home", None),
    ("机构", "orgs:organization-list", None),
    ("年度数据", "orgs:enterprise-year-list", None),
    ("资质", "orgs:qualification-list", None),
    ("创新平台", "platforms:platform-list", None),
    ("园区", "regions:zone-list", None),
    ("行政区划", "regions:division-list", None),
    ("统计", "stats:dashboard", STAFF_ROLES),
    ("数据导入", "core:import", STAFF_ROLES),
    ("简报", "bulletins:bulletin-list", STAFF_ROLES),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        (label, name)
        for label, name, roles in NAV
        if roles is None or user.is_superuser or user.role in roles
    ]
    return {"nav_items": items}
