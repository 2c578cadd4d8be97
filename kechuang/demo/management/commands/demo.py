"""`kechuang demo`: migrate, load the divisions, build the demo region (once), print the logins,
and serve."""

from __future__ import annotations

import unicodedata

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kechuang.demo import builder
from kechuang.demo.builder import DEFAULT_SEED, SIZES, DemoError
from kechuang.regions.services import divisions_load

COUNT_LABELS = (
    ("zones", "园区", "个"),
    ("organizations", "机构", "家"),
    ("enterprises", "其中企业", "家"),
    ("enterprise_years", "企业年度数据", "条"),
    ("qualifications", "资质", "条"),
    ("platforms", "创新平台", "个"),
    ("users", "演示账号", "个"),
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


class Command(BaseCommand):
    help = (
        "生成淮南市（3404）演示区域：园区、机构、三年企业数据、资质、创新平台和各角色演示账号，"
        "然后启动本地服务。已生成时不重复生成；--reset 先清除淮南市的全部园区、机构、平台和"
        "演示账号再重建。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="small", help="数据规模")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
        parser.add_argument(
            "--enterprises", type=int, help="企业数量（覆盖 --size 的默认值，用于测试）"
        )
        parser.add_argument("--reset", action="store_true", help="清除演示区域后重建")
        parser.add_argument("--no-serve", action="store_true", help="只生成数据，不启动服务")
        parser.add_argument("--port", type=int, default=8000, help="服务端口")

    def handle(self, *args, size, seed, enterprises, reset, no_serve, port, **options):
        verbosity = options["verbosity"]
        self.stdout.write("迁移数据库……")
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(f"行政区划：{divisions_load():,} 个")
        if reset:
            deleted = builder.reset()
            self.stdout.write(
                f"已清除演示区域：机构 {deleted['organizations']:,} 家，"
                f"年度数据 {deleted['enterprise_years']:,} 条，平台 {deleted['platforms']:,} 个"
            )
        marker = builder.demo_marker()
        if marker is not None:
            info = marker.data
            self.stdout.write(
                self.style.WARNING(
                    f"演示区域已存在（规模 {info.get('size')}，种子 {info.get('seed')}，"
                    f"企业 {info.get('enterprises', 0):,} 家）；未重复生成。如需重建请加 --reset。"
                )
            )
        else:
            self._build(size=size, seed=seed, enterprises=enterprises, verbosity=verbosity)
        self._print_access(port)
        if not no_serve:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _build(self, *, size, seed, enterprises, verbosity) -> None:
        count = SIZES[size] if enterprises is None else enterprises
        self.stdout.write(f"生成演示区域（规模 {size}，种子 {seed}，企业 {count:,} 家）……")
        self.stdout.flush()
        try:
            summary = builder.build(
                size=size, seed=seed, enterprises=enterprises, progress=verbosity > 0
            )
        except DemoError as exc:
            raise CommandError(exc.message) from exc
        counts = "，".join(
            f"{label} {summary.counts[key]:,} {unit}" for key, label, unit in COUNT_LABELS
        )
        self.stdout.write(
            self.style.SUCCESS(f"演示区域已生成，用时 {summary.seconds:.1f} 秒：{counts}。")
        )
        if not summary.history:
            self.stdout.write(
                f"为缩短生成时间，超过 {builder.HISTORY_LIMIT:,} 家企业的演示区域不写变更历史"
                "（详情页的“变更历史”自第一次修改起记录）。"
            )

    def _print_access(self, port: int) -> None:
        base = f"http://127.0.0.1:{port}/"
        logins = builder.demo_logins()
        self.stdout.write("")
        self.stdout.write(f"访问地址：{base}")
        self.stdout.write(f"API 文档：{base}api/v1/docs/")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {builder.DEMO_PASSWORD}）：")
        self.stdout.write(table([("用户名", "角色", "范围", "密码"), *logins]))
        self.stdout.write("")
