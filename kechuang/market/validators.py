"""Checks of market texts and identifiers: keywords, Chinese descriptions, patent numbers.

Each ``*_problem`` function returns the reason a value is not acceptable, or None; services,
forms and importers share them so that every surface gives the same message.
"""

from __future__ import annotations

import re
import unicodedata

KEYWORD_SEPARATORS = re.compile(r"[；;\n]+")
KEYWORD_JOIN = "；"
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 30
DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 2000
MIN_HAN = 20
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class KeywordError(ValueError):
    pass


def split_keywords(text: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``"新材料；复合材料; 碳纤维"`` → the normalised, de-duplicated keywords in order.

    Separators are ``；`` and ``;`` (and line breaks). Each keyword is NFKC-folded (full-width
    letters and digits become ASCII) with inner whitespace collapsed; duplicates (ignoring case)
    are dropped.
    """
    if text is None:
        return []
    parts = text if isinstance(text, list | tuple) else KEYWORD_SEPARATORS.split(str(text))
    seen: set[str] = set()
    keywords = []
    for part in parts:
        word = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(part))).strip()
        # NFKC turns the full-width "；" into ";": split again after folding.
        for piece in (p.strip() for p in word.split(";")):
            if piece and piece.lower() not in seen:
                seen.add(piece.lower())
                keywords.append(piece)
    return keywords


def normalise_keywords(text) -> str:
    """The stored form: keywords joined by ``；``. Raises ``KeywordError`` when too many/long."""
    keywords = split_keywords(text)
    if len(keywords) > MAX_KEYWORDS:
        raise KeywordError(f"关键词最多 {MAX_KEYWORDS} 个，实为 {len(keywords)} 个")
    long = [k for k in keywords if len(k) > MAX_KEYWORD_LENGTH]
    if long:
        raise KeywordError(f"关键词「{long[0]}」超过 {MAX_KEYWORD_LENGTH} 个字符")
    return KEYWORD_JOIN.join(keywords)


def chinese_text_problem(
    text: str, label: str, *, minimum: int = DESCRIPTION_MIN, maximum: int = DESCRIPTION_MAX
) -> str | None:
    """A Chinese description of ``minimum``–``maximum`` characters with enough Han characters."""
    text = (text or "").strip()
    if len(text) < minimum:
        return f"{label}至少 {minimum} 个字，实为 {len(text)} 个字"
    if len(text) > maximum:
        return f"{label}最多 {maximum} 个字，实为 {len(text)} 个字"
    if len(HAN.findall(text)) < MIN_HAN:
        return f"{label}应使用中文填写（至少 {MIN_HAN} 个汉字）"
    return None


# --- patent and registration numbers ---------------------------------------------------------

# Application numbers (专利申请号, ZC 0006-2003): since 2003 twelve digits (year, type, serial)
# and a check character; before, eight digits (two-digit year). A granted patent's number is
# "ZL" + the application number; "CN" + the application number is also written.
APPLICATION = re.compile(r"^(?:ZL|CN)?(?P<body>\d{12}|\d{8})\.?(?P<check>[0-9X])$")
# Publication / grant numbers (公开号 / 授权公告号): CN + 9 digits + kind code.
PUBLICATION = re.compile(r"^CN(?P<body>\d{9})(?P<kind>[ABCUYS])\d?$")
# 软件著作权登记号, e.g. 2023SR0123456.
SOFTWARE = re.compile(r"^(?:19|20)\d{2}SR\d{6,7}$")
# 植物新品种权号, e.g. CNA20201234.5 (品种权申请号 with a check digit) or CNA012345E.
VARIETY = re.compile(r"^CNA\d{6,9}(?:\.\d)?[A-Z]?$")
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
PATENT_TYPE_DIGITS = {"invention_patent": "18", "utility_model": "29"}
PATENT_KIND_CODES = {"invention_patent": "ABC", "utility_model": "UY"}
TYPE_LABELS = {"invention_patent": "发明专利", "utility_model": "实用新型专利"}


def patent_check_char(digits: str) -> str:
    """The check character of an application number's 8 or 12 digits (mod 11, 10 → X)."""
    total = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalise_patent_number(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").upper()
    return re.sub(r"[\s-]", "", text)


def patent_number_problem(number: str, achievement_type: str) -> str | None:
    """Why ``number`` (normalised) is not a plausible number for ``achievement_type``."""
    if not number:
        return None
    if achievement_type == "know_how":
        return "技术秘密没有专利号或登记号，请留空"
    if achievement_type == "software":
        if SOFTWARE.match(number):
            return None
        return "软件著作权登记号格式应如 2023SR0123456"
    if achievement_type == "new_variety":
        if VARIETY.match(number):
            return None
        return "植物新品种权号格式应如 CNA20201234.5"
    if match := APPLICATION.match(number):
        body = match["body"]
        expected = patent_check_char(body)
        if match["check"] != expected:
            return f"专利号校验位错误：应为 {expected}，实为 {match['check']}"
        type_digit = body[4] if len(body) == 12 else body[2]
        wanted = PATENT_TYPE_DIGITS.get(achievement_type)
        if wanted and type_digit not in wanted:
            position = 5 if len(body) == 12 else 3
            label = TYPE_LABELS[achievement_type]
            return f"专利号第 {position} 位表示专利类型，与“{label}”不符"
        return None
    if match := PUBLICATION.match(number):
        wanted = PATENT_KIND_CODES.get(achievement_type)
        if wanted and match["kind"] not in wanted:
            return f"文献种类代码 {match['kind']} 与“{TYPE_LABELS[achievement_type]}”不符"
        return None
    return "专利号格式应如 ZL201710601862.3（申请号含校验位）或 CN112345678A（公开号）"
