"""The indicator engine: declared indicators evaluated column-wise over polars fact frames.

Pure: polars and the standard library, no Django. ``kechuang.stats`` loads the frames from the
database, declares the registry's indicators and turns results into figures with links.

    schemas = {"organizations": FactSchema(...)}
    indicators = IndicatorSet(schemas, [Indicator("hnte_count", "高新技术企业数", "家", Count(),
                                                  fact="organizations", filters=Holds("hnte"))])
    evaluator = Evaluator(indicators, Facts({"organizations": frame}, qualifications),
                          target_frame(["340000", "340400", "340421"]))
    evaluator.table("2023")          # every target, every indicator of the period
    evaluator.values("2023YTD07", ["hnte_count"], ["340400"])
"""

from .definitions import (
    Ancestor,
    Benchmark,
    Count,
    CountDistinct,
    Growth,
    Indicator,
    IndicatorSet,
    PointsDiff,
    Rank,
    RankChange,
    Ratio,
    Region,
    Share,
    Sum,
)
from .errors import IndicatorError
from .evaluate import (
    CITY,
    COUNTY,
    PROVINCE,
    ZONE_LEVEL,
    BenchmarkValue,
    Evaluator,
    Result,
    division_level,
    division_parent,
    target_frame,
)
from .facts import BOOL, DATE, INT, MONEY, QUALIFICATION_COLUMNS, STR, Facts, FactSchema, Field
from .filters import (
    PERIOD_END,
    PERIOD_START,
    AllOf,
    AnyOf,
    Cond,
    Holds,
    Not,
    Spec,
    combine,
    describe,
    from_dict,
    to_dict,
    to_polars,
)
from .periods import Period, PeriodError, parse_period

__all__ = [
    "BOOL",
    "CITY",
    "COUNTY",
    "DATE",
    "INT",
    "MONEY",
    "PERIOD_END",
    "PERIOD_START",
    "PROVINCE",
    "QUALIFICATION_COLUMNS",
    "STR",
    "ZONE_LEVEL",
    "AllOf",
    "Ancestor",
    "AnyOf",
    "Benchmark",
    "BenchmarkValue",
    "Cond",
    "Count",
    "CountDistinct",
    "Evaluator",
    "FactSchema",
    "Facts",
    "Field",
    "Growth",
    "Holds",
    "Indicator",
    "IndicatorError",
    "IndicatorSet",
    "Not",
    "Period",
    "PeriodError",
    "PointsDiff",
    "Rank",
    "RankChange",
    "Ratio",
    "Region",
    "Result",
    "Share",
    "Spec",
    "Sum",
    "combine",
    "describe",
    "division_level",
    "division_parent",
    "from_dict",
    "parse_period",
    "target_frame",
    "to_dict",
    "to_polars",
]
