"""Chart images of a bulletin (matplotlib, PNG), labelled in Chinese.

The CJK font is looked up among the fonts matplotlib knows (Noto Sans CJK first, then other
common Chinese fonts). When none is installed the chart is still drawn, with a warning in the
log: Chinese labels then show as boxes, the bars and numbers stay right.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

logger = logging.getLogger(__name__)

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
)
BAR_COLOR = "#c00000"
WIDTH_IN, HEIGHT_IN, DPI = 6.3, 3.4, 200


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font that has Chinese glyphs, or None (logged once).

    matplotlib caches the list of system fonts the first time it runs; fonts installed after
    that are looked for on disk before giving up."""
    name = _known_cjk_font()
    if name is None:
        for path in font_manager.findSystemFonts():
            if any(mark in path.lower() for mark in ("cjk", "wqy", "hei", "song")):
                font_manager.fontManager.addfont(path)
        name = _known_cjk_font()
    if name is not None:
        return name
    logger.warning("未找到中文字体（如 Noto Sans CJK SC），图表中的中文将无法正常显示")
    return None


def _known_cjk_font() -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    for name in sorted(installed):
        if "CJK" in name or "Hei" in name or "Song" in name:
            return name
    return None


def bar_chart_png(labels: list[str], values: list[float], value_texts: list[str]) -> bytes:
    """A horizontal-label bar chart: one bar per label, its value written above it."""
    font = cjk_font()
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.subplots()
    positions = range(len(values))
    bars = axes.bar(positions, values, color=BAR_COLOR, width=0.6)
    axes.set_xticks(list(positions), labels, fontfamily=family, fontsize=9)
    if len(labels) > 8:
        for tick in axes.get_xticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    if all(float(v).is_integer() for v in values):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 2.5 家
    top = max(values, default=0)
    axes.set_ylim(0, top * 1.18 if top > 0 else 1)
    for bar, text in zip(bars, value_texts, strict=True):
        axes.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontfamily=family,
        )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", labelsize=8)
    axes.grid(axis="y", linewidth=0.4, alpha=0.5)
    axes.set_axisbelow(True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
