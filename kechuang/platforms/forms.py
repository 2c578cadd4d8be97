"""Forms of the platform pages: shape only; platforms.services decides the rest."""

from __future__ import annotations

from django import forms

from kechuang.core.identifiers import normalise_uscc
from kechuang.core.views import ServiceModelForm, style_form
from kechuang.orgs.selectors import organization_list
from kechuang.regions.forms import division_form_field, zones_for

from .models import Platform


class PlatformForm(ServiceModelForm):
    """The host organization is given by its USCC and looked up in the user's scope."""

    host_uscc = forms.CharField(label="依托单位统一社会信用代码", max_length=18)
    error_fields = {"host": "host_uscc"}

    class Meta:
        model = Platform
        fields = ["name", "kind", "level", "division_code", "zone", "recognised_on", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["division_code"] = division_form_field(
            user, label="行政区划（区县）", required=False
        )
        self.fields["division_code"].help_text = "留空则取依托单位所在区县"
        self.fields["zone"].queryset = zones_for(user)
        self.fields["zone"].empty_label = "（不属于园区）"
        if self.instance.pk is not None:
            self.initial["host_uscc"] = self.instance.host.uscc
        else:
            self.fields.pop("status")  # a new platform is in operation
        self.order_fields(["name", "kind", "level", "host_uscc"])
        style_form(self)

    def clean_host_uscc(self):
        uscc = normalise_uscc(self.cleaned_data["host_uscc"])
        self.host = organization_list(self.user).filter(uscc=uscc).first()
        if self.host is None:
            raise forms.ValidationError("在您的管辖范围内没有该统一社会信用代码的机构")
        return uscc

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "host_uscc"}
        data["host"] = self.host
        if not data.get("division_code"):
            data["division_code"] = self.host.division_code
        return data

    def changed_service_data(self) -> dict:
        data = self.service_data()
        changed = set(self.changed_data)
        if "host_uscc" in changed:
            changed.add("host")
        return {k: v for k, v in data.items() if k in changed}
