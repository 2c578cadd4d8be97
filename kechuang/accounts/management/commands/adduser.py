from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.services import user_create
from kechuang.core.exceptions import ApplicationError
from kechuang.core.scoping import Roles
from kechuang.orgs.models import Organization
from kechuang.regions.models import Zone


class Command(BaseCommand):
    help = "Create a user with a role and a scope (division, zone or organization)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Roles.values)
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--division", help="行政区划代码，如 340400 或 3404")
        scope.add_argument("--zone", type=int, help="园区 ID")
        scope.add_argument("--org", help="机构统一社会信用代码")
        parser.add_argument("--password")
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args, username, role, division, zone, org, password, name, **options):
        zone_obj = organization = None
        if zone is not None:
            zone_obj = Zone.objects.filter(pk=zone).first()
            if zone_obj is None:
                raise CommandError(f"园区 {zone} 不存在")
        if org:
            organization = Organization.objects.filter(uscc=org.strip().upper()).first()
            if organization is None:
                raise CommandError(f"统一社会信用代码为 {org} 的机构不存在")
        try:
            user = user_create(
                username=username,
                role=role,
                password=password,
                division_code=division or "",
                zone=zone_obj,
                organization=organization,
                display_name=name,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建用户 {user.username}（{user.get_role_display()}，{user.scope_label}）"
            )
        )
