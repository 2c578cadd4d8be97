"""Templates, placeholders and composing a document from a body and a snapshot."""

from datetime import date

import pytest

from kechuang.bulletins import catalog, charts
from kechuang.bulletins.catalog import REGISTRY, placeholders, text_problems
from kechuang.bulletins.compose import comparison_noun, compose, describe_definition

SNAPSHOT = {
    "computed_at": "2024-08-15T02:30:00+00:00",
    "division": "340400",
    "division_name": "淮南市",
    "level": "city",
    "zone": None,
    "zone_name": "",
    "has_children": True,
    "period": "2024YTD07",
    "period_label": "2024 年 1—7 月",
    "figures": {
        "hnte_count": {
            "label": "高新技术企业数",
            "unit": "家",
            "value": "9068",
            "records_url": "/stats/records/?indicator=hnte_count",
            "definition": {"description": "期末持有有效「高新技术企业」资质的机构数"},
            "note": "",
        },
        "hnte_private_share": {
            "label": "高新技术企业民企占比",
            "unit": "%",
            "value": "0.9012",
            "records_url": "/stats/records/?indicator=hnte_private_count",
            "definition": {},
            "note": "",
        },
        "hnte_count_yoy": {
            "label": "高新技术企业数同比增长",
            "unit": "%",
            "value": None,
            "records_url": "/stats/records/?indicator=hnte_count",
            "definition": {},
            "note": "上年无数据",
        },
        "rd_intensity_vs_province": {
            "label": "研发投入强度与全省之差",
            "unit": "个百分点",
            "value": "-0.3",
            "records_url": "",
            "definition": {"measure": {"against": {"type": "ancestor", "level": "province"}}},
            "note": "",
        },
    },
    "children": [
        {
            "division": "340421",
            "division_name": "凤台县",
            "figures": {
                "hnte_count": {
                    "label": "高新技术企业数",
                    "unit": "家",
                    "value": "3000",
                    "records_url": "/r/340421",
                    "definition": {},
                    "note": "",
                },
            },
        },
        {
            "division": "340422",
            "division_name": "寿县",
            "figures": {
                "hnte_count": {
                    "label": "高新技术企业数",
                    "unit": "家",
                    "value": "6068",
                    "records_url": "/r/340422",
                    "definition": {},
                    "note": "",
                },
            },
        },
    ],
}


def body(*blocks, heading="一、创新主体"):
    return {
        "masthead": "科技工作简报",
        "sections": [{"key": "s", "heading": heading, "blocks": list(blocks)}],
    }


def paragraph(text, key="s.p"):
    return {"kind": "paragraph", "key": key, "text": text}


def make(*blocks, snapshot=SNAPSHOT, draft=True):
    return compose(
        body=body(*blocks),
        snapshot=snapshot,
        title="标题",
        issuer="淮南市科学技术局",
        issue_label="（草稿）",
        issued_on=date(2024, 8, 15),
        draft=draft,
    )


def test_placeholders_and_escaped_braces():
    text = "{area}现有 {hnte_count} 家，占比 {hnte_private_share:pct0}，{{注}}，{x:pp2:全国}"
    assert placeholders(text) == [
        ("area", ""),
        ("hnte_count", ""),
        ("hnte_private_share", "pct0"),
        ("x", "pp2:全国"),
    ]


def test_text_problems_name_what_is_wrong():
    known = {"hnte_count", "rd_intensity"}
    assert text_problems("{area}有 {hnte_count} 家，强度 {rd_intensity:pct2}。", known) == []
    assert text_problems("有 {hnte_cnt} 家", known) == ["未知的指标：hnte_cnt"]
    assert text_problems("强度 {rd_intensity:pct9}", known) == ["未知的数字格式：pct9"]
    assert text_problems("{area:pct0}", known) == ["{area} 不带格式"]
    assert "花括号不配对" in text_problems("有 {hnte_count 家", known)[0]
    assert "花括号不配对" in text_problems("有 {高企} 家", known)[0]
    assert text_problems("写作 {{hnte_count}}", known) == []


def test_registry_template_names_every_indicator_it_needs():
    keys = REGISTRY.indicators()
    assert keys[:3] == ["leading_innovator_count", "hnte_count", "tech_sme_count"]
    assert {"rd_intensity", "rd_intensity_vs_national", "rd_intensity_rank"} <= set(keys)
    assert REGISTRY.child_indicators() == [
        "leading_innovator_count",
        "hnte_count",
        "tech_sme_count",
        "gazelle_count",
        "above_scale_count",
        "rd_expense_sum",
        "revenue_sum",
        "rd_intensity",
        "rd_staff_sum",
    ]
    sections = REGISTRY.body()["sections"]
    assert [s["heading"] for s in sections] == ["一、创新主体", "二、研发投入", "三、创新平台"]
    kinds = [b["kind"] for s in sections for b in s["blocks"]]
    assert "table" in kinds and "chart" in kinds
    for block in (b for s in sections for b in s["blocks"] if b["kind"] == "paragraph"):
        known = set(REGISTRY.indicators())
        assert text_problems(block["text"], known) == [], block["key"]
    assert set(catalog.TEMPLATES) == {"registry", "summary"}
    with pytest.raises(KeyError):
        catalog.get_template("nope")


def test_paragraph_figures_link_to_their_records_and_specials_follow_the_place():
    document = make(
        paragraph(
            "{period}，{area}现有高企 {hnte_count} 家，民企占比 {hnte_private_share:pct0}，"
            "{months}累计；研发投入强度{rd_intensity_vs_province:pp1}，位列{peers}。"
        )
    )
    (p,) = document.paragraphs()
    assert p.text == (
        "2024 年 1—7 月，全市现有高企 9068 家，民企占比 90%，1—7 月累计；"
        "研发投入强度低于全省 0.3 个百分点，位列全省。"
    )
    figures = [s for s in p.segments if s.is_figure]
    assert [f.text for f in figures] == ["9068", "90%", "低于全省 0.3 个百分点"]
    assert figures[0].url == "/stats/records/?indicator=hnte_count"
    assert figures[0].title == "高新技术企业数：期末持有有效「高新技术企业」资质的机构数"
    assert document.warnings == []
    assert [n.label for n in document.notes] == [
        "高新技术企业数",
        "高新技术企业民企占比",
        "研发投入强度与全省之差",
    ]
    assert document.date_label == "2024 年 8 月 15 日"
    assert document.computed_label == "2024-08-15 10:30"  # Asia/Shanghai


def test_undefined_and_unknown_figures_become_warnings_not_errors():
    document = make(
        paragraph("高企 {hnte_count} 家，同比{hnte_count_yoy:growth1}，另有 {gazelle_count} 家。")
    )
    (p,) = document.paragraphs()
    assert p.text == "高企 9068 家，同比—，另有 — 家。"
    assert [str(w) for w in document.warnings] == [
        "一、创新主体：高新技术企业数同比增长无数据（上年无数据）",
        "一、创新主体：指标 gazelle_count 在本期间没有数值（来自年度数据的指标只能按整年统计）",
    ]
    assert [s.missing for s in p.segments if s.is_figure] == [False, True, True]
    assert [n.label for n in document.notes] == ["高新技术企业数"]


def test_a_paragraph_without_any_value_is_left_out_with_a_warning():
    document = make(
        paragraph("研发费用 {rd_expense_sum:money}，强度 {rd_intensity:pct2}。", key="rd"),
        paragraph("高企 {hnte_count} 家。", key="hnte"),
    )
    assert [p.key for p in document.paragraphs()] == ["hnte"]
    assert document.omitted["rd"].text == "研发费用 —，强度 —。"
    assert (
        str(document.warnings[-1])
        == "一、创新主体：一段文字的数值均无数据，已略去：研发费用 —，强度 —。"
    )


def test_columns_and_charts_without_values_in_the_period_are_left_out():
    columns = [
        {"indicator": "hnte_count", "header": "高企（家）", "spec": ""},
        {"indicator": "rd_expense_sum", "header": "研发费用（万元）", "spec": "wan2"},
    ]
    table_block = {"kind": "table", "key": "t", "caption": "各{children}情况", "columns": columns}
    only_yearly = table_block | {"key": "t2", "columns": columns[1:]}
    chart_block = {"kind": "chart", "key": "c", "title": "强度", "indicator": "rd_intensity"}
    document = make(table_block, only_yearly, chart_block)
    (table,) = document.sections[0].blocks
    assert table.header == ["县（市、区）", "高企（家）"]
    assert [str(w) for w in document.warnings] == [
        "一、创新主体：表格「各县（市、区）情况」略去本期间没有数值的列：研发费用（万元）",
        "一、创新主体：表格「各县（市、区）情况」在本期间没有数值，从略",
        "一、创新主体：图表「强度」在本期间没有数值，从略",
    ]


def test_table_has_a_row_per_child_and_the_division_as_total():
    table_block = {
        "kind": "table",
        "key": "s.t",
        "caption": "各{children}情况",
        "columns": [{"indicator": "hnte_count", "header": "高企（家）", "spec": "count"}],
    }
    (table,) = [b for b in make(table_block).sections[0].blocks]
    assert table.caption == "各县（市、区）情况"
    assert table.header == ["县（市、区）", "高企（家）"]
    assert [[c.text for c in row] for row in table.rows] == [
        ["凤台县", "3000"],
        ["寿县", "6068"],
        ["全市", "9068"],
    ]
    assert table.rows[0][1].url == "/r/340421"


def test_chart_is_sorted_largest_first_and_drawn_as_png():
    chart_block = {
        "kind": "chart",
        "key": "s.c",
        "title": "各{children}高企数",
        "indicator": "hnte_count",
        "spec": "",
    }
    document = make(paragraph("x"), chart_block, chart_block | {"key": "s.c2"})
    chart = document.charts()[0]
    assert chart.labels == ["寿县", "凤台县"]
    assert chart.values == [6068.0, 3000.0]
    assert chart.value_texts == ["6068", "3000"]
    assert [c.number for c in document.charts()] == [1, 2]
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.data_uri.startswith("data:image/png;base64,")


def test_tables_and_charts_without_children_are_left_out():
    leaf = SNAPSHOT | {
        "level": "county",
        "has_children": False,
        "children": [],
        "division_name": "凤台县",
    }
    table_block = {"kind": "table", "key": "t", "caption": "c", "columns": []}
    chart_block = {"kind": "chart", "key": "c", "title": "t", "indicator": "hnte_count"}
    document = make(paragraph("{area}"), table_block, chart_block, snapshot=leaf)
    assert [b.kind for b in document.sections[0].blocks] == ["paragraph"]
    assert document.paragraphs()[0].text == "全县"
    assert document.warnings == []
    # A city whose children gave no figures is reported.
    empty = SNAPSHOT | {"children": []}
    assert len(make(table_block, chart_block, snapshot=empty).warnings) == 2


def test_a_zone_bulletin_speaks_of_the_zone():
    zone = SNAPSHOT | {"zone": 7, "zone_name": "淮南高新区", "has_children": False, "children": []}
    text = make(paragraph("{division}{area}，位列{peers}"), snapshot=zone).paragraphs()[0].text
    assert text == "淮南高新区全区，位列全省"


def test_definitions_in_words_and_comparison_nouns():
    assert describe_definition({"description": "民营数 ÷ 总数", "filters_text": "x"}) == (
        "民营数 ÷ 总数"
    )
    assert describe_definition({"filters_text": "持有高企资质"}) == "持有高企资质"
    assert describe_definition(
        {"inputs": {"a": {"label": "研发费用"}, "b": {"label": "营收"}}}
    ) == ("由研发费用、营收计算")
    assert describe_definition({}) == ""
    national = {"measure": {"against": {"type": "benchmark", "key": "national.rd_intensity"}}}
    assert comparison_noun(national) == "全国"
    national["measure"]["against"] |= {
        "year": 2023,
        "value": 0.0265,
        "label": "全国研发投入强度",
        "source": "统计公报",
    }
    assert describe_definition(national | {"description": "强度减全国强度"}) == (
        "强度减全国强度；对比基准：全国研发投入强度 2023 年 2.65%（统计公报）"
    )
    assert comparison_noun({"measure": {"against": {"type": "ancestor", "level": "province"}}}) == (
        "全省"
    )
    assert comparison_noun({}) == ""


def test_charts_prefer_noto_sans_cjk():
    installed = {f.name for f in charts.font_manager.fontManager.ttflist}
    if "Noto Sans CJK SC" not in installed:
        pytest.skip("font Noto Sans CJK SC (Debian fonts-noto-cjk) is not installed")
    charts.cjk_font.cache_clear()
    assert charts.cjk_font() == "Noto Sans CJK SC"


def without_cjk_fonts(monkeypatch):
    """matplotlib's font list as if no Chinese font had been installed when it was cached."""
    cached = charts.font_manager.fontManager.ttflist
    latin = [f for f in cached if not any(mark in f.name for mark in ("CJK", "Hei", "Song"))]
    monkeypatch.setattr(charts.font_manager.fontManager, "ttflist", latin)
    return cached


def test_a_cjk_font_installed_after_matplotlib_cached_its_fonts_is_found(monkeypatch):
    cached = without_cjk_fonts(monkeypatch)
    if not any(f.name == "Noto Sans CJK SC" for f in cached):
        pytest.skip("font Noto Sans CJK SC (Debian fonts-noto-cjk) is not installed")
    charts.cjk_font.cache_clear()
    try:
        assert charts.cjk_font() == "Noto Sans CJK SC"
    finally:
        charts.cjk_font.cache_clear()


def test_charts_without_a_cjk_font_are_drawn_with_a_warning(monkeypatch, caplog):
    without_cjk_fonts(monkeypatch)
    monkeypatch.setattr(charts.font_manager, "findSystemFonts", lambda: [])
    charts.cjk_font.cache_clear()
    try:
        assert charts.cjk_font() is None
        assert "未找到中文字体" in caplog.text
        png = charts.bar_chart_png(["Fengtai"], [1.0], ["1"])
        assert png.startswith(b"\x89PNG")
    finally:
        charts.cjk_font.cache_clear()
