"""Filter specifications compiled to Django ``Q`` objects: the records behind a figure.

The polars compiler (``kechuang.engines.indicators.filters.to_polars``) and this one read the
same specification; the property tests in ``tests/test_agreement.py`` check that they select the
same rows. "Holds a qualification on a day" uses ``kechuang.orgs.selectors.qualified_on_q``, the
one definition the registry pages use.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from kechuang.core.scoping import NOTHING
from kechuang.engines.indicators import MONEY, AllOf, AnyOf, Cond, Holds, Not, Period, Spec
from kechuang.engines.indicators.errors import IndicatorError
from kechuang.engines.indicators.filters import resolve_value
from kechuang.orgs.models import Qualification
from kechuang.orgs.selectors import qualified_on_q

from .registry import FactSource

LOOKUPS = {"eq": "exact", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte", "in": "in"}


def _value(source: FactSource, field: str, value):
    if value is None:
        return None
    kind = source.schema.field(field).kind
    if kind == MONEY:
        return Decimal(str(value))
    return value


def to_q(spec: Spec | None, source: FactSource, period: Period | None) -> Q:
    """The ORM filter selecting, from ``source.model``, the rows ``spec`` selects."""
    if spec is None:
        return Q()
    if isinstance(spec, Cond):
        lookup = source.lookup(spec.field)
        if spec.op == "isnull":
            return Q(**{f"{lookup}__isnull": True})
        if spec.op == "notnull":
            return Q(**{f"{lookup}__isnull": False})
        if spec.op == "in":
            values = [_value(source, spec.field, resolve_value(v, period)) for v in spec.value]
            return Q(**{f"{lookup}__in": values})
        value = _value(source, spec.field, resolve_value(spec.value, period))
        if spec.op == "ne":
            return ~Q(**{lookup: value})
        return Q(**{f"{lookup}__{LOOKUPS[spec.op]}": value})
    if isinstance(spec, Holds):
        if period is None:
            raise IndicatorError("资质条件需要期间")
        if source.org_lookup is None:
            raise IndicatorError(f"「{source.schema.label}」不能按资质筛选")
        holders = Qualification.objects.filter(qualified_on_q(period.end), kind=spec.kind)
        return Q(**{f"{source.org_lookup}__in": holders.values("organization_id")})
    if isinstance(spec, AllOf):
        result = Q()
        for item in spec.items:
            result &= to_q(item, source, period)
        return result
    if isinstance(spec, AnyOf):
        if not spec.items:
            return NOTHING
        result = to_q(spec.items[0], source, period)
        for item in spec.items[1:]:
            result |= to_q(item, source, period)
        return result
    if isinstance(spec, Not):
        return ~to_q(spec.item, source, period)
    raise IndicatorError(f"无法识别的筛选条件：{spec!r}")
