"""Writing a table to .xlsx or .csv (UTF-8 with a BOM, so that Excel opens it correctly)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

FORMATS = ("xlsx", "csv")


def format_for(name: str | Path, default: str = "xlsx") -> str:
    suffix = Path(str(name)).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def write_csv(stream: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


def _sheet_widths(header: Sequence[str]) -> list[int]:
    return [max(10, min(40, 2 * len(h) + 2)) for h in header]


def write_xlsx(
    stream: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "数据",
    notes: Sequence[Sequence[str]] = (),
) -> int:
    """Write one sheet (bold, frozen header; dates as dates) and, with ``notes``, a sheet of
    instructions."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_sheet_widths(header), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
        count += 1
    if notes:
        help_sheet = workbook.create_sheet("填写说明")
        for index, width in enumerate((24, 18, 80), start=1):
            help_sheet.column_dimensions[get_column_letter(index)].width = width
        for line in notes:
            help_sheet.append(list(line))
    workbook.save(stream)
    return count


def write_table(
    target: str | Path | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    fmt: str | None = None,
    **options,
) -> int:
    """Write ``rows`` under ``header`` to a path or a binary stream; returns the row count."""
    if fmt is None:
        fmt = format_for(target if isinstance(target, str | Path) else getattr(target, "name", ""))
    if isinstance(target, str | Path):
        with open(target, "wb") as stream:
            return write_table(stream, header, rows, fmt=fmt, **options)
    if fmt == "csv":
        return write_csv(target, header, rows)
    return write_xlsx(target, header, rows, **options)
