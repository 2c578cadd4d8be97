import re

import pytest

from kechuang.engines.matching import Tokenizer
from kechuang.engines.matching.tokenize import USER_DICT, normalise, read_word_file


@pytest.fixture(scope="module")
def tok():
    return Tokenizer.default()


def test_user_dictionary_terms_stay_whole(tok):
    tokens = tok.tokenize("基于工业互联网的锂离子电池与碳纤维复合材料产线，采用预测性维护")
    for term in ("工业互联网", "锂离子电池", "碳纤维复合材料", "预测性维护"):
        assert term in tokens


def test_without_the_dictionary_the_terms_are_split():
    plain = Tokenizer(mode="default")
    assert "工业互联网" not in plain.tokenize("基于工业互联网的平台")
    assert "工业互联网" in Tokenizer.default("default").tokenize("基于工业互联网的平台")


def test_search_mode_also_emits_the_parts_of_long_terms(tok):
    tokens = tok.tokenize("锂离子电池")
    assert "锂离子电池" in tokens and "电池" in tokens


def test_every_shipped_term_is_one_token_in_default_mode():
    tok = Tokenizer.default("default")
    split = []
    for line in read_word_file(USER_DICT):
        if " " in line:
            continue
        tokens = tok.segment(line)
        if tokens != [line.lower()]:
            split.append((line, tokens))
    assert split == []
    assert len(read_word_file(USER_DICT)) >= 300


def test_stop_words_and_punctuation_are_dropped(tok):
    tokens = tok.tokenize("本发明公开了一种用于煤矿的方法，我们希望与高校合作！")
    for stop in ("本发明", "公开", "了", "一种", "的", "我们", "希望", "与", "合作", "，", "！"):
        assert stop not in tokens
    assert "煤矿" in tokens and "高校" in tokens


def test_latin_and_numbers_are_kept_lower_cased_and_full_width_folded(tok):
    tokens = tok.tokenize("５Ｇ专网与PLC、AI质检，Ａ 3 x")
    assert "5g" in tokens and "plc" in tokens and "ai" in tokens
    assert "a" not in tokens and "3" not in tokens and "x" not in tokens


def test_single_han_characters_with_meaning_are_kept(tok):
    assert "钢" in tok.tokenize("钢 的")
    assert "的" not in tok.tokenize("钢 的")


def test_empty_and_stop_word_only_text(tok):
    assert tok.tokenize("") == []
    assert tok.tokenize(None) == []
    assert tok.tokenize("的了和与，。！  ") == []


def test_keywords_split_on_both_semicolons(tok):
    tokens = tok.tokenize_keywords("碳纤维；锂离子电池;工业互联网、5G")
    assert {"碳纤维", "锂离子电池", "工业互联网", "5g"} <= set(tokens)


def test_rjieba_segments_like_jieba():
    jieba = pytest.importorskip("jieba")
    import logging

    jieba.setLogLevel(logging.WARNING)
    from kechuang.engines.matching.tests.relevance import achievement_text, labelled, need_text

    data = labelled()
    texts = [achievement_text(a) for a in data["achievements"]] + [
        need_text(n) for n in data["needs"]
    ]
    plain = Tokenizer(mode="default")
    differ = [t for t in texts if plain.segment(t) != jieba.lcut(normalise(t))]
    # The one known difference: rjieba keeps a hyphenated Latin/number run ("v-0") whole.
    assert len(differ) <= 2
    assert all(re.search(r"[a-z0-9]-[a-z0-9]", normalise(t)) for t in differ)


def test_bad_mode_is_rejected():
    with pytest.raises(ValueError, match="分词模式"):
        Tokenizer(mode="fast")
