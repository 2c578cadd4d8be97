"""``kechuang screen --policy KEY --year Y [--division CODE] [--user NAME] [--format F]
[--out FILE]``: 免申即享 screening of every enterprise in scope, or of every zone for a zone-level
policy (高新区认定条件)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.core.exceptions import ApplicationError
from kechuang.core.management.options import user_option
from kechuang.core.management.output import FORMATS, write_result
from kechuang.engines.rules import ZONE
from kechuang.policies import selectors
from kechuang.policies.screening import flatten, screen_any

PROGRESS_FROM = 2000  # rows; smaller scopes print no progress bar


class Command(BaseCommand):
    help = "免申即享筛查：按某年度数据评价辖区内每家企业是否符合政策条件（json、csv 或 xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--policy", required=True, help="政策代码，如 hnte、tech_sme")
        parser.add_argument("--year", required=True, help="最近一个会计年度，如 2024")
        parser.add_argument("--division", default="", help="行政区划代码，如 340400")
        parser.add_argument("--user", default="", help="按该用户的管辖范围筛查（默认全部企业）")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--out", help="输出文件；省略时写到标准输出（xlsx 必须指定）")

    def handle(self, *args, **options):
        self._bar = None
        fmt, out = options["format"], options["out"]
        if fmt == "xlsx" and not out:
            raise CommandError("xlsx 格式请用 --out 指定输出文件")
        user = user_option(options["user"])
        try:
            policy = selectors.policy_detail(options["policy"])
            rows = screen_any(
                user=user,
                policy_key=policy.key,
                year=options["year"],
                division=options["division"] or None,
                progress=self._progress,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        write_result(
            self,
            fmt,
            out,
            records=lambda: rows,
            table=lambda: flatten(policy, rows),
            title=policy.label,
        )
        if out:
            eligible = sum(row["eligible"] for row in rows)
            unit = "个园区" if policy.entity == ZONE else "家企业"
            self.stderr.write(f"已写出 {len(rows)} {unit}（符合 {eligible} 个）到 {out}")

    def _progress(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if self._bar is None:
            self._bar = tqdm(total=total, desc="筛查", unit="家", file=self.stderr._out)
        self._bar.update(done - self._bar.n)
        if done == total:
            self._bar.close()
