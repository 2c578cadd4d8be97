"""Reads of organizations, their yearly facts and qualifications."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from kechuang.core.scoping import visible_to

from .models import EnterpriseYear, Organization, Qualification, QualificationStatus


def qualified_on_q(day: date, prefix: str = "") -> Q:
    """The filter "this qualification is in force on ``day``": the one definition used."""
    return Q(
        **{
            f"{prefix}status": QualificationStatus.VALID,
            f"{prefix}granted_on__lte": day,
            f"{prefix}valid_until__gte": day,
        }
    )


def qualifications_in_force(day: date, kind: str | None = None) -> QuerySet[Qualification]:
    qs = Qualification.objects.filter(qualified_on_q(day))
    return qs.filter(kind=kind) if kind else qs


def organizations_qualified_on(
    queryset: QuerySet[Organization], *, kind: str, day: date
) -> QuerySet[Organization]:
    """Organizations of ``queryset`` holding a ``kind`` qualification in force on ``day``."""
    # An uncorrelated IN (…): both databases build the set of holders once, instead of probing
    # the qualifications once per organization.
    return queryset.filter(pk__in=qualifications_in_force(day, kind).values("organization_id"))


def is_qualified(organization: Organization, kind: str, day: date) -> bool:
    return qualifications_in_force(day, kind).filter(organization=organization).exists()


def organization_list(user) -> QuerySet[Organization]:
    return visible_to(Organization.objects.select_related("zone"), user)


def organization_detail(user, pk) -> Organization:
    """Raises Organization.DoesNotExist (→ 404) when out of scope."""
    return organization_list(user).get(pk=pk)


def enterprise_year_list(user) -> QuerySet[EnterpriseYear]:
    return visible_to(EnterpriseYear.objects.select_related("organization"), user)


def qualification_list(user) -> QuerySet[Qualification]:
    return visible_to(Qualification.objects.select_related("organization"), user)
