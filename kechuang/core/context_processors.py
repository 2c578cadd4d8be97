"""Navigation shown in the page shell, by role: groups of entries, a group with one entry is a
plain link, a larger one a drop-down menu.

An entry shows when the user may open its page: the roles are read from the page's view
(``read_roles``), so the menu and the 403 never disagree. A few entries narrow that further to
the roles they are made for (an enterprise's own policies, say)."""

from functools import cache

from django.urls import resolve, reverse

from kechuang.core.scoping import STAFF_ROLES
from kechuang.core.views.access import RoleRequiredMixin, has_role

# (group, label, url name, only these roles — None: whoever may open the page)
NAV = [
    ("首页", "首页", "core:home", None),
    ("登记", "机构", "orgs:organization-list", None),
    ("登记", "年度数据", "orgs:enterprise-year-list", None),
    ("登记", "资质", "orgs:qualification-list", None),
    ("登记", "创新平台", "platforms:platform-list", None),
    ("登记", "园区", "regions:zone-list", None),
    ("登记", "行政区划", "regions:division-list", None),
    ("政策", "政策库", "policies:policy-list", None),
    ("政策", "我的政策", "policies:mine", {"enterprise"}),
    ("政策", "免申即享筛查", "policies:screen-list", STAFF_ROLES),  # an enterprise: 我的政策
    ("政策", "梯次培育", "policies:reserve-list", STAFF_ROLES),
    ("政策", "政策兑现", "policies:redemption-list", None),
    ("政策", "兑现预算", "policies:budget-list", None),
    ("政策", "专家评分", "policies:assessment-list", None),
    ("创新券", "方案", "vouchers:scheme-list", None),
    ("创新券", "服务机构", "vouchers:provider-list", None),
    ("创新券", "申领", "vouchers:claim-list", None),
    ("创新券", "用券记录", "vouchers:use-list", None),
    ("创新券", "兑付", "vouchers:settlement-list", None),
    ("技术市场", "供需大厅", "market:hall", None),
    ("技术市场", "我的发布与推荐", "market:hall-mine", {"enterprise", "university"}),
    ("技术市场", "技术需求", "market:need-list", None),
    ("技术市场", "科技成果", "market:achievement-list", None),
    ("技术市场", "专家库", "market:expert-list", None),
    ("技术市场", "对接", "market:docking-list", None),
    ("技术市场", "技术合同", "market:contract-list", None),
    ("技术市场", "对接活动", "market:event-list", None),
    ("技术市场", "检索索引", "market:search-index", None),
    ("统计", "统计", "stats:dashboard", None),
    ("统计", "简报", "bulletins:bulletin-list", None),
    ("数据导入", "数据导入", "core:import", None),
]


@cache
def page_roles(name: str):
    """The roles the page's view lets in (a view function tells by its ``read_roles``); None
    when any signed-in user may open it."""
    view = resolve(reverse(name)).func
    view_class = getattr(view, "view_class", None)
    if view_class is not None and issubclass(view_class, RoleRequiredMixin):
        return view_class().allowed_roles()
    return getattr(view, "read_roles", None)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, label, name, only in NAV:
        roles = page_roles(name)
        if roles is not None and not has_role(user, roles):
            continue
        if only is not None and not (user.is_superuser or user.role in only):
            continue
        groups.setdefault(group, []).append((label, name))
    return {
        "nav_items": [item for items in groups.values() for item in items],
        "nav_groups": list(groups.items()),
    }
