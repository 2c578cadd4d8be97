"""The app-level registry: fact sources (a fact schema bound to a model and a loader) and the
indicators evaluated over them. Apps register theirs at import time::

    from kechuang.stats.registry import register
    register(Indicator("voucher_sum", "创新券兑付金额", "元", Sum("amount"), fact="vouchers"))

A fact source says how each column of its frame maps to an ORM lookup on its model, which is how
one filter specification also selects the records behind a figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import models

from kechuang.engines.indicators import FactSchema, Indicator, IndicatorSet


@dataclass(frozen=True)
class FactSource:
    """A fact schema, the model whose rows it holds, and how to read them in bulk.

    ``lookups`` maps a frame column to the model's ORM lookup (columns not listed map to
    themselves); ``org_lookup`` leads to the organization id (for qualification filters);
    ``load(connection, loaded)`` returns the frame (money in integer fen); ``loaded`` holds the
    frames of the sources registered before it, for reuse.
    """

    schema: FactSchema
    model: type[models.Model]
    load: Callable[[object], pl.DataFrame]
    lookups: dict[str, str] = field(default_factory=dict)
    org_lookup: str | None = None
    division_lookup: str = "division_code"
    zone_lookup: str = "zone_id"
    ordering: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.schema.name

    def lookup(self, column: str) -> str:
        return self.lookups.get(column, column)

    @property
    def models(self) -> tuple[type[models.Model], ...]:
        return (self.model,)


SOURCES: dict[str, FactSource] = {}
INDICATORS = IndicatorSet({})
# Models whose writes change the figures (beyond the fact sources' own models).
WATCHED_MODELS: list[type[models.Model]] = []


def register_fact(source: FactSource, *, watch: tuple[type[models.Model], ...] = ()) -> FactSource:
    SOURCES[source.name] = source
    INDICATORS.schemas[source.name] = source.schema
    for model in (source.model, *watch):
        if model not in WATCHED_MODELS:
            WATCHED_MODELS.append(model)
    return source


def register(indicator: Indicator, *, replace: bool = False) -> Indicator:
    return INDICATORS.add(indicator, replace=replace)


def source(name: str) -> FactSource:
    return SOURCES[name]
