import datetime as dt

import pytest

from kechuang.engines.indicators import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    "key, start, end, label",
    [
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "2023 年"),
        ("2023H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30), "2023 年上半年"),
        ("2023H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31), "2023 年下半年"),
        ("2023Q3", dt.date(2023, 7, 1), dt.date(2023, 9, 30), "2023 年第三季度"),
        ("2024M02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024 年 2 月"),
        ("2023YTD07", dt.date(2023, 1, 1), dt.date(2023, 7, 31), "2023 年 1—7 月"),
        ("2023YTD01", dt.date(2023, 1, 1), dt.date(2023, 1, 31), "2023 年 1 月"),
    ],
)
def test_periods(key, start, end, label):
    period = parse_period(key)
    assert (period.key, period.start, period.end, period.label) == (key, start, end, label)
    assert parse_period(period.key) == period


def test_same_period_a_year_earlier():
    assert parse_period("2023Q3").previous_year().key == "2022Q3"
    assert parse_period("2023YTD07").previous_year().label == "2022 年 1—7 月"
    assert parse_period("2024M02").previous_year().end == dt.date(2023, 2, 28)


def test_lenient_spellings():
    assert parse_period("2023m7").key == "2023M07"
    assert parse_period(" 2023ytd7 ").key == "2023YTD07"
    assert parse_period(2023) == Period(2023)


@pytest.mark.parametrize(
    "bad", ["", "23", "2023Q5", "2023H3", "2023M13", "2023M00", "abcd", "2023-07"]
)
def test_bad_keys(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_only_years_are_years():
    assert parse_period("2023").is_year
    assert not parse_period("2023H1").is_year
