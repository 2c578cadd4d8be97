import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.core.exceptions import ApplicationError
from kechuang.core.imports import importers, run_import

PROGRESS_FROM_ROWS = 5000


class Command(BaseCommand):
    help = "导入机构、企业年度数据、资质或创新平台（.xlsx 或 .csv）。任何一行有错误时不写入。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(importers()), help="导入类型")
        parser.add_argument("file", help=".xlsx 或 .csv 文件（CSV 可为 UTF-8 或 GB18030 编码）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument(
            "--user", help="以该用户的身份和管辖范围导入（不指定时以系统身份导入，不限范围）"
        )

    def handle(self, *args, kind, file, dry_run, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"用户 {user} 不存在")
        bar = None

        def progress(done: int, total: int | None) -> None:
            nonlocal bar
            if bar is None:
                if total is not None and total < PROGRESS_FROM_ROWS:
                    return
                bar = tqdm(total=total, unit="行", file=sys.stderr, desc="导入", leave=False)
            bar.total = total
            bar.update(done - bar.n)

        try:
            report = run_import(kind, file, actor=actor, dry_run=dry_run, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{file}") from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(report.text())
        if not report.ok:
            raise CommandError(f"发现 {len(report.errors)} 处错误，文件未写入")
