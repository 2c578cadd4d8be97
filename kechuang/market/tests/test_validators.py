"""Keywords, Chinese texts and Chinese patent numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.market.validators import (
    KeywordError,
    chinese_text_problem,
    normalise_keywords,
    normalise_patent_number,
    patent_check_char,
    patent_number_problem,
    split_keywords,
)


def test_keywords_split_on_both_semicolons_fold_width_and_drop_duplicates():
    assert split_keywords("新材料；复合材料; 碳纤维 ;；ＵＷＢ定位;uwb定位") == [
        "新材料",
        "复合材料",
        "碳纤维",
        "UWB定位",
    ]
    assert normalise_keywords(["  液压  支架 ", "密封"]) == "液压 支架；密封"
    assert normalise_keywords("") == ""
    with pytest.raises(KeywordError, match="最多 20 个"):
        normalise_keywords("；".join(f"词{i}" for i in range(21)))
    with pytest.raises(KeywordError, match="超过 30 个字符"):
        normalise_keywords("很" * 31)


@given(st.lists(st.text(alphabet="新材料碳纤维abcＡＢＣ 　", min_size=1, max_size=6), max_size=8))
def test_normalising_twice_changes_nothing(words):
    once = normalise_keywords(words)
    assert normalise_keywords(once) == once


def test_the_longest_keywords_allowed_fit_the_column():
    from kechuang.market.models import TechNeed

    longest = normalise_keywords("；".join(f"{i:02d}" + "很" * 28 for i in range(20)))
    assert len(longest) <= TechNeed._meta.get_field("keywords").max_length


def test_chinese_text_length_and_language():
    assert chinese_text_problem("短", "需求描述") == "需求描述至少 50 个字，实为 1 个字"
    assert "最多 2000 个字" in chinese_text_problem("很" * 2001, "需求描述")
    assert "中文" in chinese_text_problem("x" * 60, "需求描述")
    assert chinese_text_problem("提高" * 10 + "UWB 定位精度 0.3m " * 3, "需求描述") is None


def test_published_check_digit_examples():
    # 201710601862.3 (the check digit worked in the published explanation of ZC 0006-2003),
    # 95115608.X (an eight-digit number before 2004).
    assert patent_check_char("201710601862") == "3"
    assert patent_check_char("95115608") == "X"


@pytest.mark.parametrize(
    "number,kind",
    [
        ("ZL201710601862.3", "invention_patent"),
        ("201710601862.3", "invention_patent"),
        ("CN201710601862.3", "invention_patent"),
        ("ZL95115608.X", "invention_patent"),
        ("CN112345678A", "invention_patent"),
        ("CN212345678U", "utility_model"),
        ("2023SR0123456", "software"),
        ("CNA20201234.5", "new_variety"),
        ("", "know_how"),
    ],
)
def test_accepted_numbers(number, kind):
    assert patent_number_problem(number, kind) is None


@pytest.mark.parametrize(
    "number,kind,words",
    [
        ("ZL201710601862.7", "invention_patent", "应为 3"),
        ("ZL201720601862.9", "invention_patent", "专利类型"),
        ("ZL201710601862.3", "utility_model", "专利类型"),
        ("CN112345678A", "utility_model", "文献种类代码"),
        ("ZL2017106018", "invention_patent", "格式"),
        ("2023SR12", "software", "软件著作权"),
        ("ZL201710601862.3", "know_how", "技术秘密"),
    ],
)
def test_refused_numbers(number, kind, words):
    assert words in patent_number_problem(number, kind)


def test_patent_numbers_are_normalised():
    assert normalise_patent_number(" zl 2017 1060-1862.3 ") == "ZL201710601862.3"
    assert normalise_patent_number("ＺＬ２０１７１０６０１８６２．３") == "ZL201710601862.3"
