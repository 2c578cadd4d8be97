"""National identifiers against published examples."""

import pytest

from kechuang.core.identifiers import (
    USCC_CHARSET,
    make_uscc,
    mask_phone,
    mask_resident_id,
    normalise_uscc,
    org_code_check_char,
    resident_id_problem,
    uscc_check_char,
    uscc_problem,
)

# Unified social credit codes printed on public business licences and registrations.
PUBLISHED_USCC = [
    "91350100M000100Y43",  # the example of GB 32100-2015
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
]


@pytest.mark.parametrize("code", PUBLISHED_USCC)
def test_published_codes_are_valid(code):
    assert uscc_problem(code) is None
    assert uscc_check_char(code[:17]) == code[17]
    assert make_uscc(code[:17]) == code
    # The embedded organization code carries its own GB 11714 check character.
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", PUBLISHED_USCC)
def test_every_single_character_corruption_is_rejected(code):
    for position in range(18):
        for replacement in USCC_CHARSET:
            if replacement == code[position]:
                continue
            corrupted = code[:position] + replacement + code[position + 1 :]
            assert uscc_problem(corrupted) is not None, corrupted


def test_check_value_31_maps_to_zero():
    # Σ(value × weight) ≡ 0 (mod 31) gives 31 − 0 = 31, written as "0".
    assert uscc_check_char("0" * 17) == "0"
    assert uscc_problem("0" * 18) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y433", "18 位"),
        ("91350100M000100YI3", "非法字符 I"),
        ("91350100m000100Y43", "非法字符 m"),
        ("9135O100M000100Y43", "非法字符 O"),
        ("91A50100M000100Y43", "行政区划"),
        ("91350100M000100Y44", "应为 3，实为 4"),
    ],
)
def test_problems_are_explained(code, reason):
    assert reason in uscc_problem(code)


def test_normalise_uscc():
    assert normalise_uscc("  91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_uscc(None) == ""


def test_resident_id_published_example():
    assert resident_id_problem("11010519491231002X") is None
    assert resident_id_problem("11010519491231002x") is None


def test_resident_id_corruptions_are_rejected():
    number = "11010519491231002X"
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                corrupted = number[:position] + digit + number[position + 1 :]
                assert resident_id_problem(corrupted) is not None, corrupted
    assert "校验位错误：应为 X" in resident_id_problem("110105194912310021")
    assert resident_id_problem("1101051949123100") is not None
    assert resident_id_problem("1101051949123100AX") is not None


def test_masking():
    assert mask_resident_id("11010519491231002X") == "1101**********002X"
    assert mask_resident_id("340421198001011234") == "3404**********1234"
    assert mask_resident_id("1234") == "****"
    assert mask_resident_id("") == ""
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("12345") == "12345"
