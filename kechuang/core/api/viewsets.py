"""Base viewsets: scoping is enforced here once, writes go through services."""

from __future__ import annotations

from django.db import models
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from kechuang.core.scoping import ALL_ROLES, STAFF_ROLES

from .permissions import RolePermission


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List / retrieve / create / partial update of a scoped model.

    Subclasses set ``selector`` (user → scoped queryset), ``read_roles`` / ``write_roles`` and
    implement ``create_object(actor, data)`` / ``update_object(actor, instance, data)`` by calling
    the app's services. Out-of-scope objects are absent from the queryset and so answer 404.
    """

    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = ALL_ROLES
    write_roles = STAFF_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]
    selector = None

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(self.request.user)

    def create_object(self, actor, data: dict):
        raise NotImplementedError

    def update_object(self, actor, instance, data: dict):
        raise NotImplementedError

    def perform_create(self, serializer) -> None:
        serializer.instance = self.create_object(self.request.user, dict(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        serializer.instance = self.update_object(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )


class ReadOnlyScopedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = ALL_ROLES
    write_roles = frozenset()
    selector = None

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(self.request.user)
