"""Ranked matching in the API: ``GET needs/{id}/matches/?kind=achievements|experts&limit=10``,
``GET achievements/{id}/matches/?kind=needs`` and the ranked ``?q=`` of the list endpoints.

The viewsets mix these in; the object is read through the viewset's scoped queryset (out of
scope → 404) and the hits through the user's selectors (only what the user may read).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, When
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.exceptions import ValidationFailed

from .. import search

MAX_LIMIT = 50
RANKED_LIST = 500  # a ranked ?q= list holds the best 500 (then pages of the usual size)


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    score = serializers.FloatField()
    matched_terms = serializers.ListField(child=serializers.CharField())
    field = serializers.CharField(allow_blank=True)
    division_code = serializers.CharField()


def match_record(kind: str, match: search.Match) -> dict:
    obj = match.object
    return {
        "id": obj.pk,
        "kind": kind,
        "title": obj.name if kind == "experts" else obj.title,
        "score": match.score,
        "matched_terms": match.matched_terms,
        "field": obj.fields if kind == "experts" else obj.field,
        "division_code": obj.division_code,
    }


def _limit(value) -> int:
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"limit 应为整数：{value}", field="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit 应在 1–{MAX_LIMIT} 之间：{limit}", field="limit")
    return limit


def matches_action(kinds: tuple[str, ...]):
    """A ``matches`` detail action answering records of ``kinds`` (the first is the default)."""

    @extend_schema(
        summary="匹配推荐",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(kinds), default=kinds[0]),
            OpenApiParameter("limit", OpenApiTypes.INT, default=10, description=f"1–{MAX_LIMIT}"),
        ],
        responses=MatchSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def matches(self, request, pk=None):
        obj = self.get_object()
        kind = request.query_params.get("kind", kinds[0])
        if kind not in kinds:
            raise ValidationFailed(
                f"kind 应为 {'、'.join(kinds)} 之一：{kind}", field="kind", code="invalid"
            )
        limit = _limit(request.query_params.get("limit", 10))
        found = search.matches_for(obj, kind, user=request.user, limit=limit)
        return Response(MatchSerializer([match_record(kind, m) for m in found], many=True).data)

    return matches


def ranked(queryset: QuerySet, kind: str, text: str, user) -> QuerySet:
    """``queryset`` narrowed to the records matching ``text``, best first."""
    found = search.search(kind, text, user=user, limit=RANKED_LIST)
    order = [match.object.pk for match in found]
    if not order:
        return queryset.none()
    rank = Case(
        *[When(pk=pk, then=position) for position, pk in enumerate(order)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=order).order_by(rank)
