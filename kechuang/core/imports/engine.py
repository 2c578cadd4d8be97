"""The import engine: read a table, type its cells, validate, upsert by natural key in bulk.

A file is all-or-nothing: every row is read and checked, and the file is written (in one
transaction) only when no row has an error; otherwise the report lists every bad cell. Rows are
handled in batches: one query per batch looks up the existing records, and new and changed
records are written with ``bulk_create_with_history`` / ``bulk_update_with_history``, so the
work per row is Python only. What a record must satisfy lives in the apps' ``*_problems``
validators, which the importers (``<app>/imports.py``) call; the column types here check shape.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.core.audit import record_event
from kechuang.core.db import ANALYZE_AFTER_ROWS, analyze
from kechuang.core.exceptions import RoleNotAllowed, ValidationFailed
from kechuang.core.models import ImportJob
from kechuang.core.scoping import STAFF_ROLES, scope_q

from .columns import UNIT_RE, CellError, Column, cell_text, is_empty, normalise_name
from .readers import UnreadableFile, open_table

BATCH_SIZE = 2000
WRITE_BATCH_SIZE = 500
HEADER_SEARCH_ROWS = 10

Progress = Callable[[int, int | None], None]


@dataclass
class RowError:
    row: int | None  # as Excel shows it: the header is row 1
    column: str  # as written in the file's header
    value: str
    reason: str

    def text(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        column = f"，列「{self.column}」" if self.column else ""
        value = f"，值「{self.value}」" if self.value else ""
        return f"{where}{column}{value}：{self.reason}"


@dataclass
class ImportReport:
    kind: str
    label: str = ""
    file_name: str = ""
    dry_run: bool = False
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def summary(self) -> str:
        counts = (
            f"{self.label}：共 {self.total_rows} 行，新增 {self.created} 行，"
            f"更新 {self.updated} 行，未变 {self.unchanged} 行。"
        )
        if self.errors:
            return (
                f"{counts}发现 {len(self.errors)} 处错误（涉及 {self.bad_rows} 行），"
                "文件未写入，请改正后重新导入。"
            )
        if self.dry_run:
            return counts + "试运行，未写入。"
        return counts + ("已写入。" if self.created or self.updated else "没有需要写入的变化。")

    def text(self) -> str:
        return "\n".join([self.summary(), *(e.text() for e in self.errors)])

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok, "bad_rows": self.bad_rows}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        names = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in names}
        values["errors"] = [RowError(**e) for e in data.get("errors", [])]
        return cls(**values)


@dataclass
class Row:
    number: int
    values: dict[str, Any]  # column key → typed value, for the cells that parsed
    cells: dict[str, Any]  # column key → the cell as read
    errors: dict[str, str] = field(default_factory=dict)  # column key → reason


@dataclass
class Bound:
    index: int
    column: Column
    factor: Decimal
    title: str  # the header as written


class Importer:
    """What one kind of record needs: its columns, natural key, lookups and rules.

    Subclasses (in each app's ``imports.py``, registered with ``@register``) implement
    ``columns``, ``load`` (bulk lookups for a batch), ``problems`` (the app's validators, scope)
    and ``apply`` (build or update the record) plus the export side.
    """

    kind = ""
    label = ""
    model: type[models.Model]
    key: tuple[str, ...] = ()

    def __init__(self, actor=None):
        self.actor = actor

    @property
    def verb(self) -> str:
        return "import." + self.kind.replace("-", "_")

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def load(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def problems(self, row: Row) -> dict[str, str]:
        raise NotImplementedError

    def apply(self, row: Row) -> tuple[models.Model, list[str] | None]:
        """The record to write and its changed fields (None: a new record; []: unchanged)."""
        raise NotImplementedError

    def export_queryset(self) -> models.QuerySet:
        raise NotImplementedError

    def export_values(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def written(self, objects: list[models.Model]) -> None:
        """Called with each batch of records just written (bulk writes send no ``post_save``):
        e.g. to schedule an index update with ``transaction.on_commit``."""

    # Helpers for subclasses.

    def visible_pks(self, model: type[models.Model], pks: Iterable[int]) -> set[int] | None:
        """The pks among ``pks`` that the actor may see (None: no limit), in one query."""
        if self.actor is None:
            return None
        condition = scope_q(model, self.actor)
        if condition == Q():
            return None
        return set(
            model._default_manager.filter(condition, pk__in=list(pks)).values_list("pk", flat=True)
        )

    @staticmethod
    def can_see(visible: set[int] | None, pk) -> bool:
        return visible is None or pk in visible

    def data(self, row: Row) -> dict[str, Any]:
        """The values of the row to write: model fields only (not informational columns)."""
        return {k: v for k, v in row.values.items() if k in self.writable}

    def missing(self, row: Row, creating: bool) -> dict[str, str]:
        """Required columns left empty on a row that creates a record."""
        if not creating:
            return {}
        return {c.key: "不能为空" for c in self.required if c.key not in row.values}

    @staticmethod
    def changes(obj: models.Model, values: dict[str, Any]) -> list[str]:
        """The fields of ``obj`` that ``values`` changes; sets them on ``obj``."""
        changed = []
        for name, value in values.items():
            model_field = obj._meta.get_field(name)
            if model_field.is_relation:
                current = getattr(obj, model_field.attname)
                new = value.pk if value is not None else None
            else:
                current, new = getattr(obj, name), value
            if current != new:
                setattr(obj, name, value)
                changed.append(name)
        return changed

    def _bind_columns(self) -> list[Column]:
        columns = self.columns()
        self.writable = {c.key for c in columns if not c.informational and c.key in self.fields()}
        self.required = [c for c in columns if c.required]
        return columns

    def fields(self) -> set[str]:
        return {f.name for f in self.model._meta.get_fields()}


_IMPORTERS: dict[str, type[Importer]] = {}
_discovered = False


def register(cls: type[Importer]) -> type[Importer]:
    _IMPORTERS[cls.kind] = cls
    return cls


def importers() -> dict[str, type[Importer]]:
    """Every registered kind, in app order (each app's ``imports`` module registers its own)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("imports")
        _discovered = True
    return dict(_IMPORTERS)


def get_importer(kind: str, actor=None) -> Importer:
    registered = importers()
    if kind not in registered:
        raise ValidationFailed(
            f"未知的导入类型 {kind}，可选：{'、'.join(registered)}", code="unknown_kind"
        )
    return registered[kind](actor)


def require_import_role(actor) -> None:
    if actor is not None and not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise RoleNotAllowed("只有科技局、园区工作人员可以导入数据")


def _source_name(source) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    return Path(getattr(source, "name", "") or "").name


class _Rollback(Exception):
    pass


def run_import(
    kind: str,
    source: str | Path | IO[bytes],
    *,
    actor=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    job=None,
    file_name: str | None = None,
) -> ImportReport:
    """Import a file of ``kind`` as ``actor`` (None: the system, no scope limit).

    Writes nothing when ``dry_run`` or when any row is bad; the report says what was (or would
    be) created, updated and left unchanged, and lists every error. A successful write records
    one audit event (on ``job``, or on an ImportJob created for it).
    """
    importer = get_importer(kind, actor)
    require_import_role(actor)
    started = timezone.now()
    name = file_name or _source_name(source)
    report = ImportReport(kind=kind, label=importer.label, file_name=name, dry_run=dry_run)
    try:
        table = open_table(source)
    except UnreadableFile as exc:
        report.errors.append(RowError(None, "", "", exc.message))
        return report
    try:
        with contextlib.nullcontext() if dry_run else transaction.atomic():
            _Run(importer, report, write=not dry_run, progress=progress).run(table)
            if report.errors or dry_run:
                raise _Rollback
            report.written = True
            if report.created or report.updated:  # an unchanged file leaves no trace at all
                _record(importer, report, actor, job, started)
            if report.created + report.updated >= ANALYZE_AFTER_ROWS:
                analyze(importer.model)
    except _Rollback:
        pass
    except UnreadableFile as exc:
        report.written = False
        report.errors.append(RowError(None, "", "", exc.message))
    except IntegrityError as exc:
        # A record written by someone else meanwhile (the checks above ran on the data as read).
        report.written = False
        report.errors.append(RowError(None, "", "", f"写入时与已有数据冲突，未写入：{exc}"))
    finally:
        table.close()
    return report


def _record(importer: Importer, report: ImportReport, actor, job, started) -> None:
    if job is None:  # a command-line or API import: the job row is its record
        job = ImportJob.objects.create(
            kind=report.kind,
            original_name=report.file_name,
            user=actor if getattr(actor, "pk", None) else None,
            status=ImportJob.Status.DONE,
            total_rows=report.total_rows,
            processed_rows=report.total_rows,
            report=report.as_dict(),
            started_at=started,
            finished_at=timezone.now(),
        )
    counts = {
        "file": report.file_name,
        "total_rows": report.total_rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    record_event(actor=actor, verb=importer.verb, obj=job, data=counts)


class _Run:
    def __init__(self, importer: Importer, report: ImportReport, *, write: bool, progress):
        self.importer = importer
        self.report = report
        self.write = write
        self.progress = progress
        self.model = importer.model
        self.creates: list[models.Model] = []
        self.updates: list[models.Model] = []
        self.update_fields: set[str] = set()

    def run(self, table) -> None:
        columns = self.importer._bind_columns()
        for column in columns:
            column.prepare()
        found = _find_header(table.rows, columns)
        if found is None:
            self.report.errors.append(RowError(None, "", "", "文件是空的"))
            return
        header_number, header, rows = found
        bound = self._match_header(header_number, header, columns)
        if self.report.errors:
            return
        self.titles = {b.column.key: b.title for b in bound}
        self.positions = {b.column.key: b.index for b in bound}
        self.labels = {c.key: c.label for c in columns}
        bound_indexes = {b.index for b in bound}
        free = [i for i in range(len(header)) if i not in bound_indexes]

        def unbound(width: int) -> list[int]:
            # Cells under an empty header, or beyond the header's last column.
            return [i for i in free if i < width] + list(range(len(header), width))

        total = table.total - header_number if table.total else None
        seen: dict[tuple, int] = {}
        done = 0
        for batch in _batched(rows, BATCH_SIZE):
            parsed = [
                row
                for number, cells in batch
                if (row := self._parse(number, cells, bound, unbound)) is not None
            ]
            self.report.total_rows += len(parsed)
            key = self.importer.key
            self.importer.load(
                [r for r in parsed if all(r.values.get(k) not in (None, "") for k in key)]
            )
            for row in parsed:
                self._check_and_apply(row, seen)
            self._flush()
            done += len(batch)
            if self.progress is not None:
                self.progress(done, max(total or 0, done) if total is not None else None)

    def _match_header(self, number: int, header: list[Any], columns: list[Column]) -> list[Bound]:
        names = {name: column for column in columns for name in column.names()}
        bound: list[Bound] = []
        taken: dict[str, str] = {}
        for index, cell in enumerate(header):
            if is_empty(cell):
                continue
            title = str(cell).strip()
            column, factor, reason = _match_title(title, names)
            if column is None:
                reason = reason or "无法识别的列（可用的列见导入模板）"
            elif column.key in taken:
                column, reason = None, f"与「{taken[column.key]}」列重复"
            if column is None:
                self.report.errors.append(RowError(number, title, "", reason))
                continue
            taken[column.key] = title
            bound.append(Bound(index, column, factor, title))
        missing = [c.label for c in columns if c.key in self.importer.key and c.key not in taken]
        if missing:
            self.report.errors.append(
                RowError(number, "", "", f"缺少必需的列：{'、'.join(missing)}")
            )
        return bound

    def _parse(self, number, cells, bound, unbound) -> Row | None:
        # Readers give None for an empty cell.
        if all(c is None for c in cells):
            return None
        width = len(cells)
        row = Row(number, {}, {})
        values, errors = row.values, row.errors
        for b in bound:
            key = b.column.key
            raw = cells[b.index] if b.index < width else None
            row.cells[key] = raw
            if raw is None:
                if b.column.blank:
                    values[key] = b.column.empty()
                continue
            try:
                values[key] = b.column.convert(raw, b.factor)
            except CellError as exc:
                errors[key] = str(exc)
        for index in unbound(width):
            if cells[index] is not None:
                self.report.errors.append(
                    RowError(number, f"第 {index + 1} 列", cell_text(cells[index]), "该列没有表头")
                )
        return row

    def _check_and_apply(self, row: Row, seen: dict[tuple, int]) -> None:
        errors = dict(row.errors)
        for key in self.importer.key:
            if key not in errors and row.values.get(key) in (None, ""):
                errors[key] = "不能为空"
        if not errors.keys() & set(self.importer.key):
            natural_key = tuple(row.values[k] for k in self.importer.key)
            first = seen.setdefault(natural_key, row.number)
            if first != row.number:
                key_text = " + ".join(str(v) for v in natural_key)
                errors.setdefault(
                    self.importer.key[0], f"与第 {first} 行重复（{key_text}），同一记录只能出现一次"
                )
        if not errors.keys() & set(self.importer.key):
            problems = self.importer.problems(row)
            errors |= {k: v for k, v in problems.items() if k not in errors}
        if errors:
            for key in sorted(errors, key=lambda k: self.positions.get(k, len(self.positions))):
                reason = errors[key]
                self.report.errors.append(
                    RowError(
                        row.number,
                        self.titles.get(key) or self.labels.get(key, key),
                        cell_text(row.cells.get(key)),
                        reason,
                    )
                )
            return
        obj, changed = self.importer.apply(row)
        if changed is None:
            self.report.created += 1
            self.creates.append(obj)
        elif changed:
            self.report.updated += 1
            self.updates.append(obj)
            self.update_fields.update(changed)
        else:
            self.report.unchanged += 1

    def _flush(self) -> None:
        actor = self.importer.actor
        user = actor if getattr(actor, "pk", None) else None
        if self.write and not self.report.errors:
            if self.creates:
                bulk_create_with_history(
                    self.creates, self.model, batch_size=WRITE_BATCH_SIZE, default_user=user
                )
            if self.updates:
                now = timezone.now()
                for obj in self.updates:
                    obj.updated_at = now
                bulk_update_with_history(
                    self.updates,
                    self.model,
                    sorted(self.update_fields | {"updated_at"}),
                    batch_size=WRITE_BATCH_SIZE,
                    default_user=user,
                )
            if self.creates or self.updates:
                self.importer.written(self.creates + self.updates)
        self.creates, self.updates, self.update_fields = [], [], set()


def _match_title(title: str, names: dict[str, Column]) -> tuple[Column | None, Decimal, str]:
    folded = normalise_name(title)
    if folded in names:
        return names[folded], Decimal(1), ""
    match = UNIT_RE.match(folded)
    if match and match["base"] in names:
        from .columns import MONEY_UNITS

        column = names[match["base"]]
        if not column.accepts_units:
            return None, Decimal(1), f"该列不使用金额单位「{match['unit']}」"
        return column, MONEY_UNITS[match["unit"]], ""
    return None, Decimal(1), ""


def _find_header(rows: Iterator, columns: list[Column]):
    """The header row: the first row naming a known column among the first non-empty rows
    (a title line above the table is skipped), else the first non-empty row."""
    names = {name: column for column in columns for name in column.names()}
    peeked = []
    for number, cells in rows:
        if all(is_empty(c) for c in cells):
            continue
        peeked.append((number, cells))
        if any(_match_title(str(c).strip(), names)[0] for c in cells if not is_empty(c)):
            return number, cells, rows
        if len(peeked) >= HEADER_SEARCH_ROWS:
            break
    if not peeked:
        return None
    number, cells = peeked[0]
    return number, cells, itertools.chain(peeked[1:], rows)


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
