from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from kechuang.core.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet
from kechuang.core.scoping import ALL_ROLES, Roles
from kechuang.regions import services
from kechuang.regions.filtersets import DivisionFilterSet, ZoneFilterSet
from kechuang.regions.models import Division, Zone

from .serializers import DivisionSerializer, ZoneSerializer


def all_divisions(user):
    return Division.objects.all()


def all_zones(user):
    return Zone.objects.all()


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "id",
                str,
                OpenApiParameter.PATH,
                description="6 位行政区划代码，如 340421",
                pattern="^[0-9]{6}$",
            )
        ]
    )
)
class DivisionViewSet(ReadOnlyScopedViewSet):
    """GB/T 2260 divisions: reference data, readable by every signed-in user."""

    lookup_value_regex = "[0-9]{6}"

    selector = all_divisions
    read_roles = ALL_ROLES
    serializer_class = DivisionSerializer
    filterset_class = DivisionFilterSet
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]


class ZoneViewSet(ScopedViewSet):
    """Zones: readable by every signed-in user; kept by bureau staff of the host division."""

    selector = all_zones
    read_roles = ALL_ROLES
    write_roles = frozenset({Roles.BUREAU})
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "division_code", "approved_on"]

    def create_object(self, actor, data):
        return services.zone_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        return services.zone_update(actor=actor, zone=instance, **data)
