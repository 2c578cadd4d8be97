"""Forms of the region pages, and the division pickers the other apps' forms use."""

from __future__ import annotations

from django import forms

from kechuang.core.scoping import Roles, division_prefix, visible_to
from kechuang.core.views import ServiceModelForm, style_form

from .models import Zone
from .selectors import division_name, divisions_under, is_leaf_division

INDENT = "\u3000"  # an ideographic space per level below the top of the list


def _depth(code: str) -> int:
    if code.endswith("0000"):
        return 0
    if code.endswith("00"):
        return 1
    return 2


def division_choices(user, *, leaf_only: bool = False) -> list[tuple[str, str]] | None:
    """The divisions under a bureau user's prefix, indented by level (from the cached tree).

    Others get None: an administrator's tree (≈3,200 divisions) is too long for a select, so the
    code is typed; zone and organization users do not choose divisions.
    """
    if user.role != Roles.BUREAU or not user.division_code:
        return None
    codes = sorted(divisions_under(division_prefix(user.division_code)))
    if leaf_only:
        codes = [code for code in codes if is_leaf_division(code)]
    top = min((_depth(code) for code in codes), default=0)
    return [
        (code, f"{INDENT * (_depth(code) - top)}{division_name(code)}（{code}）") for code in codes
    ]


def division_filter_widget(user) -> forms.Widget:
    """The ``division`` filter: a select of the bureau's subtree, else a code or prefix to type."""
    choices = division_choices(user)
    if choices is not None:
        return forms.Select(choices=[("", "全部"), *choices])
    return forms.TextInput(attrs={"placeholder": "区划代码或前缀，如 3404", "maxlength": 6})


def division_form_field(
    user, *, label: str = "行政区划", required: bool = True, leaf_only: bool = True
) -> forms.Field:
    """A division for a record (county level by default): a select for bureau users, else a code."""
    choices = division_choices(user, leaf_only=leaf_only)
    if choices is not None:
        return forms.ChoiceField(label=label, choices=[("", "请选择"), *choices], required=required)
    return forms.RegexField(
        label=label,
        regex=r"^[0-9]{6}$",
        required=required,
        error_messages={"invalid": "请输入 6 位行政区划代码"},
        widget=forms.TextInput(attrs={"placeholder": "6 位区县代码，如 340421"}),
    )


def zones_for(user):
    """The zones a user may attach a record to: those of the user's scope."""
    return visible_to(Zone.objects.all(), user).order_by("division_code", "name")


class ZoneForm(ServiceModelForm):
    class Meta:
        model = Zone
        fields = ["name", "kind", "level", "division_code", "approved_on", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["division_code"] = division_form_field(
            user, label="所在行政区划", leaf_only=False
        )
        if self.instance.pk is None:
            self.fields.pop("status")
        style_form(self)
