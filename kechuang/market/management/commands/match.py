"""``kechuang match --need ID | --achievement ID | --text "…" [--kind K] [--limit 10]
[--user NAME] [--format json|csv|xlsx] [--out FILE]``: ranked matches, best first."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.management.options import user_option
from kechuang.core.management.output import FORMATS, write_result
from kechuang.market import search
from kechuang.market.models import Achievement, TechNeed

DEFAULT_KIND = {"need": "achievements", "achievement": "needs", "text": "achievements"}


def title_of(obj) -> str:
    return getattr(obj, "title", None) if not hasattr(obj, "employer") else obj.name


def record(match: search.Match) -> dict:
    obj = match.object
    return {
        "id": obj.pk,
        "title": title_of(obj),
        "score": match.score,
        "matched_terms": match.matched_terms,
        "field": getattr(obj, "field", None) or getattr(obj, "fields", ""),
        "division_code": obj.division_code,
    }


class Command(BaseCommand):
    help = "技术供需匹配：为一项需求、一项成果或一段文字列出最相关的成果、需求或专家。"

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--need", type=int, help="技术需求编号")
        source.add_argument("--achievement", type=int, help="科技成果编号")
        source.add_argument("--text", help="一段需求或成果描述")
        parser.add_argument("--kind", choices=search.KINDS, help="匹配的对象类别")
        parser.add_argument("--limit", type=int, default=10, help="结果条数（1–100）")
        parser.add_argument("--user", default="", help="按该用户可见的范围匹配（默认全部）")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--out", help="输出文件；省略时写到标准输出（xlsx 必须指定）")

    def handle(self, *args, **options):
        if not 1 <= options["limit"] <= 100:
            raise CommandError(f"--limit 应在 1–100 之间：{options['limit']}")
        user = user_option(options["user"])
        source = next(name for name in ("need", "achievement", "text") if options[name])
        kind = options["kind"] or DEFAULT_KIND[source]
        if source == "text":
            if not options["text"].strip():
                raise CommandError("--text 不能为空")
            found = search.search(kind, options["text"], user=user, limit=options["limit"])
        else:
            model = TechNeed if source == "need" else Achievement
            obj = model.objects.filter(pk=options[source]).first()
            if obj is None:
                raise CommandError(f"{model._meta.verbose_name}不存在：{options[source]}")
            found = search.matches_for(obj, kind, user=user, limit=options["limit"])
        rows = [record(match) for match in found]
        write_result(
            self,
            options["format"],
            options["out"],
            records=lambda: rows,
            table=lambda: (
                ["编号", "名称", "得分", "匹配词", "技术领域", "行政区划代码"],
                [
                    [
                        r["id"],
                        r["title"],
                        r["score"],
                        "、".join(r["matched_terms"]),
                        r["field"],
                        r["division_code"],
                    ]
                    for r in rows
                ],
            ),
            title="匹配结果",
        )
