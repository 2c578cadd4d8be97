"""Helpers shared by the policy modules (window sums, band thresholds, reference day)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from ..parameters import ParameterSet, load_parameters

QUALIFICATION_LABELS = {
    "hnte": "高新技术企业",
    "tech_sme": "科技型中小企业",
    "gazelle": "瞪羚企业",
    "little_giant": "专精特新“小巨人”企业",
    "leading_innovator": "创新型领军企业",
}
PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "parameters"


def parameters(key: str) -> ParameterSet:
    return load_parameters(PARAMETERS_DIR / f"{key}.yaml")


def reference_day(year: int) -> dt.date:
    """The day a fiscal year's facts are judged on: the day after the year ends."""
    return dt.date(year + 1, 1, 1)


def divide(numerator, denominator) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or either side is NaN."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = numerator / denominator
    return np.where(denominator == 0, np.nan, out)


def window_sums(s, year: int, names: tuple[str, ...], years: int = 3, *, key: str = "revenue"):
    """Sums of ``names`` over the last ``years`` fiscal years in which ``key`` was reported.

    Years without ``key`` (before the enterprise existed, not reported) are left out, so a younger
    enterprise is judged on the years it has; a missing value of another name in a counted year
    counts as 0. Also returns how many years were counted.
    """
    sums = {name: np.zeros(s.n) for name in names}
    counted = np.zeros(s.n, dtype=np.int32)
    for y in range(year - years + 1, year + 1):
        present = ~np.isnan(s(key, y))
        counted += present
        for name in names:
            values = s(name, y)
            sums[name] += np.where(present & ~np.isnan(values), values, 0.0)
    return sums, counted


def band_threshold(bands, values) -> np.ndarray:
    """Ascending ``[[upper bound (inclusive, None = none), threshold], ...]`` over ``values``."""
    values = np.asarray(values, dtype=float)
    out = np.full(values.shape, np.nan)
    open_ = ~np.isnan(values)
    for upper, threshold in bands:
        hit = open_ if upper is None else open_ & (values <= float(upper))
        out[hit] = float(threshold)
        open_ = open_ & ~hit
    return out
