from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.exceptions import ApplicationError
from kechuang.core.imports import importers, write_export


class Command(BaseCommand):
    help = "按导入格式导出机构、企业年度数据、资质或创新平台（按文件扩展名写 .xlsx 或 .csv）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(importers()), help="导出类型")
        parser.add_argument("file", help="输出文件，扩展名 .xlsx 或 .csv")
        parser.add_argument("--division", help="只导出该行政区划内的记录，如 340400 或 340421")
        parser.add_argument("--user", help="只导出该用户可见的记录")

    def handle(self, *args, kind, file, division, user, **options):
        if not file.lower().endswith((".xlsx", ".csv")):
            raise CommandError("输出文件的扩展名应为 .xlsx 或 .csv")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"用户 {user} 不存在")
        try:
            count = write_export(kind, file, user=actor, division=division)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已导出 {count} 行到 {file}")
