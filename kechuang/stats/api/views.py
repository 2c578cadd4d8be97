"""``GET /api/v1/stats/``: indicator values with a link to the records behind each."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kechuang.core.api.permissions import RolePermission
from kechuang.core.exceptions import ValidationFailed
from kechuang.stats import selectors

from .serializers import IndicatorInfoSerializer, StatsQuerySerializer, StatValueSerializer


def _indicators(request) -> list[str] | None:
    keys = []
    for raw in request.query_params.getlist("indicator"):
        keys += [k.strip() for k in raw.split(",") if k.strip()]
    return keys or None


class StatsView(GenericAPIView):
    """Values of indicators for a division (its whole subtree) or a zone, and one period.

    Out-of-scope or unknown divisions and zones answer 404; roles other than staff 403.
    """

    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = selectors.STATS_READERS
    write_roles = frozenset()
    serializer_class = StatValueSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[StatsQuerySerializer],
        responses=StatValueSerializer(many=True),
        operation_id="stats_list",
    )
    def get(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        user = request.user
        zone = params.get("zone")
        division = params.get("division") or ""
        if not division and zone is None:
            default = selectors.default_target(user)
            division, zone = default.division, default.zone
        period = params.get("period") or selectors.default_period()
        indicators = _indicators(request)
        if params.get("children"):
            if zone is not None:
                raise ValidationFailed("园区没有下级", field="children")
            if indicators is None:
                raise ValidationFailed("请用 indicator 指定要比较的指标", field="indicator")
            values = selectors.compute_children(
                user=user, division=division, period=period, indicators=indicators
            )
        else:
            values = selectors.compute(
                user=user, division=division, zone=zone, period=period, indicators=indicators
            )
        rows = []
        for value in values:
            row = asdict(value)
            row["records"] = request.build_absolute_uri(value.records_url)
            rows.append(row)
        return Response(StatValueSerializer(rows, many=True).data)


class IndicatorCatalogView(GenericAPIView):
    """The registered indicators: key, label, unit, description, definition version."""

    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = selectors.STATS_READERS
    write_roles = frozenset()
    serializer_class = IndicatorInfoSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=IndicatorInfoSerializer(many=True), operation_id="stats_indicators")
    def get(self, request):
        items = [asdict(info) for info in selectors.indicator_catalog()]
        return Response(IndicatorInfoSerializer(items, many=True).data)
