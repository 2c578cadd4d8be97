"""Forms of the bulletin pages: shape only; bulletins.services decides the rest."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from kechuang.core.scoping import Roles
from kechuang.core.views import style_form
from kechuang.regions.forms import division_form_field, zones_for

from .catalog import DEFAULT_TEMPLATE, template_choices
from .formatting import FormatError, parse_period
from .services import paragraph_texts


class BulletinGenerateForm(forms.Form):
    division_code = forms.CharField(label="行政区划", required=False)
    zone = forms.ModelChoiceField(label="园区", queryset=None, required=False)
    period = forms.CharField(
        label="期间",
        max_length=12,
        help_text="年度 2023；半年 2023H1；季度 2023Q3；月 2023M07；1 月至某月累计 2023YTD07",
    )
    template = forms.ChoiceField(label="模板", choices=template_choices(), initial=DEFAULT_TEMPLATE)
    title = forms.CharField(
        label="标题", max_length=200, required=False, help_text="留空则按模板生成"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["period"].initial = str(timezone.localdate().year - 1)
        self.fields["zone"].queryset = zones_for(user)
        if user.role == Roles.ZONE and not user.is_superuser:
            self.fields.pop("division_code")
            self.fields["zone"].required = True
            self.fields["zone"].empty_label = None
        else:
            field = division_form_field(user, label="行政区划", required=False, leaf_only=False)
            field.initial = user.division_code or ""
            field.help_text = "选择园区时以园区为准"
            self.fields["division_code"] = field
            self.fields["zone"].empty_label = "（不按园区，按行政区划）"
        style_form(self)

    def clean_period(self):
        period = self.cleaned_data["period"].strip().upper()
        try:
            parse_period(period)
        except FormatError as exc:
            raise forms.ValidationError(str(exc)) from None
        return period

    def clean(self):
        data = super().clean()
        if (
            not data.get("zone")
            and not data.get("division_code")
            and "division_code" in self.fields
        ):
            self.add_error("division_code", "请选择行政区划或园区")
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("division_code", "")
        return data


def paragraph_field_name(key: str) -> str:
    return "text__" + key.replace(".", "__")


class BulletinTextForm(forms.Form):
    """The title, the issuer and one textarea per paragraph of a draft."""

    title = forms.CharField(label="标题", max_length=200)
    issuer = forms.CharField(label="编发单位", max_length=100)

    def __init__(self, *args, user, bulletin, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.bulletin = bulletin
        self.fields["title"].initial = bulletin.title
        self.fields["issuer"].initial = bulletin.issuer
        self.paragraphs = []
        self.error_fields = {}
        headings = {
            block["key"]: section.get("heading", "")
            for section in bulletin.body.get("sections", [])
            for block in section.get("blocks", [])
        }
        for key, text in paragraph_texts(bulletin.body).items():
            name = paragraph_field_name(key)
            self.fields[name] = forms.CharField(
                label=headings.get(key) or "段落",
                initial=text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "data-paragraph": key}),
            )
            self.paragraphs.append((key, name))
            self.error_fields[key] = name
        style_form(self)

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[name] for key, name in self.paragraphs}
