"""Chinese tokenisation for matching: normalise, segment with rjieba, drop noise and stop words."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import rjieba

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "user_dict.txt"
STOP_WORDS = DATA_DIR / "stop_words.txt"

# A token is kept only if it has a Han character, a Latin letter or a digit.
_MEANINGFUL = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Keywords lists use ；; ，, 、 and newlines as separators.
KEYWORD_SEPARATORS = re.compile(r"[；;，,、\n\r\t]+")


# Text made only of ASCII, Han characters and common CJK / full-width punctuation is left as it
# is by NFKC for everything that matters (punctuation is dropped anyway): skip the normalisation.
_NEEDS_NFKC = re.compile(
    r"[^\u0000-\u007f\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    r"，；：！？（）【】《》、“”‘’…—·\uff0e\uff1c\uff1e]"
)


def normalise(text: str) -> str:
    """Full-width → half-width (NFKC), Latin lower-cased."""
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def read_word_file(path: Path) -> list[str]:
    """Lines of a word file without comments and blanks (first column when columns are given)."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words.append(line)
    return words


class Tokenizer:
    """rjieba segmentation with a user dictionary and a stop-word list.

    ``tokenize(text)`` returns the tokens in text order (duplicates kept, they are term
    frequencies): text normalised (NFKC, lower case), segmented, then punctuation and whitespace,
    stop words and single Latin letters or digits dropped. Single Han characters are kept unless
    they are stop words (钢, 铝, 氢 carry meaning in technology texts).
    """

    def __init__(
        self,
        user_words: Iterable[str] = (),
        stop_words: Iterable[str] = (),
        *,
        hmm: bool = True,
        mode: str = "search",
    ):
        if mode not in ("default", "search"):
            raise ValueError(f"分词模式 {mode!r} 不受支持（可选 default、search）")
        self._jieba = rjieba.Jieba()
        self.hmm = hmm
        self.mode = mode
        self._cut = self._jieba.cut_for_search if mode == "search" else self._jieba.cut
        self.user_words: list[str] = []
        for line in user_words:
            parts = line.split()
            if not parts:
                continue
            # "词 词频 词性"; a multi-word Latin term ("Micro LED") is skipped: the segmenter
            # splits Latin words on spaces, so its words are tokens anyway.
            word, freq, tag = parts[0], None, None
            if len(parts) >= 2 and parts[1].isdigit():
                freq = int(parts[1])
                tag = parts[2] if len(parts) > 2 else None
            elif len(parts) > 1:
                continue
            word = normalise(word)
            self._jieba.add_word(word, freq, tag)
            self.user_words.append(word)
        self.stop_words: frozenset[str] = frozenset(normalise(w) for w in stop_words)
        digest = hashlib.sha256()
        for word in sorted(self.user_words):
            digest.update(word.encode() + b"\n")
        digest.update(b"--\n")
        for word in sorted(self.stop_words):
            digest.update(word.encode() + b"\n")
        digest.update(b"hmm" if hmm else b"nohmm")
        digest.update(mode.encode())
        self.fingerprint = digest.hexdigest()[:16]
        self._keep: dict[str, bool] = {}  # token → kept?, bounded by the vocabulary

    @classmethod
    @functools.cache
    def default(cls, mode: str = "search") -> Tokenizer:
        """The shipped 技术领域 user dictionary and stop words (one shared instance per mode)."""
        return cls(read_word_file(USER_DICT), read_word_file(STOP_WORDS), mode=mode)

    def segment(self, text: str) -> list[str]:
        """Raw segmentation of normalised text (no filtering)."""
        return self._cut(normalise(text), self.hmm)

    def tokenize(self, text: str | None) -> list[str]:
        if not text:
            return []
        keep = self._keep
        learn = self._learn
        return [
            t
            for t in self._cut(normalise(text), self.hmm)
            if (k := keep.get(t)) or (k is None and learn(t))
        ]

    def _learn(self, token: str) -> bool:
        """Decide once whether a token is kept (the answer is cached)."""
        if token in self.stop_words:
            ok = False
        elif len(token) == 1:
            ok = bool(_HAN.match(token))  # a lone Latin letter or digit is noise
        else:
            ok = bool(_MEANINGFUL.search(token))
        if len(self._keep) < 2_000_000:
            self._keep[token] = ok
        return ok

    def tokenize_keywords(self, text: str | None) -> list[str]:
        """Keywords (``a；b;c``): each keyword segmented like text."""
        if not text:
            return []
        out = []
        for part in KEYWORD_SEPARATORS.split(text):
            out.extend(self.tokenize(part))
        return out

    def __repr__(self) -> str:
        return (
            f"Tokenizer(user_words={len(self.user_words)}, stop_words={len(self.stop_words)}, "
            f"fingerprint={self.fingerprint})"
        )
