"""Generic pages shared by every app: scoping, roles, filters, history and services in one place."""

from .access import RoleRequiredMixin, has_role
from .detail import (
    ScopedDetailView,
    audit_events,
    history_entries,
    merge_history,
    related_history_entries,
    workflow_steps,
)
from .edit import ServiceCreateView, ServiceFormView, ServiceUpdateView, add_service_error
from .forms import ServiceModelForm, relabel_empty_choice, style_form
from .home import HomeView
from .jobs import JobView
from .lists import Column, ScopedListView

__all__ = [
    "Column",
    "HomeView",
    "JobView",
    "RoleRequiredMixin",
    "ScopedDetailView",
    "ScopedListView",
    "ServiceCreateView",
    "ServiceFormView",
    "ServiceModelForm",
    "ServiceUpdateView",
    "add_service_error",
    "audit_events",
    "has_role",
    "history_entries",
    "merge_history",
    "related_history_entries",
    "relabel_empty_choice",
    "style_form",
    "workflow_steps",
]
