import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.imports.columns import (
    Boolean,
    CellError,
    Choice,
    Date,
    Integer,
    Money,
    Number,
    Text,
    normalise_name,
)
from kechuang.core.imports.engine import _match_title
from kechuang.orgs.models import HightechField, Ownership, QualificationKind


@pytest.mark.parametrize(
    "raw",
    [
        "2023-10-16",
        "2023/10/16",
        "2023.10.16",
        "2023年10月16日",
        "２０２３年１０月１６日",
        "20231016",
        20231016,
        " 2023-10-16 00:00:00 ",
        dt.datetime(2023, 10, 16),
        dt.date(2023, 10, 16),
        45215,  # the Excel serial number of 2023-10-16
    ],
)
def test_dates_in_the_forms_clerks_write(raw):
    assert Date("d", "日期").parse(raw) == dt.date(2023, 10, 16)


@pytest.mark.parametrize("raw", ["2023-02-30", "16/10/2023", "明天", "2023-13-01"])
def test_bad_dates_are_cell_errors(raw):
    with pytest.raises(CellError):
        Date("d", "日期").parse(raw)


def test_empty_cells_are_none_or_blank():
    assert Date("d", "日期").parse("  ") is None
    assert Text("t", "文本", max_length=5).parse(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("1", True), (0, False), ("TRUE", True), ("false", False)],
)
def test_booleans(raw, expected):
    assert Boolean("b", "规上企业").parse(raw) is expected


def test_boolean_rejects_other_words():
    with pytest.raises(CellError, match="是 或 否"):
        Boolean("b", "规上企业").parse("也许")


def test_choices_by_key_or_label():
    column = Choice("ownership", "所有制", choices=Ownership.choices)
    assert column.parse("private") == "private"
    assert column.parse(" 民营 ") == "private"
    assert column.parse("混合所有制") == "mixed"
    with pytest.raises(CellError, match="民营"):
        column.parse("外星")


def test_choice_labels_with_quotes_and_numeric_keys():
    kinds = Choice("kind", "资质类型", choices=QualificationKind.choices)
    assert kinds.parse("专精特新“小巨人”企业") == "little_giant"
    assert kinds.parse('专精特新"小巨人"企业') == "little_giant"
    fields = Choice("hightech_field", "领域", choices=HightechField.choices)
    assert fields.parse(1) == "01"  # Excel drops the leading zero
    assert fields.parse("先进制造与自动化") == "08"


def test_integers():
    column = Integer("employees", "从业人员")
    assert column.parse("1,200") == 1200
    assert column.parse(35.0) == 35
    with pytest.raises(CellError):
        column.parse("1.5")
    with pytest.raises(CellError):
        column.parse(-3)
    assert Integer("year", "年度", min_value=None).parse("2023") == 2023


def test_money_scales_by_the_header_unit_and_keeps_cents():
    column = Money("revenue", "营业收入")
    assert column.parse("5200", Decimal(10_000)) == Decimal("52000000.00")
    assert column.parse(1.25, Decimal(10**8)) == Decimal("125000000.00")
    assert column.parse("1,234.5") == Decimal("1234.50")
    assert column.parse("-20") == Decimal("-20.00")  # the sign rule belongs to the validator
    with pytest.raises(CellError, match="数值"):
        column.parse("五千万")
    with pytest.raises(CellError, match="过大"):
        column.parse("1e20")


def test_number_rounds_to_its_places():
    assert Number("land_area_mu", "用地面积（亩）").parse("35.555") == Decimal("35.56")


def test_text_length_and_case():
    column = Text("uscc", "统一社会信用代码", max_length=18, upper=True)
    assert column.parse(" 91340421abc ") == "91340421ABC"
    assert Text("code", "代码", max_length=6).parse(340421.0) == "340421"
    with pytest.raises(CellError, match="18"):
        column.parse("9" * 19)


def test_header_matching_folds_width_spaces_and_units():
    revenue = Money("revenue", "营业收入")
    staff = Integer("rd_staff", "研发人员")
    names = {n: c for c in (revenue, staff) for n in c.names()}
    assert _match_title(" 营业收入（万元） ", names)[:2] == (revenue, Decimal(10_000))
    assert _match_title("营业收入(亿元)", names)[:2] == (revenue, Decimal(10**8))
    assert _match_title("营业收入（元）", names)[:2] == (revenue, Decimal(1))
    assert _match_title("REVENUE", names)[:2] == (revenue, Decimal(1))
    column, _factor, reason = _match_title("研发人员（万元）", names)
    assert column is None and "单位" in reason
    assert _match_title("利润", names)[0] is None
    assert normalise_name("Ⅰ类知识产权") == normalise_name("I类知识产权")
