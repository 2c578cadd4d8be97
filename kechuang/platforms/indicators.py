"""The statistics of the platform registry: platforms recognised by the period's end and not
revoked, in all and by level and kind."""

from __future__ import annotations

from kechuang.engines.indicators import PERIOD_END, AllOf, AnyOf, Cond, Count, Indicator, Not
from kechuang.stats import facts  # noqa: F401 - registers the fact tables first
from kechuang.stats.registry import register

from .models import PlatformKind

EXISTING = AllOf(
    Not(Cond("status", "eq", "revoked")),
    AnyOf(Cond("recognised_on", "isnull"), Cond("recognised_on", "lte", PERIOD_END)),
)
register(
    Indicator(
        "platform_count",
        "创新平台数",
        "个",
        Count(),
        fact="platforms",
        filters=EXISTING,
        description="期末已认定且未撤销的创新平台数",
    )
)
for level, name in (("national", "国家级"), ("provincial", "省级"), ("municipal", "市级")):
    register(
        Indicator(
            f"platform_{level}_count",
            f"{name}创新平台数",
            "个",
            Count(),
            fact="platforms",
            filters=AllOf(EXISTING, Cond("level", "eq", level)),
            description=f"期末已认定且未撤销的{name}创新平台数",
        )
    )
for kind, name in PlatformKind.choices:
    register(
        Indicator(
            f"platform_{kind}_count",
            f"{name}数",
            "个",
            Count(),
            fact="platforms",
            filters=AllOf(EXISTING, Cond("kind", "eq", kind)),
            description=f"期末已认定且未撤销的{name}数",
        )
    )
