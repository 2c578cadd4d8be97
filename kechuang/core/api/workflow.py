"""``POST {id}/transition/`` with ``{"action", "note"}``: one workflow step of a viewset's object
(kechuang.core.workflow), answered with the object as the viewset serializes it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response


class WorkflowStepSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionMixin:
    """``transition_service(*, actor, obj, action, note)`` takes the step (see ``step``)."""

    transition_service = None

    @extend_schema(request=WorkflowStepSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        obj = self.get_object()
        data = WorkflowStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = type(self).transition_service(actor=request.user, obj=obj, **data.validated_data)
        return Response(self.get_serializer(obj).data)


def step(service, name: str):
    """Adapt an app's ``<entity>_transition(*, actor, <name>, action, note)`` service."""

    def run(*, actor, obj, action, note):
        return service(actor=actor, action=action, note=note, **{name: obj})

    return run
