from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.api.viewsets import ScopedViewSet
from kechuang.core.api.workflow import TransitionMixin, step
from kechuang.core.scoping import ALL_ROLES, STAFF_ROLES, Roles
from kechuang.market import filtersets, selectors, services

from .matching import matches_action
from .serializers import (
    AchievementSerializer,
    DockingSerializer,
    DockingUpdateSerializer,
    ExpertSerializer,
    MatchEventSerializer,
    RevokeSerializer,
    TechContractSerializer,
    TechNeedSerializer,
)

PARTIES = STAFF_ROLES | {Roles.ENTERPRISE, Roles.UNIVERSITY}
DOCKING_READERS = PARTIES | {Roles.EXPERT}


class TechNeedViewSet(TransitionMixin, ScopedViewSet):
    """企业技术需求: enterprises post their own; staff read and broker their division's.
    Published needs that are not private are read by every signed-in user. ``transition``:
    publish / solve / close / reopen; ``matches``: ranked achievements or experts answering it;
    ``?q=`` ranks needs by relevance."""

    selector = selectors.need_list
    read_roles = ALL_ROLES
    write_roles = STAFF_ROLES | {Roles.ENTERPRISE}
    serializer_class = TechNeedSerializer
    filterset_class = filtersets.TechNeedApiFilterSet
    ordering_fields = ["published_on", "deadline", "created_at"]
    transition_service = step(services.need_transition, "need")
    matches = matches_action(("achievements", "experts"))

    def create_object(self, actor, data):
        return services.need_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        data.pop("publish", None)
        data.pop("enterprise", None)
        return services.need_update(actor=actor, need=instance, **data)


class AchievementViewSet(TransitionMixin, ScopedViewSet):
    """科技成果: universities, institutes and enterprises post their own; ``?q=`` ranks them
    by relevance (best first). ``transition``: publish / withdraw / transfer; ``matches``: the
    needs an achievement answers."""

    selector = selectors.achievement_list
    read_roles = ALL_ROLES
    write_roles = STAFF_ROLES | {Roles.ENTERPRISE, Roles.UNIVERSITY}
    serializer_class = AchievementSerializer
    filterset_class = filtersets.AchievementApiFilterSet
    ordering_fields = ["published_on", "price", "created_at"]
    transition_service = step(services.achievement_transition, "achievement")
    matches = matches_action(("needs",))

    def create_object(self, actor, data):
        return services.achievement_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        data.pop("publish", None)
        data.pop("owner", None)
        return services.achievement_update(actor=actor, achievement=instance, **data)


class ExpertViewSet(ScopedViewSet):
    """专家库: staff in scope and universities (for their own staff) keep it."""

    selector = selectors.expert_list
    read_roles = ALL_ROLES
    write_roles = STAFF_ROLES | {Roles.UNIVERSITY}
    serializer_class = ExpertSerializer
    filterset_class = filtersets.ExpertApiFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("achievements")

    def create_object(self, actor, data):
        return services.expert_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        data.pop("employer", None)
        return services.expert_update(actor=actor, expert=instance, **data)


class DockingViewSet(TransitionMixin, ScopedViewSet):
    """对接: need ↔ achievement, expert or organization. ``transition``: contact / negotiate /
    sign / fail (note = reason)."""

    selector = selectors.docking_list
    read_roles = DOCKING_READERS
    write_roles = PARTIES
    serializer_class = DockingSerializer
    filterset_class = filtersets.DockingApiFilterSet
    ordering_fields = ["recommended_on", "signed_on"]
    transition_service = step(services.docking_transition, "docking")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return DockingUpdateSerializer
        return DockingSerializer

    def create_object(self, actor, data):
        return services.docking_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        return services.docking_update(actor=actor, docking=instance, **data)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = DockingUpdateSerializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        docking = self.update_object(request.user, instance, dict(serializer.validated_data))
        return Response(DockingSerializer(docking, context=self.get_serializer_context()).data)


class MatchEventViewSet(ScopedViewSet):
    """对接会 / 成果发布会: staff register them; participants read theirs."""

    selector = selectors.event_list
    read_roles = PARTIES
    write_roles = STAFF_ROLES
    serializer_class = MatchEventSerializer
    filterset_class = filtersets.MatchEventApiFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("participants", "dockings")

    def create_object(self, actor, data):
        return services.event_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        return services.event_update(actor=actor, event=instance, **data)


class TechContractViewSet(ScopedViewSet):
    """技术合同认定登记: staff register and revoke (``revoke`` with a reason); the seller's
    scope and a registered buyer read them."""

    selector = selectors.contract_list
    read_roles = PARTIES
    write_roles = STAFF_ROLES
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = TechContractSerializer
    filterset_class = filtersets.TechContractApiFilterSet
    ordering_fields = ["registered_on", "contract_amount", "tech_amount"]

    def create_object(self, actor, data):
        return services.contract_register(actor=actor, **data)

    @extend_schema(request=RevokeSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        contract = self.get_object()
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_revoke(
            actor=request.user, contract=contract, **data.validated_data
        )
        return Response(self.get_serializer(contract).data, status=status.HTTP_200_OK)
