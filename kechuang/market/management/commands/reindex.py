"""``kechuang reindex [KIND ...]``: rebuild the technology-market search indexes (a new version
is built aside and switched to atomically; searches go on meanwhile)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.market import search


class Command(BaseCommand):
    help = "重建技术市场检索索引（成果、需求、专家）；重建期间检索照常进行。"

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", metavar="KIND", help="、".join(search.KINDS))

    def handle(self, *args, **options):
        kinds = options["kinds"] or search.KINDS
        unknown = [kind for kind in kinds if kind not in search.KINDS]
        if unknown:
            raise CommandError(
                f"未知的索引：{'、'.join(unknown)}（可选 {'、'.join(search.KINDS)}）"
            )
        for kind in kinds:
            label = search.kind_of(kind).label
            with tqdm(desc=label, unit="条", file=self.stderr._out) as bar:

                def progress(done, total, bar=bar):
                    bar.total = total
                    bar.n = done
                    bar.refresh()

                version = search.rebuild(kind, progress)
            self.stderr.write(f"{label}索引已更新为 {version}")
