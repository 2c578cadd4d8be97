"""Create and edit pages: a form checks shape, the app's service writes.

A subclass sets ``form_class`` (a ``ServiceModelForm``) and implements ``perform(form)`` by
calling the service; an ``ApplicationError`` becomes an error on the field it names (or on the
whole form), a success a message and a redirect to the detail page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView

from kechuang.core.exceptions import ApplicationError, NotInScope
from kechuang.core.scoping import STAFF_ROLES

from .access import RoleRequiredMixin


def add_service_error(form, exc: ApplicationError | ValidationError) -> None:
    """Put a service's error on the named form field, or on the form when the field is absent."""
    error_fields = getattr(form, "error_fields", {})
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                target = error_fields.get(name, name)
                form.add_error(target if target in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    target = error_fields.get(exc.field, exc.field) if exc.field else None
    form.add_error(target if target in form.fields else None, exc.message)


class ServiceFormView(RoleRequiredMixin, FormView):
    """Shared by create and edit pages. ``write_roles`` decides who may open the page (403)."""

    write_roles = STAFF_ROLES
    template_name = "generic/form.html"
    title = ""
    submit_label = "保存"
    success_message = "已保存"
    detail_url_name: str | None = None

    def allowed_roles(self):
        return self.write_roles

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form) -> models.Model:
        """Call the service with the form's values; return the saved object."""
        raise NotImplementedError

    def success_url_for(self, obj: models.Model) -> str:
        return reverse(self.detail_url_name, args=[obj.pk])

    def cancel_url(self) -> str | None:
        return None

    def form_valid(self, form):
        try:
            obj = self.perform(form)
        except NotInScope as exc:
            if exc.field is None:
                raise Http404(exc.message) from exc
            add_service_error(form, exc)
            return self.form_invalid(form)
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(obj=obj))
        return HttpResponseRedirect(self.success_url_for(obj))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title, submit_label=self.submit_label, cancel_url=self.cancel_url()
        )
        return context


class ServiceCreateView(ServiceFormView):
    success_message = "已创建：{obj}"


class ServiceUpdateView(ServiceFormView):
    """Edit page: the object comes from the scoped ``selector`` (404 when out of scope)."""

    selector: Callable[[Any], models.QuerySet] | None = None
    success_message = "已保存：{obj}"

    def access_granted(self) -> None:
        self.object = self.get_object()

    def get_object(self) -> models.Model:
        queryset = type(self).selector(self.request.user)
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except queryset.model.DoesNotExist as exc:
            raise Http404("记录不存在") from exc

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def cancel_url(self) -> str | None:
        return self.success_url_for(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context
