"""``/api/v1/policies/``: the policies (reference data), 免申即享 screening and the reserve.

Staff screen within their scope; an enterprise user gets its own row; other roles 403. The zone
recognition policy is evaluated per zone, not per enterprise: its screen answers 400 for now.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kechuang.core.api.pagination import StandardPagination
from kechuang.core.api.permissions import RolePermission
from kechuang.core.api.viewsets import ScopedViewSet
from kechuang.core.imports.writers import write_xlsx
from kechuang.core.scoping import STAFF_ROLES, Roles, division_q
from kechuang.engines.rules import POLICIES
from kechuang.policies import selectors
from kechuang.policies import services as redemption_services
from kechuang.policies.filtersets import (
    InnovationAssessmentFilterSet,
    PolicyBudgetFilterSet,
    RedemptionFilterSet,
)
from kechuang.policies.models import COMMITTED, Redemption

from .serializers import (
    ApplySerializer,
    ConfirmScreeningSerializer,
    ExportQuerySerializer,
    InnovationAssessmentSerializer,
    InnovationAssessmentUpdateSerializer,
    ParameterValueDeleteSerializer,
    ParameterValueSetSerializer,
    PolicyBudgetSerializer,
    PolicyBudgetUpdateSerializer,
    PolicySerializer,
    RedemptionAmountSerializer,
    RedemptionSerializer,
    RedemptionTransitionSerializer,
    ReserveQuerySerializer,
    ScreenPageSerializer,
    ScreenQuerySerializer,
    ScreenRowSerializer,
    StoredParameterValueSerializer,
)

KEY = OpenApiParameter(
    "key",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="政策代码",
    enum=sorted(POLICIES),
)


class PolicyViewSet(viewsets.GenericViewSet):
    """Policies with their parameters: the shipped values by effective date, the values the
    divisions above the user and the user's own bureau set (who, when, why), the values in force
    and the change history. Bureau staff set and withdraw their own values (``parameters/``)."""

    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = selectors.SCREEN_READERS
    write_roles = frozenset({Roles.BUREAU})
    serializer_class = PolicySerializer
    pagination_class = StandardPagination
    filter_backends = []
    lookup_field = lookup_url_kwarg = "key"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(responses=PolicySerializer(many=True))
    def list(self, request):
        rows = selectors.policy_descriptions(request.user)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PolicySerializer(page, many=True).data)

    @extend_schema(parameters=[KEY], responses=PolicySerializer)
    def retrieve(self, request, key=None):
        policy = selectors.policy_detail(key)
        [row] = selectors.policy_descriptions(request.user, [policy])
        return Response(PolicySerializer(row).data)

    @extend_schema(
        methods=["POST"],
        parameters=[KEY],
        request=ParameterValueSetSerializer,
        responses={201: StoredParameterValueSerializer},
        description=(
            "科技局设定本级参数取值（自某日起生效），须说明依据；取值形式与政策文件规定的相同，"
            "并按新取值试算通过。同一生效日期再次设定即修改。"
        ),
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[KEY, ParameterValueDeleteSerializer],
        request=None,
        responses={204: None},
        description="撤销本级设定的取值（参数、生效日期和撤销理由可放在查询参数中）。",
    )
    @action(detail=True, methods=["post", "delete"], url_path="parameters")
    def parameters(self, request, key=None):
        policy = selectors.policy_detail(key)
        if request.method == "DELETE":
            data = ParameterValueDeleteSerializer(data=request.data or request.query_params)
            data.is_valid(raise_exception=True)
            redemption_services.parameter_value_delete(
                actor=request.user, policy_key=policy.key, **data.validated_data
            )
            return Response(status=204)
        data = ParameterValueSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = redemption_services.parameter_value_set(
            actor=request.user, policy_key=policy.key, **data.validated_data
        )
        return Response(StoredParameterValueSerializer(value).data, status=201)

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


# --- 政策兑现 (redemptions) --------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADER = [
    "政策",
    "会计年度",
    "企业名称",
    "统一社会信用代码",
    "行政区划代码",
    "测算金额（元）",
    "兑现金额（元）",
    "调整理由",
    "来源",
    "状态",
]


class RedemptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """政策兑现: staff read their division or zone, an enterprise its own. Staff confirm the
    screening list (免申即享), verify, approve (within budget), pay, return or reject; an
    enterprise applies and resubmits; staff adjust the amount (with a reason) before approval."""

    permission_classes = [IsAuthenticated, RolePermission]
    read_roles = selectors.SCREEN_READERS
    write_roles = selectors.SCREEN_READERS
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = RedemptionSerializer
    filterset_class = RedemptionFilterSet
    search_fields = ["organization__name", "organization__uscc"]

    def get_queryset(self):
        return selectors.redemption_list(self.request.user)

    @extend_schema(request=RedemptionAmountSerializer, responses=RedemptionSerializer)
    def partial_update(self, request, *args, **kwargs):
        redemption = self.get_object()
        data = RedemptionAmountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption = redemption_services.redemption_set_amount(
            actor=request.user, redemption=redemption, **data.validated_data
        )
        return Response(RedemptionSerializer(redemption).data)

    @extend_schema(
        request=ConfirmScreeningSerializer,
        responses={201: RedemptionSerializer(many=True)},
        description="确认免申即享名单：为辖区内符合条件的企业生成待核实的兑现记录（已有的跳过）。",
    )
    @action(detail=False, methods=["post"], url_path="confirm-screening", pagination_class=None)
    def confirm_screening(self, request):
        data = ConfirmScreeningSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        created = redemption_services.redemptions_confirm_screening(
            actor=request.user,
            policy_key=params["policy"],
            year=params["year"],
            division=params.get("division"),
            uscc_list=params.get("uscc_list"),
        )
        return Response(RedemptionSerializer(created, many=True).data, status=201)

    @extend_schema(
        request=ApplySerializer,
        responses={201: RedemptionSerializer},
        description="企业申请政策兑现：按本企业数据测算，不符合条件时说明差距。",
    )
    @action(detail=False, methods=["post"])
    def apply(self, request):
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption = redemption_services.redemption_apply(
            actor=request.user,
            policy_key=data.validated_data["policy"],
            year=data.validated_data["year"],
        )
        return Response(RedemptionSerializer(redemption).data, status=201)

    @extend_schema(request=RedemptionTransitionSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        redemption = self.get_object()
        data = RedemptionTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption = redemption_services.redemption_transition(
            actor=request.user, redemption=redemption, **data.validated_data
        )
        return Response(RedemptionSerializer(redemption).data)

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={(200, XLSX): OpenApiTypes.BINARY},
        description="导出已批准、已拨付的兑现名单（Excel）。",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request):
        params = _query(ExportQuerySerializer, request)
        statuses = [params["status"]] if params.get("status") else list(COMMITTED)
        rows = self.get_queryset().filter(status__in=statuses)
        if params.get("policy"):
            rows = rows.filter(policy=params["policy"])
        if params.get("year"):
            rows = rows.filter(year=params["year"])
        if params.get("division"):
            rows = rows.filter(division_q("division_code", params["division"]))
        stream = io.BytesIO()
        write_xlsx(stream, EXPORT_HEADER, (_export_row(r) for r in rows), title="政策兑现名单")
        response = HttpResponse(stream.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename=redemptions.xlsx"
        return response


def _export_row(redemption: Redemption) -> list:
    policy = POLICIES.get(redemption.policy)
    return [
        policy.label if policy else redemption.policy,
        redemption.year,
        redemption.organization.name,
        redemption.organization.uscc,
        redemption.division_code,
        redemption.computed_amount,
        redemption.amount,
        redemption.override_reason,
        redemption.get_source_display(),
        redemption.get_status_display(),
    ]


# --- experts' innovation scores and budgets -----------------------------------------------------


class InnovationAssessmentViewSet(ScopedViewSet):
    """The experts' innovation score (0–80) of an enterprise for a fiscal year, which decides the
    innovation condition of 高新技术企业认定. Staff enter and correct them within their scope
    (one per enterprise and year: entering again corrects it); an enterprise reads its own."""

    selector = staticmethod(selectors.innovation_assessment_list)
    read_roles = selectors.SCREEN_READERS
    write_roles = STAFF_ROLES
    serializer_class = InnovationAssessmentSerializer
    filterset_class = InnovationAssessmentFilterSet
    search_fields = ["organization__name", "organization__uscc"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return InnovationAssessmentUpdateSerializer
        return InnovationAssessmentSerializer

    def create_object(self, actor, data):
        return redemption_services.innovation_assessment_set(actor=actor, **data)

    def update_object(self, actor, instance, data):
        fields = {
            "score": instance.score,
            "assessed_on": instance.assessed_on,
            "note": instance.note,
            **data,
        }
        return redemption_services.innovation_assessment_set(
            actor=actor, organization=instance.organization, year=instance.year, **fields
        )


class PolicyBudgetViewSet(ScopedViewSet):
    """兑现预算 per policy, year and division, with what approvals have used and what remains.
    Bureau staff set the budgets of their division subtree (setting one again changes it)."""

    selector = staticmethod(selectors.policy_budget_list)
    read_roles = frozenset({Roles.ADMIN, Roles.BUREAU})
    write_roles = frozenset({Roles.ADMIN, Roles.BUREAU})
    serializer_class = PolicyBudgetSerializer
    filterset_class = PolicyBudgetFilterSet

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PolicyBudgetUpdateSerializer
        return PolicyBudgetSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_usage(page) if page is not None else None

    def get_object(self):
        [budget] = selectors.with_usage([super().get_object()])
        return budget

    def create_object(self, actor, data):
        [budget] = selectors.with_usage(
            [
                redemption_services.policy_budget_set(
                    actor=actor,
                    policy_key=data["policy"],
                    year=data["year"],
                    division_code=data["division_code"],
                    amount=data["amount"],
                )
            ]
        )
        return budget

    def update_object(self, actor, instance, data):
        budget = redemption_services.policy_budget_set(
            actor=actor,
            policy_key=instance.policy,
            year=instance.year,
            division_code=instance.division_code,
            amount=data.get("amount", instance.amount),
        )
        return selectors.with_usage([budget])[0]
