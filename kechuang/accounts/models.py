from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from kechuang.core.scoping import Roles, division_prefix


class User(AbstractUser):
    """A user with one role and one scope: a division prefix, a zone or an organization."""

    role = models.CharField("角色", max_length=20, choices=Roles.choices, default=Roles.ENTERPRISE)
    division_code = models.CharField("管辖行政区划", max_length=6, blank=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="所属园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField("姓名", max_length=64, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="bureau") | ~Q(division_code=""),
                name="user_bureau_has_division",
            ),
            models.CheckConstraint(
                condition=~Q(role="zone") | Q(zone__isnull=False), name="user_zone_has_zone"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["enterprise", "university", "provider"])
                | Q(organization__isnull=False),
                name="user_org_role_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_role(self) -> bool:
        return self.is_superuser or self.role in {Roles.ADMIN, Roles.BUREAU, Roles.ZONE}

    @property
    def scope_label(self) -> str:
        if self.is_superuser or self.role == Roles.ADMIN:
            return "全部"
        if self.role == Roles.BUREAU:
            from kechuang.regions.selectors import division_full_name

            return division_full_name(self.division_code) or division_prefix(self.division_code)
        if self.role == Roles.ZONE and self.zone_id:
            return str(self.zone)
        if self.organization_id:
            return str(self.organization)
        return "仅本人"
