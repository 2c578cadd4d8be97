"""Numbers written the Chinese way."""

from decimal import Decimal

import pytest

from kechuang.bulletins import formatting as f
from kechuang.bulletins.formatting import FormatError, Spec, format_value, parse_spec


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (47000000, "4700 万元"),
        (470000000, "4.7 亿元"),
        (1234567890, "12.35 亿元"),
        (10000000000, "100 亿元"),
        (2600000, "260 万元"),
        (1234567, "123 万元"),
        (999999, "100 万元"),  # 99.9999 万元 rounds to 100: whole 万元
        (123456, "12.35 万元"),
        (10000, "1 万元"),
        (15000, "1.5 万元"),
        (9500, "9500 元"),
        (Decimal("9999.999"), "1 万元"),  # rounding reaches the next unit
        (99999999, "1 亿元"),
        (Decimal("0.5"), "0.5 元"),
        (0, "0 元"),
        (-47000000, "-4700 万元"),
        (-470000000, "-4.7 亿元"),
    ],
)
def test_money_by_magnitude(value, expected):
    assert f.money(value) == expected


def test_money_in_a_fixed_unit():
    assert f.money(47000000, unit="亿元") == "0.47 亿元"
    assert f.money(47000000, unit="万元", places=2) == "4700.00 万元"
    assert f.money(470000000, unit="亿元", places=1) == "4.7 亿元"
    with pytest.raises(FormatError):
        f.money(1, unit="美元")


@pytest.mark.parametrize(
    ("ratio", "places", "expected"),
    [
        (Decimal("0.5603"), 0, "56%"),
        (Decimal("0.5603"), 1, "56.0%"),
        (Decimal("0.5603"), 2, "56.03%"),
        (Decimal("0.555"), 0, "56%"),  # half up, not to even
        (Decimal("0.0321"), 2, "3.21%"),
        (Decimal("1"), 0, "100%"),
        (Decimal("0"), 1, "0.0%"),
        (Decimal("-0.0001"), 1, "0.0%"),  # never "-0.0%"
        (Decimal("-0.052"), 1, "-5.2%"),
    ],
)
def test_percent(ratio, places, expected):
    assert f.percent(ratio, places) == expected


def test_percentage_points_chosen_by_sign():
    assert f.points(Decimal("0.77"), 2) == "高于全国 0.77 个百分点"
    assert f.points(Decimal("-0.5"), 2) == "低于全国 0.50 个百分点"
    assert f.points(Decimal("42.2"), 1, "固定资产投资增速") == "高于固定资产投资增速 42.2 个百分点"
    assert f.points(Decimal("0"), 2) == "与全国持平"
    assert f.points(Decimal("0.004"), 2, "全省") == "与全省持平"  # equal after rounding


def test_growth():
    assert f.growth(Decimal("0.551")) == "增长 55.1%"
    assert f.growth(Decimal("-0.032")) == "下降 3.2%"
    assert f.growth(Decimal("0")) == "持平"
    assert f.growth(Decimal("0.00001"), 1) == "持平"
    assert f.growth(Decimal("1.5"), 0) == "增长 150%"
    assert f.growth(Decimal("0.12345"), 2) == "增长 12.35%"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "第一"),
        (2, "第二"),
        (10, "第十"),
        (11, "第十一"),
        (20, "第二十"),
        (23, "第二十三"),
        (100, "第一百"),
        (101, "第一百零一"),
        (110, "第一百一十"),
        (1010, "第一千零一十"),
        (2003, "第二千零三"),
        (10001, "第一万零一"),
        (Decimal("3"), "第三"),
    ],
)
def test_ordinal(n, expected):
    assert f.ordinal(n) == expected


@pytest.mark.parametrize("bad", [0, -1, Decimal("1.5")])
def test_ordinal_rejects_what_is_not_a_rank(bad):
    with pytest.raises(FormatError):
        f.ordinal(bad)


@pytest.mark.parametrize(
    ("key", "label", "short"),
    [
        ("2023", "2023 年", "2023 年"),
        ("2023YTD07", "2023 年 1—7 月", "1—7 月"),
        ("2023YTD01", "2023 年 1 月", "1 月"),
        ("2023M07", "2023 年 7 月", "7 月"),
        ("2023H1", "2023 年上半年", "上半年"),
        ("2023H2", "2023 年下半年", "下半年"),
        ("2023Q3", "2023 年第三季度", "第三季度"),
    ],
)
def test_periods(key, label, short):
    assert f.period_label(key) == label
    if key != "2023":
        assert f.period_label(key, with_year=False) == short


@pytest.mark.parametrize("bad", ["", "23", "2023M13", "2023Q5", "2023YTD00", "2023-07"])
def test_unknown_periods_are_refused(bad):
    with pytest.raises(FormatError):
        f.parse_period(bad)


def test_counts_have_no_thousands_separator():
    assert f.integer(9068) == "9068"
    assert f.integer(20173) == "20173"
    assert f.count(9068, "家") == "9068 家"
    assert f.count(0, "家") == "0 家"
    assert f.count(-3, "人") == "-3 人"


def test_specs_parse_and_refuse():
    assert parse_spec("pct0") == Spec("pct", 0)
    assert parse_spec("pct") == Spec("pct", 1)
    assert parse_spec("pp2:全国") == Spec("pp", 2, "全国")
    assert parse_spec("money") == Spec("money", None)
    assert str(parse_spec("pp1:全省")) == "pp1:全省"
    for bad in ("pct9", "percent", "ordinal2", "pct0:x", "", "int:3"):
        with pytest.raises(FormatError):
            parse_spec(bad)


def test_format_value_by_spec_and_default_by_unit():
    assert format_value(Decimal("9068"), None, unit="家").text == "9068"
    assert format_value(Decimal("9068"), "count", unit="家").text == "9068 家"
    assert format_value(Decimal("0.5603"), None, unit="%").text == "56.0%"
    assert format_value(Decimal("0.5603"), "pct2", unit="%").text == "56.03%"
    assert format_value(Decimal("0.77"), None, unit="个百分点").text == "高于全国 0.77 个百分点"
    assert format_value(Decimal("0.77"), "pp2", unit="个百分点", noun="全省").text == (
        "高于全省 0.77 个百分点"
    )
    assert format_value(Decimal("0.77"), "pp2:全国", unit="个百分点", noun="全省").text == (
        "高于全国 0.77 个百分点"
    )
    assert format_value(Decimal("2"), None, unit="位").text == "第二"
    assert format_value(Decimal("47000000"), None, unit="元").text == "4700 万元"
    assert format_value(Decimal("4700"), "money", unit="万元").text == "4700 万元"
    assert format_value(Decimal("4.7"), "wan0", unit="亿元").text == "47000 万元"
    assert format_value(Decimal("35.5"), None, unit="亩").text == "35.50"


def test_missing_values_give_a_placeholder_and_a_warning():
    result = format_value(None, "growth1", unit="%", label="高新技术企业数增长", note="上年无数据")
    assert result.text == f.MISSING == "—"
    assert result.missing
    assert result.warning == "高新技术企业数增长无数据（上年无数据）"
    assert format_value(None, None, unit="家", label="高企数").warning == "高企数无数据"


def test_a_value_the_spec_cannot_write_is_a_warning_not_an_error():
    result = format_value(Decimal("0"), "ordinal", unit="位", label="研发投入强度排名")
    assert result.text == "—"
    assert "名次须为正整数" in result.warning


@pytest.mark.parametrize(
    ("name", "level", "zone", "word"),
    [
        ("淮南市", "city", False, "全市"),
        ("安徽省", "province", False, "全省"),
        ("北京市", "province", False, "全市"),
        ("内蒙古自治区", "province", False, "全区"),
        ("凤台县", "county", False, "全县"),
        ("田家庵区", "county", False, "全区"),
        ("界首市", "county", False, "全市"),
        ("恩施土家族苗族自治州", "city", False, "全州"),
        ("淮南高新区", "", True, "全区"),
    ],
)
def test_area_word_follows_the_division(name, level, zone, word):
    assert f.area_word(name, level, zone=zone) == word


def test_peers_word():
    assert f.peers_word("city") == "全省"
    assert f.peers_word("county") == "全市"
    assert f.peers_word("province") == "全国"
