"""Form helpers shared by every app's pages: shape-only model forms and Tabler widget styling."""

from __future__ import annotations

from django import forms

EMPTY_CHOICE_LABEL = "全部"


class ServiceModelForm(forms.ModelForm):
    """A model form that checks shape only; the service validates, writes and audits.

    Model validation (``full_clean``, unique checks, constraints) is left to the service so that
    its clear messages reach the user, and the instance is never modified by the form: the service
    compares the stored values with the submitted ones. ``error_fields`` maps a service's field
    name to this form's field when they differ.
    """

    error_fields: dict[str, str] = {}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        relabel_empty_choice(self, "请选择")
        style_form(self)

    def _post_clean(self):
        """Skip ModelForm's instance construction and model validation (done by the service)."""

    def service_data(self) -> dict:
        """The cleaned values for the service, named as the model's fields."""
        return dict(self.cleaned_data)

    def changed_service_data(self) -> dict:
        """Only what the user changed (for update services)."""
        data = self.service_data()
        return {name: value for name, value in data.items() if name in self.changed_data}


def style_form(form: forms.BaseForm, *, size: str = "") -> forms.BaseForm:
    """Give every widget Tabler's classes; dates become native date pickers."""
    suffix = f" form-control-{size}" if size else ""
    select_suffix = f" form-select-{size}" if size else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(field, forms.DateField) and isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.NullBooleanSelect):
            css = "form-select" + select_suffix
        else:
            css = "form-control" + suffix
        classes = widget.attrs.get("class", "").split()
        widget.attrs["class"] = " ".join([*classes, *(c for c in css.split() if c not in classes)])
    return form


def relabel_empty_choice(form: forms.BaseForm, label: str = EMPTY_CHOICE_LABEL) -> None:
    """Filter forms: the empty choice of every select reads "全部" instead of "---------"."""
    for field in form.fields.values():
        if hasattr(field, "empty_label"):  # model choices and django-filter's choice fields
            field.empty_label = label
            field.widget.choices = field.choices
        elif isinstance(field, forms.NullBooleanField):
            field.widget.choices = [("", label), ("true", "是"), ("false", "否")]
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None):
                field.choices = [("", label), *choices[1:]]
