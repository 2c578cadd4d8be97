"""National identifiers: unified social credit code (GB 32100-2015), resident ID (GB 11643-1999)."""

from __future__ import annotations

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    value = 31 - total % 31
    return USCC_CHARSET[0 if value == 31 else value]


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of the 9-character organization code inside a USCC."""
    total = sum(
        ORG_CODE_CHARSET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实为 {len(code)} 位"
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return f"统一社会信用代码含非法字符 {''.join(bad)}（不得使用 I、O、Z、S、V 及小写字母）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为行政区划代码"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：应为 {expected}，实为 {code[17]}"
    return None


def normalise_uscc(code: str) -> str:
    return (code or "").strip().upper()


def make_uscc(body17: str) -> str:
    """Complete 17 characters with their check character (used by the demo and factories)."""
    return body17 + uscc_check_char(body17)


def resident_id_problem(number: str) -> str | None:
    if len(number) != 18 or not number[:17].isdigit():
        return "身份证号应为 17 位数字加 1 位校验码"
    expected = ID_CHECK[sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11]
    if number[17].upper() != expected:
        return f"身份证号校验位错误：应为 {expected}"
    return None


def mask_resident_id(number: str) -> str:
    """3404**********123X: keep the first four and last four characters."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(number: str) -> str:
    if not number or len(number) < 7:
        return number
    return number[:3] + "****" + number[-4:]
