"""Reading a table from an .xlsx or .csv file, row by row.

CSV files come from Excel and from other systems as UTF-8 (with or without a BOM) or as
GB18030 (the superset of GBK/GB2312 that Chinese Windows writes); the encoding is detected.
Rows are numbered as Excel shows them: the first line of the file is row 1.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kechuang.core.exceptions import ValidationFailed

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
CHUNK = 1 << 20


class UnreadableFile(ValidationFailed):
    code = "unreadable_file"


@dataclass
class Table:
    """The rows of the first sheet: ``(row_number, cells)``, an empty cell being None;
    ``total`` counts the lines (for progress)."""

    rows: Iterator[tuple[int, list[Any]]]
    total: int | None
    format: str
    encoding: str = ""
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for closer in self._closers:
            closer()
        self._closers.clear()


def open_table(source: str | Path | IO[bytes]) -> Table:
    """Open ``source`` (a path or a binary file object) as a table."""
    closers = []
    if isinstance(source, str | Path):
        stream = open(source, "rb")  # noqa: SIM115 - closed by Table.close
        closers.append(stream.close)
    elif isinstance(source, io.IOBase):
        stream = source
    else:  # a Django File or anything with read(): take its bytes
        stream = io.BytesIO(source.read())
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    try:
        if magic == XLSX_MAGIC:
            table = _xlsx_table(stream)
        elif magic == XLS_MAGIC:
            raise UnreadableFile("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 .csv 后再导入")
        else:
            table = _csv_table(stream)
    except Exception:
        for closer in closers:
            closer()
        raise
    table._closers.extend(closers)
    return table


def _xlsx_table(stream: IO[bytes]) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFile(f"无法读取 Excel 文件：{exc}") from exc
    sheet = workbook.worksheets[0]

    def rows():
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [None if isinstance(c, str) and not c.strip() else c for c in cells]

    return Table(rows=rows(), total=sheet.max_row, format="xlsx", _closers=[workbook.close])


def detect_encoding(stream: IO[bytes]) -> tuple[str, int]:
    """The encoding of a CSV stream (utf-8-sig, utf-8 or gb18030) and its number of lines."""
    stream.seek(0)
    head = stream.read(3)
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines, last = True, 0, b""
    while chunk := stream.read(CHUNK):
        lines += chunk.count(b"\n")
        last = chunk
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if last and not last.endswith(b"\n"):
        lines += 1
    stream.seek(0)
    if head == codecs.BOM_UTF8:
        return "utf-8-sig", lines
    return ("utf-8" if utf8 else "gb18030"), lines


def _csv_table(stream: IO[bytes]) -> Table:
    encoding, lines = detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    first = text.readline()
    text.seek(0)
    delimiter = "\t" if "\t" in first and "," not in first else ","

    def rows():
        reader = csv.reader(text, delimiter=delimiter)
        number = 0
        try:
            # Excel numbers records, not lines: a quoted cell spanning lines stays in one row.
            for number, cells in enumerate(reader, start=1):  # noqa: B007
                yield number, [c if c.strip() else None for c in cells]
        except csv.Error as exc:
            raise UnreadableFile(f"CSV 第 {number + 1} 行格式错误：{exc}") from exc

    def release():
        # Leave the caller's stream open: detach the text wrapper instead of closing it.
        with contextlib.suppress(ValueError):
            text.detach()

    return Table(rows=rows(), total=lines, format="csv", encoding=encoding, _closers=[release])
