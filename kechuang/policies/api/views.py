"""``/api/v1/policies/``: the policies (reference data), 免申即享 screening and the reserve.

Staff screen within their scope; an enterprise user gets its own row; other roles 403. The zone
recognition policy is evaluated per zone, not per enterprise: its screen answers 400 for now.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kechuang.core.api.pagination import StandardPagination
from kechuang.core.api.permissions import RolePermission
from kechuang.engines.rules import POLICIES
from kechuang.policies import selectors

from .serializers import (
    PolicySerializer,
    ReserveQuerySerializer,
    ScreenPageSerializer,
    ScreenQuerySerializer,
    ScreenRowSerializer,
)

KEY = OpenApiParameter(
    "key",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="政策代码",
    enum=sorted(POLICIES),
)


class PolicyViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = selectors.SCREEN_READERS
    write_roles = frozenset()
    serializer_class = PolicySerializer
    pagination_class = StandardPagination
    filter_backends = []
    lookup_field = lookup_url_kwarg = "key"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(responses=PolicySerializer(many=True))
    def list(self, request):
        rows = [policy.describe() for policy in selectors.policy_list()]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PolicySerializer(page, many=True).data)

    @extend_schema(parameters=[KEY], responses=PolicySerializer)
    def retrieve(self, request, key=None):
        return Response(PolicySerializer(selectors.policy_detail(key).describe()).data)

    @extend_schema(
        parameters=[KEY, ScreenQuerySerializer],
        responses=ScreenPageSerializer,
        description=(
            "免申即享筛查：符合的在前，其余按接近程度排序。园区认定政策按园区评价，返回 400。"
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=StandardPagination)
    def screen(self, request, key=None):
        params = _query(ScreenQuerySerializer, request)
        rows = selectors.screen(
            user=request.user,
            policy_key=selectors.policy_detail(key).key,
            year=params["year"],
            division=params.get("division"),
        )
        if params.get("eligible") is not None:
            rows = [row for row in rows if row["eligible"] == params["eligible"]]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ScreenRowSerializer(page, many=True).data)

    @extend_schema(
        parameters=[KEY, ReserveQuerySerializer],
        responses=ScreenRowSerializer(many=True),
        description="梯次培育后备库：尚不符合的企业，按未满足条件数和差距排序，附差距说明。",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def reserve(self, request, key=None):
        params = _query(ReserveQuerySerializer, request)
        rows = selectors.reserve(
            user=request.user,
            policy_key=selectors.policy_detail(key).key,
            year=params["year"],
            division=params.get("division"),
            limit=params["limit"],
        )
        return Response(ScreenRowSerializer(rows, many=True).data)


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data
