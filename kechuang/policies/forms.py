"""Forms of the policy pages: they check shape; the services validate, write and audit."""

from __future__ import annotations

import json

from django import forms
from django.utils import timezone

from kechuang.core.scoping import Roles
from kechuang.core.views import style_form
from kechuang.engines.rules import ENTERPRISE, POLICIES
from kechuang.regions.forms import division_choices

from .workflows import REDEMPTION_WORKFLOW

YEARS = range(2015, 2031)


def default_year() -> int:
    """The latest fiscal year an application can use: last year."""
    return timezone.localdate().year - 1


def policy_choices(*, entity: str | None = None, redeemable: bool = False) -> list:
    return [
        (key, policy.label)
        for key, policy in POLICIES.items()
        if (entity is None or policy.entity == entity)
        and (not redeemable or policy.amount is not None)
    ]


class ScreenForm(forms.Form):
    """免申即享筛查: policy, fiscal year and (staff) a division within the user's scope."""

    policy = forms.ChoiceField(label="政策", choices=policy_choices())
    year = forms.TypedChoiceField(
        label="会计年度", coerce=int, choices=[(y, f"{y} 年") for y in reversed(YEARS)]
    )
    division = forms.CharField(label="行政区划", required=False)

    def __init__(self, *args, user, entity: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if entity is not None:
            self.fields["policy"].choices = policy_choices(entity=entity)
        self.fields["year"].initial = default_year()
        choices = division_choices(user)
        if choices is not None:
            self.fields["division"] = forms.ChoiceField(
                label="行政区划", required=False, choices=[("", "本辖区全部"), *choices]
            )
        elif user.role == Roles.ADMIN or user.is_superuser:
            self.fields["division"] = forms.RegexField(
                label="行政区划",
                regex=r"^(\d{2}|\d{4}|\d{6})$",
                required=False,
                error_messages={"invalid": "行政区划代码应为 2、4 或 6 位数字"},
                widget=forms.TextInput(attrs={"placeholder": "代码或前缀，如 3404"}),
            )
        else:
            del self.fields["division"]
        style_form(self)


class ParameterValueForm(forms.Form):
    """A bureau's own value of one parameter from a date on."""

    parameter = forms.ChoiceField(label="参数")
    effective_from = forms.DateField(label="生效日期")
    value = forms.CharField(
        label="取值",
        help_text="比例写小数（0.15 表示 15%）；金额写元；分档、列表按政策文件的格式写（JSON）",
    )
    reason = forms.CharField(label="设定依据", max_length=500, help_text="如本地文件文号")

    def __init__(self, *args, policy, admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parameter"].choices = [
            (key, parameter.label) for key, parameter in policy.parameters.parameters.items()
        ]
        if admin:  # a bureau sets its own division's values; an administrator names one
            self.fields["division_code"] = forms.RegexField(
                label="行政区划",
                regex=r"^(\d{2}|\d{4}|\d{6})$",
                error_messages={"invalid": "行政区划代码应为 2、4 或 6 位数字"},
                widget=forms.TextInput(attrs={"placeholder": "如 340400"}),
            )
        style_form(self)

    def clean_value(self):
        text = self.cleaned_data["value"].strip()
        if text.lower() in ("null", "none"):
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text  # a bare word: the service says what is wrong with it


class ParameterValueDeleteForm(forms.Form):
    parameter = forms.CharField()
    effective_from = forms.DateField()
    reason = forms.CharField(label="撤销理由", max_length=500)


class ConfirmForm(forms.Form):
    policy = forms.ChoiceField(choices=policy_choices(entity=ENTERPRISE, redeemable=True))
    year = forms.IntegerField(min_value=2000, max_value=2100)
    division = forms.RegexField(regex=r"^(\d{2}|\d{4}|\d{6})$", required=False)


class ApplyForm(forms.Form):
    policy = forms.ChoiceField(choices=policy_choices(entity=ENTERPRISE, redeemable=True))
    year = forms.IntegerField(min_value=2000, max_value=2100)


class AmountForm(forms.Form):
    amount = forms.DecimalField(
        label="兑现金额（元）", min_value=0, max_digits=14, decimal_places=2
    )
    override_reason = forms.CharField(
        label="调整理由", max_length=500, required=False, help_text="与测算金额不同时必填"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in REDEMPTION_WORKFLOW.actions])
    note = forms.CharField(label="理由", max_length=500, required=False)


class BudgetForm(forms.Form):
    policy = forms.ChoiceField(
        label="政策", choices=policy_choices(entity=ENTERPRISE, redeemable=True)
    )
    year = forms.TypedChoiceField(
        label="年度", coerce=int, choices=[(y, f"{y} 年") for y in reversed(YEARS)]
    )
    division_code = forms.CharField(label="行政区划")
    amount = forms.DecimalField(label="预算（元）", min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        choices = division_choices(user)
        if choices is not None:
            self.fields["division_code"] = forms.ChoiceField(label="行政区划", choices=choices)
        else:
            self.fields["division_code"] = forms.RegexField(
                label="行政区划",
                regex=r"^\d{6}$",
                error_messages={"invalid": "请输入 6 位行政区划代码"},
            )
        style_form(self)


class AssessmentForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    year = forms.TypedChoiceField(
        label="会计年度", coerce=int, choices=[(y, f"{y} 年") for y in reversed(YEARS)]
    )
    score = forms.DecimalField(
        label="专家评分", min_value=0, max_value=80, max_digits=5, decimal_places=2,
        help_text="知识产权、科技成果转化能力、研究开发组织管理水平合计，0–80 分",
    )  # fmt: skip
    assessed_on = forms.DateField(label="评审日期")
    note = forms.CharField(label="评审意见", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = default_year()
        style_form(self)

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()
