"""Forms of the organization pages: shape only; the services in services.py decide the rest."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone

from kechuang.core.scoping import STAFF_ROLES
from kechuang.core.views import ServiceModelForm, style_form
from kechuang.regions.forms import division_form_field, zones_for

from .models import EnterpriseYear, Organization, Qualification
from .services import ORG_FIELDS, QUALIFICATION_FIELDS

# What an organization's own user may not change (services.organization_update says the same).
LOCKED_FOR_OWN_USERS = ("uscc", "name", "kind", "division_code", "zone")
WAN = Decimal(10_000)
CENT = Decimal("0.01")


def is_staff(user) -> bool:
    return user.is_superuser or user.role in STAFF_ROLES


class OrganizationForm(ServiceModelForm):
    class Meta:
        model = Organization
        fields = list(ORG_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if is_staff(user):
            self.fields["division_code"] = division_form_field(user, label="行政区划（区县）")
            self.fields["zone"].queryset = zones_for(user)
            self.fields["zone"].empty_label = "（不属于园区）"
            self.fields["uscc"].widget.attrs.update(
                {"placeholder": "18 位", "autocomplete": "off", "spellcheck": "false"}
            )
        else:
            for name in LOCKED_FOR_OWN_USERS:
                self.fields.pop(name)
        style_form(self)


def money_fields() -> list[str]:
    """The facts kept in yuan (the form takes them in 万元)."""
    return [
        f.name
        for f in EnterpriseYear._meta.get_fields()
        if f.name in EnterpriseYear.FACT_FIELDS
        and isinstance(f, models.DecimalField)
        and f.max_digits == 18
    ]


class EnterpriseYearForm(ServiceModelForm):
    """One year of facts. Money is typed in 万元 (up to 6 decimals: exact to the fen)."""

    class Meta:
        model = EnterpriseYear
        fields = ["year", *EnterpriseYear.FACT_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.money = money_fields()
        for name in self.money:
            model_field = EnterpriseYear._meta.get_field(name)
            self.fields[name] = forms.DecimalField(
                label=f"{model_field.verbose_name}（万元）",
                required=False,
                max_digits=18,
                decimal_places=6,
            )
            stored = getattr(self.instance, name)
            if stored is not None:
                self.initial[name] = f"{(stored / WAN).normalize():f}"
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField) and name != "year":
                field.min_value = 0
                field.widget.attrs["min"] = 0
        if self.instance.pk is not None:
            self.fields["year"].disabled = True
        else:
            self.fields["year"].initial = timezone.localdate().year - 1
        style_form(self)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.money:
            if data.get(name) is not None:
                data[name] = (data[name] * WAN).quantize(CENT)
        return data


class QualificationForm(ServiceModelForm):
    class Meta:
        model = Qualification
        fields = list(QUALIFICATION_FIELDS)
