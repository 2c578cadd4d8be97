from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kechuang.bulletins.catalog import DEFAULT_TEMPLATE, TEMPLATES
from kechuang.bulletins.rendering import FORMATS, document_for, render
from kechuang.bulletins.rendering.markdown import render_markdown
from kechuang.bulletins.services import bulletin_build
from kechuang.core.exceptions import ApplicationError
from kechuang.regions.models import Zone


class Command(BaseCommand):
    help = (
        "按模板生成一个行政区划或园区某期间的工作简报，写成 .docx、.html 或 .md 文件"
        "（不保存到系统；Markdown 的图表另存为同名 PNG 文件）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--division", default="", help="行政区划代码，如 340400（淮南市）")
        parser.add_argument("--zone", type=int, help="园区编号（给出时按园区统计）")
        parser.add_argument(
            "--period", required=True, help="期间：2023、2023H1、2023Q3、2023M07、2023YTD07"
        )
        parser.add_argument(
            "--template", default=DEFAULT_TEMPLATE, choices=sorted(TEMPLATES), help="简报模板"
        )
        parser.add_argument("--out", required=True, help="输出文件：.docx、.html 或 .md")
        parser.add_argument(
            "--base-url",
            default="",
            help="网站地址，如 https://kc.example.gov.cn（数字链接到明细）",
        )
        parser.add_argument("--user", help="按该用户的管辖范围统计（默认不限）")

    def handle(self, *args, division, zone, period, template, out, base_url, user, **options):
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("输出文件的扩展名应为 .docx、.html 或 .md")
        if not division and zone is None:
            raise CommandError("请给出 --division 或 --zone")
        if not path.parent.is_dir():
            raise CommandError(f"输出目录不存在：{path.parent}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"用户 {user} 不存在")
        zone_obj = None
        if zone is not None:
            zone_obj = Zone.objects.filter(pk=zone).first()
            if zone_obj is None:
                raise CommandError(f"园区 {zone} 不存在")
        try:
            bulletin = bulletin_build(
                actor=actor,
                period=period.strip().upper(),
                division_code=division,
                zone=zone_obj,
                template=template,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        document = document_for(bulletin)
        if fmt == "md":
            names = []
            for chart in document.charts():
                image = path.with_name(f"{path.stem}-图{chart.number}.png")
                image.write_bytes(chart.png)
                names.append(image.name)
            content = render_markdown(document, base_url=base_url, image_names=names)
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(render(document, fmt, base_url=base_url))
        for warning in document.warnings:
            self.stderr.write(f"注意：{warning}")
        self.stdout.write(f"已生成《{document.title}》：{path}")
