from kechuang.core.api.viewsets import ScopedViewSet
from kechuang.core.exceptions import NotInScope
from kechuang.core.scoping import REGISTRY_READERS, object_in_scope
from kechuang.platforms import selectors, services
from kechuang.platforms.filtersets import PlatformFilterSet

from .serializers import PlatformSerializer


class PlatformViewSet(ScopedViewSet):
    """R&D platforms (孵化器, 重点实验室 …) in the caller's scope."""

    selector = selectors.platform_list
    read_roles = REGISTRY_READERS
    serializer_class = PlatformSerializer
    filterset_class = PlatformFilterSet
    search_fields = ["name", "host__name"]
    ordering_fields = ["name", "recognised_on", "division_code"]

    def create_object(self, actor, data):
        if not object_in_scope(data["host"], actor):
            raise NotInScope("依托单位不存在")
        return services.platform_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        return services.platform_update(actor=actor, platform=instance, **data)
