"""Filter attributes of indexed documents: each document's values of an attribute as a set,
and per attribute one code per base row standing for that set."""

from __future__ import annotations

import array
from collections.abc import Iterable

import numpy as np

AttrValue = str | Iterable[str] | None


def attr_values(value: AttrValue) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,)) if value != "" else frozenset()
    return frozenset(str(v) for v in value if v is not None and str(v) != "")


class AttrColumn:
    """Codes of one attribute over the base rows; code ``c`` stands for ``values[c]``."""

    def __init__(self, values: list[frozenset[str]] | None = None):
        self.values: list[frozenset[str]] = values or []
        self.code_of = {v: i for i, v in enumerate(self.values)}
        self.codes: np.ndarray = np.empty(0, dtype=np.int32)
        self._building: array.array | None = None

    def start(self) -> None:
        self._building = array.array("i")

    def append(self, values: frozenset[str]) -> None:
        if not values:
            self._building.append(-1)
            return
        code = self.code_of.get(values)
        if code is None:
            code = self.code_of[values] = len(self.values)
            self.values.append(values)
        self._building.append(code)

    def finish(self) -> None:
        self.codes = np.frombuffer(self._building, dtype=np.int32).copy()
        self._building = None

    def wanted_codes(self, wanted: frozenset[str], prefix: bool) -> np.ndarray:
        codes = [c for c, vals in enumerate(self.values) if matches(vals, wanted, prefix)]
        return np.asarray(codes, dtype=np.int32)


def matches(values: frozenset[str], wanted: frozenset[str], prefix: bool) -> bool:
    if prefix:
        return any(v.startswith(w) for v in values for w in wanted)
    return bool(values & wanted)
