from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kechuang.core.api.viewsets import ScopedViewSet
from kechuang.core.api.workflow import TransitionMixin, step
from kechuang.core.scoping import ALL_ROLES, REGISTRY_READERS, STAFF_ROLES, Roles
from kechuang.vouchers import filtersets, selectors, services

from .serializers import (
    ServiceItemSerializer,
    ServiceProviderSerializer,
    VoucherClaimSerializer,
    VoucherSchemeSerializer,
    VoucherSettlementSerializer,
    VoucherUseSerializer,
)

VOUCHER_READERS = STAFF_ROLES | {Roles.ENTERPRISE, Roles.PROVIDER}


class VoucherSchemeViewSet(ScopedViewSet):
    """Innovation voucher schemes (创新券方案): public to every reader; the bureau edits."""

    selector = selectors.scheme_list
    read_roles = ALL_ROLES
    write_roles = frozenset({Roles.BUREAU})
    serializer_class = VoucherSchemeSerializer
    filterset_class = filtersets.SchemeFilterSet
    search_fields = ["name"]

    def create_object(self, actor, data):
        return services.scheme_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        return services.scheme_update(actor=actor, scheme=instance, **data)


class ServiceProviderViewSet(TransitionMixin, ScopedViewSet):
    """Voucher service providers: registry, approval, suspension, blacklist, catalogue."""

    selector = selectors.provider_list
    read_roles = REGISTRY_READERS
    write_roles = STAFF_ROLES | {Roles.PROVIDER}
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ServiceProviderSerializer
    filterset_class = filtersets.ProviderFilterSet
    search_fields = ["organization__name"]
    transition_service = step(services.provider_transition, "provider")

    def create_object(self, actor, data):
        return services.provider_register(actor=actor, **data)

    @extend_schema(request=ServiceItemSerializer, responses=ServiceItemSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        provider = self.get_object()
        data = ServiceItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.item_add(actor=request.user, provider=provider, **data.validated_data)
        return Response(ServiceItemSerializer(item).data, status=status.HTTP_201_CREATED)


class VoucherClaimViewSet(TransitionMixin, ScopedViewSet):
    """Voucher quotas: the enterprise applies; staff approve (``transition``)."""

    selector = selectors.claim_list
    read_roles = VOUCHER_READERS
    write_roles = STAFF_ROLES | {Roles.ENTERPRISE}
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = VoucherClaimSerializer
    filterset_class = filtersets.ClaimFilterSet
    transition_service = step(services.claim_transition, "claim")

    def create_object(self, actor, data):
        return services.claim_apply(actor=actor, **data)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="重试同一请求时使用相同的键：不会重复用券，返回首次的结果",
)


class VoucherUseViewSet(ScopedViewSet):
    """Uses of a quota on service contracts; ``Idempotency-Key`` makes retries safe."""

    selector = selectors.use_list
    read_roles = VOUCHER_READERS
    write_roles = frozenset({Roles.ENTERPRISE})
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = VoucherUseSerializer
    filterset_class = filtersets.UseFilterSet

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        use, created = services.use_create(
            actor=request.user,
            idempotency_key=request.headers.get("Idempotency-Key", "")[:100],
            **serializer.validated_data,
        )
        response = Response(self.get_serializer(use).data, status=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


class VoucherSettlementViewSet(TransitionMixin, ScopedViewSet):
    """Settlement requests with their documents (multipart); verified and paid by staff."""

    selector = selectors.settlement_list
    read_roles = VOUCHER_READERS
    write_roles = STAFF_ROLES | {Roles.ENTERPRISE, Roles.PROVIDER}
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = VoucherSettlementSerializer
    filterset_class = filtersets.SettlementFilterSet
    transition_service = step(services.settlement_transition, "settlement")

    def create_object(self, actor, data):
        return services.settlement_submit(actor=actor, **data)
