"""供需大厅: the public pages of the technology market.

Anyone (signed in or not) browses and searches the published needs and achievements: a search
box ranked by the matching engine with the shared terms highlighted, filters, pages. Anonymous
visitors see what is public; signed-in users also what is shown to registered users. An
enterprise or a university signed in sees its own needs or achievements with the matches
recommended for each.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views import View

from kechuang.core.scoping import Roles
from kechuang.core.views import RoleRequiredMixin

from .. import search
from ..models import (
    ACHIEVEMENT_LISTED,
    NEED_LISTED,
    AchievementType,
    CooperationMode,
    Maturity,
)

PAGE_SIZE = 20
MAX_RANKED = 200  # a ranked search shows its best 200 (10 pages)
SNIPPET = 160
TERMS_SHOWN = 10  # the shared terms listed under a result; all of them are highlighted
RECOMMENDED = 5
TABS = {"achievements": "科技成果", "needs": "技术需求"}
LISTED = {"achievements": ACHIEVEMENT_LISTED, "needs": NEED_LISTED}


def _choices(choices, empty="不限"):
    return [("", empty), *choices]


class HallForm(forms.Form):
    kind = forms.ChoiceField(choices=list(TABS.items()), required=False)
    q = forms.CharField(required=False, max_length=200, label="关键词")
    field = forms.CharField(required=False, max_length=50, label="技术领域")
    type = forms.ChoiceField(
        choices=_choices(AchievementType.choices), required=False, label="成果类型"
    )
    maturity = forms.ChoiceField(choices=_choices(Maturity.choices), required=False, label="成熟度")
    mode = forms.ChoiceField(
        choices=_choices(CooperationMode.choices), required=False, label="合作方式"
    )

    def filters(self, kind: str) -> dict:
        """The index filters (and the same as ORM lookups) chosen for ``kind``."""
        data = self.cleaned_data
        chosen = {"field": data.get("field", "").strip()}
        if kind == "achievements":
            chosen |= {"type": data.get("type"), "maturity": data.get("maturity")}
        else:
            chosen["mode"] = data.get("mode")
        return {name: value for name, value in chosen.items() if value}


def snippet(text: str, terms: list[str]) -> str:
    """The start of ``text`` (from a little before the first shared term), terms highlighted."""
    text = " ".join((text or "").split())
    start = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, start - 20)
    cut = text[start : start + SNIPPET]
    shown = search.highlight(cut, terms) if terms else escape(cut)
    return mark_safe(("…" if start else "") + shown + ("…" if start + SNIPPET < len(text) else ""))


def _item(kind: str, obj, match: search.Match | None = None) -> dict:
    terms = match.matched_terms if match else []
    body = obj.abstract if kind == "achievements" else obj.description
    return {
        "object": obj,
        "url": reverse("market:hall-detail", args=[kind, obj.pk]),
        "title": mark_safe(search.highlight(obj.title, terms)) if terms else obj.title,
        "snippet": snippet(body, terms),
        "score": match.score if match else None,
        "terms": terms[:TERMS_SHOWN],
        "more_terms": max(0, len(terms) - TERMS_SHOWN),
    }


class HallView(View):
    template_name = "market/hall/index.html"
    results_template = "market/hall/_results.html"

    def get(self, request):
        form = HallForm(request.GET or None)
        valid = form.is_valid() if request.GET else False
        if request.GET and not valid:
            kind, query, filters = "achievements", "", {}
        else:
            data = form.cleaned_data if valid else {}
            kind = data.get("kind") or "achievements"
            query = data.get("q", "").strip() if valid else ""
            filters = form.filters(kind) if valid else {}
        if query:
            listing = search.search(
                kind,
                query,
                user=request.user,
                limit=MAX_RANKED,
                filters={**filters, "status": {str(s) for s in LISTED[kind]}},
            )
        else:
            listing = (
                search.readable(kind, request.user)
                .filter(status__in=LISTED[kind], **filters)
                .order_by("-published_on", "-id")
            )
        paginator = Paginator(listing, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = [
            _item(kind, m.object, m) if query else _item(kind, m) for m in page.object_list
        ]
        context = {
            "form": form,
            "kind": kind,
            "tabs": TABS,
            "kind_label": TABS[kind],
            "query": query,
            "page_obj": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "ranked": bool(query),
            "title": "供需大厅",
        }
        htmx = getattr(request, "htmx", None)
        template = (
            self.results_template
            if htmx and not htmx.history_restore_request
            else self.template_name
        )
        return render(request, template, context)


class HallDetailView(View):
    template_name = "market/hall/detail.html"

    def get(self, request, kind: str, pk: int):
        if kind not in TABS:
            raise Http404
        obj = search.readable(kind, request.user).filter(pk=pk, status__in=LISTED[kind]).first()
        if obj is None:
            raise Http404("没有找到该条目，或它未公开。")
        other = "needs" if kind == "achievements" else "achievements"
        related = [
            _item(other, m.object, m)
            for m in search.matches_for(obj, other, user=request.user, limit=RECOMMENDED)
        ]
        return render(
            request,
            self.template_name,
            {
                "kind": kind,
                "object": obj,
                "label": TABS[kind],
                "related": related,
                "related_label": TABS[other],
                "title": obj.title,
            },
        )


class MyMarketView(RoleRequiredMixin, View):
    """An enterprise's needs or a university's achievements, each with recommended matches."""

    read_roles = (Roles.ENTERPRISE, Roles.UNIVERSITY)
    template_name = "market/hall/mine.html"

    def get(self, request):
        user = request.user
        own_kind = "needs" if user.role == Roles.ENTERPRISE else "achievements"
        other = "achievements" if own_kind == "needs" else "needs"
        own = search.kind_of(own_kind).readable(user)
        owner_field = "enterprise_id" if own_kind == "needs" else "owner_id"
        records = own.filter(**{owner_field: user.organization_id}).order_by("-id")
        paginator = Paginator(records, 10)
        page = paginator.get_page(request.GET.get("page"))
        entries = []
        for obj in page.object_list:
            listed = obj.status in LISTED[own_kind]
            matches = search.matches_for(obj, other, user=user, limit=RECOMMENDED) if listed else []
            entries.append(
                {
                    "object": obj,
                    "listed": listed,
                    "matches": [_item(other, m.object, m) for m in matches],
                }
            )
        return render(
            request,
            self.template_name,
            {
                "own_kind": own_kind,
                "own_label": TABS[own_kind],
                "other_label": TABS[other],
                "entries": entries,
                "page_obj": page,
                "paginator": paginator,
                "title": f"我的{TABS[own_kind]}与推荐",
            },
        )
