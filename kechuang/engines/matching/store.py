"""Versioned on-disk store of an index: build aside, switch a pointer atomically, clean up.

Layout of ``root``::

    root/CURRENT            the name of the live version ("v000007"), replaced with os.replace
    root/v000006/ …         older versions (the last ``keep`` are kept)
    root/v000007/ …         the live version
    root/.build-v000008-…/  a version being written (never read; removed on failure)

A reader resolves CURRENT once and keeps its memory-mapped Index: a version directory removed
later stays readable through the open mappings, so a query never sees a half-built index.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from .index import Document, Index, MatchingError, Progress
from .tokenize import Tokenizer

POINTER = "CURRENT"
_VERSION = re.compile(r"^v(\d{6,})$")


class IndexStore:
    """Versions of one index under ``root`` with an atomic CURRENT pointer.

    ``current()`` returns the live Index (cached; reloaded memory-mapped when the pointer has
    changed, e.g. after a rebuild in another process). ``publish(index)`` writes a new version
    and switches to it; ``rebuild(docs, tokenizer, progress)`` builds and publishes;
    ``apply(add=…, update=…, remove=…)`` publishes the current index with changes (the base
    files are hard-linked, only the delta and tombstones are written).
    """

    def __init__(
        self, root: str | os.PathLike, *, keep: int = 2, tokenizer: Tokenizer | None = None
    ):
        if keep < 1:
            raise MatchingError("keep 至少为 1")
        self.root = Path(root)
        self.keep = keep
        self.tokenizer = tokenizer
        self._lock = threading.Lock()
        self._cached: tuple[str, Index] | None = None

    # ------------------------------------------------------------------ reading
    def current_version(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def versions(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _VERSION.match(p.name))

    def current(self) -> Index | None:
        """The live index, or None when nothing has been published yet."""
        version = self.current_version()
        if version is None:
            return None
        cached = self._cached
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._lock:
            cached = self._cached
            if cached is not None and cached[0] == version:
                return cached[1]
            index = Index.load(self.root / version, mmap=True, tokenizer=self.tokenizer)
            self._cached = (version, index)
            return index

    # ------------------------------------------------------------------ writing
    def _next_version(self) -> str:
        numbers = [int(_VERSION.match(v).group(1)) for v in self.versions()]
        current = self.current_version()
        if current and _VERSION.match(current):
            numbers.append(int(_VERSION.match(current).group(1)))
        return f"v{max(numbers, default=0) + 1:06d}"

    def publish(self, index: Index) -> str:
        """Save ``index`` as a new version and make it current; returns the version name."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock:
            version = self._next_version()
            tmp = self.root / f".build-{version}-{os.getpid()}-{threading.get_ident()}"
            try:
                index.save(tmp)
                os.replace(tmp, self.root / version)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            pointer_tmp = self.root / f".{POINTER}.{os.getpid()}.{threading.get_ident()}"
            pointer_tmp.write_text(version + "\n", encoding="utf-8")
            os.replace(pointer_tmp, self.root / POINTER)
            self._cached = None
            self._clean(version)
        return version

    def rebuild(
        self,
        docs: Iterable[Document],
        tokenizer: Tokenizer | None = None,
        progress: Progress | None = None,
        *,
        total: int | None = None,
        **options,
    ) -> str:
        """Build a fresh index from ``docs`` (compacting delta and tombstones) and publish it.

        If building fails (bad document, error reading the source) nothing is published and the
        current version stays live.
        """
        index = Index.build(docs, tokenizer or self.tokenizer, progress, total=total, **options)
        return self.publish(index)

    def apply(
        self,
        *,
        add: Iterable[Document] = (),
        update: Iterable[Document] = (),
        remove: Iterable[int] = (),
    ) -> str:
        """Publish the current index with documents added, updated and removed."""
        current = self.current()
        index = current.copy() if current is not None else Index(tokenizer=self.tokenizer)
        index.remove(remove)
        index.update(update)
        index.add(add)
        return self.publish(index)

    def _clean(self, live: str) -> None:
        versions = self.versions()
        keep = set(versions[-self.keep :]) | {live}
        for version in versions:
            if version not in keep:
                shutil.rmtree(self.root / version, ignore_errors=True)
        for stale in self.root.glob(".build-*"):
            # a build left by a crashed process (ours are renamed or removed before this point)
            if not stale.name.endswith(f"-{os.getpid()}-{threading.get_ident()}"):
                try:
                    age_ok = stale.stat().st_mtime < (os.path.getmtime(self.root / POINTER) - 3600)
                except OSError:
                    age_ok = False
                if age_ok:
                    shutil.rmtree(stale, ignore_errors=True)
