"""``kechuang stats --division CODE [--zone ID] --period P [--indicators k1,k2] --format F``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.exceptions import ApplicationError
from kechuang.core.management.output import FORMATS, write_result
from kechuang.stats import selectors

# (key, Chinese header) of each column of csv and xlsx output.
COLUMNS = (
    ("indicator", "指标代码"),
    ("label", "指标"),
    ("division", "行政区划代码"),
    ("division_name", "行政区划"),
    ("zone", "园区编号"),
    ("zone_name", "园区"),
    ("period", "期间"),
    ("period_label", "期间名称"),
    ("value", "数值"),
    ("unit", "单位"),
    ("note", "说明"),
    ("records_url", "明细链接"),
)


class Command(BaseCommand):
    help = "输出某行政区划（或园区）某期间的统计指标值（json、csv 或 xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--division", default="", help="6 位行政区划代码，如 340400")
        parser.add_argument("--zone", type=int, help="园区编号（按园区统计）")
        parser.add_argument("--period", help="期间：2023、2023H1、2023Q3、2023M07、2023YTD07")
        parser.add_argument("--indicators", default="", help="指标代码，逗号分隔；默认全部适用指标")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--out", help="输出文件；省略时写到标准输出（xlsx 必须指定）")
        parser.add_argument("--list", action="store_true", help="列出可用的指标后退出")

    def handle(self, *args, **options):
        if options["list"]:
            for info in selectors.indicator_catalog():
                self.stdout.write(f"{info.key}\t{info.label}\t{info.unit}")
            return
        if not options["period"]:
            raise CommandError("请用 --period 指定期间，如 2023 或 2023YTD07")
        if not options["division"] and options["zone"] is None:
            raise CommandError("请用 --division 或 --zone 指定统计对象")
        keys = [k.strip() for k in options["indicators"].split(",") if k.strip()] or None
        try:
            values = selectors.compute(
                user=None,
                division=options["division"],
                zone=options["zone"],
                period=options["period"],
                indicators=keys,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        fmt, out = options["format"], options["out"]
        write_result(
            self,
            fmt,
            out,
            records=lambda: [v.as_dict() for v in values],
            table=lambda: (
                [title for _key, title in COLUMNS],
                [[getattr(v, key) for key, _title in COLUMNS] for v in values],
            ),
            title="统计指标",
        )
        if out:
            self.stderr.write(f"已写出 {len(values)} 个指标值到 {out}")
