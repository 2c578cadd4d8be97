from kechuang.core.api.viewsets import ScopedViewSet
from kechuang.core.exceptions import NotInScope, ValidationFailed
from kechuang.core.scoping import REGISTRY_READERS, STAFF_ROLES, Roles, object_in_scope
from kechuang.orgs import selectors, services
from kechuang.orgs.filtersets import (
    EnterpriseYearFilterSet,
    OrganizationFilterSet,
    QualificationFilterSet,
)

from .serializers import EnterpriseYearSerializer, OrganizationSerializer, QualificationSerializer


def _in_scope(actor, organization):
    """A referenced organization outside the actor's scope does not exist for them."""
    if not object_in_scope(organization, actor):
        raise NotInScope("机构不存在")
    return organization


class OrganizationViewSet(ScopedViewSet):
    """Enterprises, universities, institutes … in the caller's scope."""

    selector = selectors.organization_list
    read_roles = REGISTRY_READERS
    write_roles = REGISTRY_READERS  # an organization's own user may keep its profile
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "uscc"]
    ordering_fields = ["name", "uscc", "division_code", "founded_on", "created_at"]

    def create_object(self, actor, data):
        return services.organization_create(actor=actor, **data)

    def update_object(self, actor, instance, data):
        return services.organization_update(actor=actor, organization=instance, **data)


class EnterpriseYearViewSet(ScopedViewSet):
    """Yearly facts (money in yuan); POST upserts by organization and year."""

    selector = selectors.enterprise_year_list
    read_roles = REGISTRY_READERS
    write_roles = STAFF_ROLES | {Roles.ENTERPRISE}
    serializer_class = EnterpriseYearSerializer
    filterset_class = EnterpriseYearFilterSet
    search_fields = ["organization__name", "organization__uscc"]
    ordering_fields = ["year", "revenue", "rd_expense", "employees"]

    def create_object(self, actor, data):
        organization = _in_scope(actor, data.pop("organization"))
        return services.enterprise_year_save(
            actor=actor, organization=organization, year=data.pop("year"), **data
        )

    def update_object(self, actor, instance, data):
        data.pop("organization", None)
        data.pop("year", None)
        return services.enterprise_year_save(
            actor=actor, organization=instance.organization, year=instance.year, **data
        )


class QualificationViewSet(ScopedViewSet):
    """Qualifications (科小, 高企 …); POST upserts by organization, kind and number."""

    selector = selectors.qualification_list
    read_roles = REGISTRY_READERS
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilterSet
    search_fields = ["number", "organization__name", "organization__uscc"]
    ordering_fields = ["granted_on", "valid_until", "kind"]

    def create_object(self, actor, data):
        organization = _in_scope(actor, data.pop("organization"))
        return services.qualification_save(actor=actor, organization=organization, **data)

    def update_object(self, actor, instance, data):
        data.pop("organization", None)
        values = {f: data.get(f, getattr(instance, f)) for f in services.QUALIFICATION_FIELDS}
        if (values["kind"], values["number"]) != (instance.kind, instance.number):
            raise ValidationFailed("资质类型与证书编号不可修改", field="number")
        return services.qualification_save(
            actor=actor, organization=instance.organization, **values
        )
