"""Forms of the market pages: shape only; market.services decides the rest."""

from __future__ import annotations

from django import forms

from kechuang.core.identifiers import normalise_uscc
from kechuang.core.scoping import STAFF_ROLES
from kechuang.core.views import ServiceModelForm, has_role, style_form
from kechuang.orgs.selectors import organization_list

from .models import ACHIEVEMENT_LISTED, Achievement, TechNeed
from .selectors import achievement_list, expert_list
from .services import ACHIEVEMENT_FIELDS, NEED_FIELDS


class OwnedForm(ServiceModelForm):
    """Staff name the owner organization by its USCC; an organization user writes for itself."""

    owner_field = ""  # the service's keyword: enterprise / owner
    owner_label = ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.staff = has_role(user, STAFF_ROLES)
        if self.staff and self.instance.pk is None:
            self.fields["owner_uscc"] = forms.CharField(
                label=f"{self.owner_label}统一社会信用代码", max_length=18
            )
            self.order_fields(["owner_uscc"])
        if self.instance.pk is None:
            self.fields["publish"] = forms.BooleanField(
                label="保存后立即发布", required=False, initial=True
            )
        for name in ("description", "abstract"):
            if name in self.fields:
                self.fields[name].widget = forms.Textarea(attrs={"rows": 6})
                self.fields[name].help_text = "中文，50–2000 字"
        if "keywords" in self.fields:
            self.fields["keywords"].help_text = "多个关键词用“；”分隔"
        style_form(self)

    error_fields = {"organization": "owner_uscc"}

    def clean_owner_uscc(self):
        uscc = normalise_uscc(self.cleaned_data["owner_uscc"])
        self.owner = organization_list(self.user).filter(uscc=uscc).first()
        if self.owner is None:
            raise forms.ValidationError("在您的管辖范围内没有该统一社会信用代码的机构")
        return uscc

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "owner_uscc"}
        if getattr(self, "owner", None) is not None:
            data[self.owner_field] = self.owner
        return data

    def changed_service_data(self) -> dict:
        data = self.service_data()
        data.pop("publish", None)
        return {k: v for k, v in data.items() if k in self.changed_data}


class TechNeedForm(OwnedForm):
    owner_field = "enterprise"
    owner_label = "需求企业"

    class Meta:
        model = TechNeed
        fields = list(NEED_FIELDS)


class AchievementForm(OwnedForm):
    owner_field = "owner"
    owner_label = "成果单位"

    class Meta:
        model = Achievement
        fields = list(ACHIEVEMENT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"].help_text = "留空表示面议"
        self.fields["patent_number"].help_text = "如 ZL201710601862.3；软件著作权如 2023SR0123456"


CHOICES_LIMIT = 200


class DockingForm(forms.Form):
    """Recommend (staff) or request (the parties) a docking of one need: an achievement or an
    expert from those the user may read, in the need's field first."""

    achievement = forms.ModelChoiceField(label="对接成果", queryset=None, required=False)
    expert = forms.ModelChoiceField(label="对接专家", queryset=None, required=False)
    notes = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, user, need, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.need = user, need
        items = achievement_list(user).filter(status__in=ACHIEVEMENT_LISTED)
        if need.field and items.filter(field=need.field).exists():
            items = items.filter(field=need.field)
        ids = list(
            items.order_by("-published_on", "-id").values_list("pk", flat=True)[:CHOICES_LIMIT]
        )
        self.fields["achievement"].queryset = items.filter(pk__in=ids).order_by("title")
        self.fields["achievement"].label_from_instance = lambda a: f"{a.title}（{a.owner.name}）"
        experts = expert_list(user)
        if need.field and experts.filter(fields__contains=need.field).exists():
            experts = experts.filter(fields__contains=need.field)
        ids = list(experts.values_list("pk", flat=True)[:CHOICES_LIMIT])
        self.fields["expert"].queryset = experts.filter(pk__in=ids)
        self.fields["expert"].label_from_instance = lambda e: f"{e.name}（{e.employer.name}）"
        self.fields["achievement"].empty_label = "（不选）"
        self.fields["expert"].empty_label = "（不选）"
        style_form(self)

    def clean(self):
        data = super().clean()
        if bool(data.get("achievement")) == bool(data.get("expert")):
            raise forms.ValidationError("请选择一项成果或一位专家（二选一）")
        return data

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
