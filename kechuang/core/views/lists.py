"""The one list view every registry page uses: scoped queryset, filters, search, pagination, htmx.

A page declares its ``selector`` (user → scoped queryset, the same one the API uses), the app's
``filterset_class``, ``search_fields`` and ``columns``; scoping cannot be forgotten because the
queryset only ever comes from the selector.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.views.generic import ListView

from kechuang.core.scoping import REGISTRY_READERS, STAFF_ROLES
from kechuang.core.templatetags.kechuang import EMPTY, division_name_filter, wan

from .access import RoleRequiredMixin, has_role
from .forms import relabel_empty_choice, style_form


def resolve(obj: Any, path: str | Callable[[Any], Any]) -> Any:
    """``"zone.name"`` → obj.zone.name (None stops the walk); callables are called."""
    if callable(path):
        return path(obj)
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


@dataclass(frozen=True)
class Column:
    """One table column. ``kind``: text, number, money (yuan shown in 万元), date, bool, division.

    ``link``: True links the cell to the row's detail page; a callable gives the URL itself.
    A callable ``value`` may return safe HTML (e.g. a badge built with ``format_html``).
    """

    label: str
    value: str | Callable[[Any], Any]
    kind: str = "text"
    link: bool | Callable[[Any], str] = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "money")

    def text(self, obj: Any) -> str:
        value = resolve(obj, self.value)
        if value is None or value == "":
            return EMPTY
        if self.kind == "money":
            return wan(value)
        if self.kind == "date":
            return date_format(value, "Y-m-d")
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "division":
            return division_name_filter(value)
        return conditional_escape(value)

    def render(self, obj: Any, row_url: str | None) -> str:
        text = self.text(obj)
        url = self.link(obj) if callable(self.link) else (row_url if self.link else None)
        return format_html('<a href="{}">{}</a>', url, text) if url else text


class ScopedListView(RoleRequiredMixin, ListView):
    """List page: login + ``read_roles``; rows from ``selector(user)``; filters, ``q``, 50 a page.

    With htmx (the filter form and the page links send ``HX-Request``) only the results partial
    is rendered; the browser's address follows (``hx-push-url``) so a filtered list can be shared.
    """

    read_roles = REGISTRY_READERS
    selector: Callable[[Any], QuerySet] | None = None
    filterset_class = None
    filter_fields: tuple[str, ...] | None = None  # shown in the form; the others stay hidden
    staff_filters = ("division", "zone")  # pointless within one organization's scope
    search_fields: tuple[str, ...] = ()
    search_placeholder = "搜索"
    columns: tuple[Column, ...] = ()
    title = ""
    detail_url_name: str | None = None
    create_url_name: str | None = None
    create_roles = STAFF_ROLES
    create_label = "新建"
    paginate_by = 50
    template_name = "generic/list.html"
    results_template_name = "includes/list_results.html"

    def get_base_queryset(self) -> QuerySet:
        return type(self).selector(self.request.user)

    def get_queryset(self) -> QuerySet:
        queryset = self.get_base_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET, queryset=queryset, request=self.request
            )
            self.prepare_filter_form(self.filterset.form)
            queryset = self.filterset.qs if self.filterset.is_valid() else queryset.none()
        self.search = self.request.GET.get("q", "").strip()
        if self.search and self.search_fields:
            terms = [Q(**{f"{field}__icontains": self.search}) for field in self.search_fields]
            queryset = queryset.filter(reduce(operator.or_, terms))
        return queryset

    def prepare_filter_form(self, form: forms.Form) -> None:
        """Hide the filters not listed in ``filter_fields``, label empty choices, style widgets."""
        staff = has_role(self.request.user, STAFF_ROLES)
        for name, field in form.fields.items():
            shown = self.filter_fields is None or name in self.filter_fields
            if not shown or (not staff and name in self.staff_filters):
                field.widget = forms.HiddenInput()
        if "division" in form.fields and not isinstance(
            form.fields["division"].widget, forms.HiddenInput
        ):
            from kechuang.regions.forms import division_filter_widget

            form.fields["division"].widget = division_filter_widget(self.request.user)
        if self.filter_fields is not None:
            form.order_fields(self.filter_fields)
        relabel_empty_choice(form)
        style_form(form)

    def row_url(self, obj) -> str | None:
        return reverse(self.detail_url_name, args=[obj.pk]) if self.detail_url_name else None

    def get_rows(self, objects) -> list[dict]:
        rows = []
        for obj in objects:
            url = self.row_url(obj)
            cells = [{"html": c.render(obj, url), "numeric": c.numeric} for c in self.columns]
            rows.append({"object": obj, "cells": cells})
        return rows

    def get_create_url(self) -> str | None:
        if self.create_url_name and has_role(self.request.user, self.create_roles):
            return reverse(self.create_url_name)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        context.update(
            title=self.title,
            columns=self.columns,
            rows=self.get_rows(context["object_list"]),
            filter_form=self.filterset.form if self.filterset is not None else None,
            search=self.search,
            search_enabled=bool(self.search_fields),
            search_placeholder=self.search_placeholder,
            create_url=self.get_create_url(),
            create_label=self.create_label,
            results_template=self.results_template_name,
        )
        return context

    def partial_requested(self) -> bool:
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx) and not htmx.history_restore_request and not htmx.boosted

    def get_template_names(self) -> list[str]:
        if self.partial_requested():
            return [self.results_template_name]
        return [self.template_name]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
