"""Exports in the import format (Chinese headers, choice labels, money in 元), and templates.

An exported file imports back with every row unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet

from kechuang.core.exceptions import ValidationFailed
from kechuang.core.scoping import division_q, visible_to

from .columns import Column, Money
from .engine import Importer, get_importer
from .writers import write_table

EXPORT_CHUNK = 2000


def export_header(kind: str) -> list[str]:
    return [c.header for c in get_importer(kind).columns()]


def export_queryset(kind: str, *, user=None, division: str | None = None) -> QuerySet:
    """The records of ``kind`` that ``user`` may see (all without a user), within ``division``."""
    importer = get_importer(kind)
    queryset = importer.export_queryset()
    if user is not None:
        queryset = visible_to(queryset, user)
    if division:
        from kechuang.regions.selectors import division_exists

        if not division_exists(division):
            raise ValidationFailed(f"未知的行政区划代码 {division}", field="division")
        queryset = queryset.filter(division_q(importer.model.SCOPE.division, division))
    return queryset


def export_rows(kind: str, queryset: QuerySet) -> Iterator[list[Any]]:
    """The data rows of ``queryset`` as cells, in the order of ``export_header(kind)``."""
    importer = get_importer(kind)
    columns = importer.columns()
    for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
        values = importer.export_values(obj)
        yield [column.render(values.get(column.key)) for column in columns]


def write_export(
    kind: str,
    target: str | Path | IO[bytes],
    *,
    queryset: QuerySet | None = None,
    user=None,
    division: str | None = None,
    fmt: str | None = None,
) -> int:
    """Write an export of ``kind`` to ``target`` (xlsx or csv, by ``fmt`` or the file name);
    returns the number of rows."""
    if queryset is None:
        queryset = export_queryset(kind, user=user, division=division)
    importer = get_importer(kind)
    return write_table(
        target,
        export_header(kind),
        export_rows(kind, queryset),
        fmt=fmt,
        **({} if fmt == "csv" else {"title": importer.label}),
    )


def _template_header(column: Column) -> str:
    # Clerks fill statistics in 万元; the header says so and the import honours it.
    return f"{column.label}（万元）" if isinstance(column, Money) else column.header


def template_notes(importer: Importer) -> list[list[str]]:
    columns = importer.columns()
    lines = [["列名", "英文键", "说明"]]
    for column in columns:
        notes = [column.describe()]
        if column.key in importer.key:
            notes.append("必填；与其他必填键一起确定一条记录，重复导入时更新该记录")
        elif column.required:
            notes.append("新增记录时必填")
        if column.informational:
            notes.append("仅供核对，导入时不写入")
        lines.append([_template_header(column), column.key, "；".join(notes)])
    lines += [
        [],
        ["说明", "", "第一行为表头；表头可用中文列名或英文键，列的顺序不限。"],
        ["", "", "任何一行有错误时整个文件都不会写入，请按错误报告改正后重新导入。"],
        ["", "", "空白单元格：可空的列表示清空该项；其他列表示不修改（新增时取默认值）。"],
    ]
    return lines


def write_template(kind: str, target: str | Path | IO[bytes]) -> None:
    """An empty xlsx with the Chinese headers of ``kind`` and a sheet of instructions."""
    importer = get_importer(kind)
    write_table(
        target,
        [_template_header(c) for c in importer.columns()],
        [],
        fmt="xlsx",
        title=importer.label,
        notes=template_notes(importer),
    )
