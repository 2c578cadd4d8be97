"""How commands write a result: JSON, CSV or XLSX, to a file or (JSON and CSV) to stdout."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.imports.writers import write_csv, write_xlsx

FORMATS = ("json", "csv", "xlsx")


def write_result(
    command: BaseCommand,
    fmt: str,
    out: str | None,
    *,
    records: Callable[[], Any],
    table: Callable[[], tuple[Sequence[str], list[Sequence[Any]]]],
    title: str,
) -> None:
    """``records()`` is what JSON shows; ``table()`` gives the header and rows of CSV and XLSX
    (computed only for the format asked for)."""
    if fmt == "xlsx" and not out:
        raise CommandError("xlsx 格式请用 --out 指定输出文件")
    if fmt == "json":
        text = json.dumps(records(), ensure_ascii=False, indent=2) + "\n"
        if out:
            with open(out, "w", encoding="utf-8") as stream:
                stream.write(text)
        else:
            command.stdout.write(text, ending="")
        return
    header, rows = table()
    if fmt == "xlsx":
        with open(out, "wb") as stream:
            write_xlsx(stream, header, rows, title=title[:31])
        return
    buffer = io.BytesIO()
    write_csv(buffer, header, rows)
    if out:
        with open(out, "wb") as stream:
            stream.write(buffer.getvalue())
    else:
        command.stdout.write(buffer.getvalue().decode("utf-8-sig"), ending="")
