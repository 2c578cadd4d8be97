"""Ranked search of the technology market: the matching engine's indexes kept in step with the
database, and the queries the API, the pages and ``kechuang match`` run.

One index per kind (``achievements``, ``needs``, ``experts``) under ``settings.MATCHING_INDEX_DIR``.
Every record is indexed whatever its status; the index is a candidate generator and the database
stays the truth: hits are read back through the user's selector (scope, status, visibility), so
a record withdrawn a moment ago is never shown even before its index entry goes.

In step with the database:

- a saved or deleted need, achievement or expert is applied to its index after the transaction
  commits (``post_save`` / ``post_delete``; imports, which write in bulk, call ``sync``);
- ``rebuild(kind)`` builds a fresh version aside and switches to it atomically (the Celery task
  ``kechuang.market.tasks.rebuild_index`` runs it with progress); records written while it ran
  are applied again afterwards;
- writers of one kind hold a file lock, so two processes never publish over each other.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from kechuang.engines.matching import Document, Hit, IndexStore, Tokenizer, highlight

from . import selectors
from .models import ACHIEVEMENT_LISTED, NEED_LISTED, Achievement, Expert, TechNeed

KINDS = ("achievements", "needs", "experts")
CANDIDATES = 3  # hits asked of the index per result wanted: some fall to scope and status


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    label: str
    readable: Callable  # user → queryset of what the user may read
    public: Callable  # () → queryset of what anonymous visitors may read


REGISTRY = {
    "achievements": Kind(
        Achievement, "科技成果", selectors.achievement_list, selectors.public_achievements
    ),
    "needs": Kind(TechNeed, "技术需求", selectors.need_list, selectors.public_needs),
    "experts": Kind(Expert, "专家", selectors.expert_list, selectors.public_experts),
}
KIND_OF_MODEL = {kind.model: name for name, kind in REGISTRY.items()}


def kind_of(name: str) -> Kind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"未知的检索类别：{name}（可选 {', '.join(KINDS)}）") from None


# --- documents ---------------------------------------------------------------------------------


def document(obj) -> Document:
    """The engine's document of a need, an achievement or an expert."""
    common = {"region": obj.division_code, "visibility": obj.visibility}
    if isinstance(obj, Achievement):
        return Document(
            obj.pk,
            {"title": obj.title, "body": obj.abstract, "keywords": obj.keywords},
            {
                **common,
                "field": obj.field,
                "type": obj.type,
                "maturity": obj.maturity,
                "status": obj.status,
            },
        )
    if isinstance(obj, TechNeed):
        return Document(
            obj.pk,
            {"title": obj.title, "body": obj.description, "keywords": obj.keywords},
            {**common, "field": obj.field, "mode": obj.mode, "status": obj.status},
        )
    if isinstance(obj, Expert):
        titles = "；".join(a.title for a in obj.achievements.all())
        return Document(
            obj.pk,
            {
                "title": obj.fields,
                "keywords": obj.keywords,
                "body": f"{obj.bio}\n{titles}",
            },
            {**common, "field": obj.field_list},
        )
    raise TypeError(f"不能检索的对象：{obj!r}")


def query_text(obj) -> str:
    """The text a record asks with: title, keywords and body."""
    doc = document(obj)
    return "\n".join(text for text in doc.fields.values() if text)


def _documents(queryset: QuerySet) -> Iterator[Document]:
    if queryset.model is Expert:
        queryset = queryset.prefetch_related("achievements")
    for obj in queryset.order_by("pk").iterator(chunk_size=2000):
        yield document(obj)


# --- the stores --------------------------------------------------------------------------------

_stores: dict[tuple[str, str], IndexStore] = {}
_stores_lock = threading.Lock()
_tokenizer: Tokenizer | None = None


def tokenizer() -> Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        _tokenizer = Tokenizer.default()
    return _tokenizer


def root(kind: str) -> Path:
    kind_of(kind)
    return Path(settings.MATCHING_INDEX_DIR) / kind


def store(kind: str) -> IndexStore:
    path = root(kind)
    key = (kind, str(path))
    with _stores_lock:
        if key not in _stores:
            _stores[key] = IndexStore(path, tokenizer=tokenizer())
        return _stores[key]


@contextmanager
def _writing(kind: str):
    """The kind's file lock: one writer at a time across processes."""
    path = root(kind)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rebuild(kind: str, progress: Callable[[int, int], None] | None = None) -> str:
    """A fresh version of the kind's index from every record; returns the version name."""
    model = kind_of(kind).model
    started = timezone.now()
    queryset = model.objects.all()
    total = queryset.count()
    with _writing(kind):
        version = store(kind).rebuild(_documents(queryset), tokenizer(), progress, total=total)
    changed = list(model.objects.filter(updated_at__gte=started).values_list("pk", flat=True))
    if changed:  # written while the build read the table
        version = sync(kind, changed)
    return version


def sync(kind: str, ids: Iterable[int]) -> str | None:
    """Apply the current state of records ``ids`` (added, changed or deleted) to the index."""
    ids = sorted(set(ids))
    if not ids:
        return None
    queryset = kind_of(kind).model.objects.filter(pk__in=ids)
    present = list(_documents(queryset))
    gone = set(ids) - {doc.id for doc in present}
    with _writing(kind):
        target = store(kind)
        current = target.current()
        if current is None:  # never built: build it whole
            return target.rebuild(_documents(kind_of(kind).model.objects.all()), tokenizer())
        if current.needs_compaction:  # the delta has grown past a tenth of the base
            return target.rebuild(_documents(kind_of(kind).model.objects.all()), tokenizer())
        known = [doc for doc in present if doc.id in current]
        new = [doc for doc in present if doc.id not in current]
        return target.apply(add=new, update=known, remove=[i for i in gone if i in current])


def ensure(kind: str) -> None:
    """Build the kind's index when none exists yet (a fresh installation, a new test) or when
    it was built with another dictionary or stop list (after an upgrade)."""
    current = store(kind).current()
    if current is None or current.tokenizer_changed:
        rebuild(kind)


# --- keeping in step ---------------------------------------------------------------------------


def sync_on_commit(kind: str, ids: Iterable[int]) -> None:
    """Apply records ``ids`` to the kind's index once the current transaction commits (nothing
    to do while no index exists: it is built whole on first use)."""
    ids = list(ids)

    def apply():
        if store(kind).current_version() is not None:
            sync(kind, ids)

    transaction.on_commit(apply)


def _saved(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        sync_on_commit(KIND_OF_MODEL[sender], [instance.pk])


def _deleted(sender, instance, **kwargs) -> None:
    sync_on_commit(KIND_OF_MODEL[sender], [instance.pk])


def _expert_achievements_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Expert):
        sync_on_commit("experts", [instance.pk])


def connect_signals() -> None:
    for model in KIND_OF_MODEL:
        post_save.connect(_saved, sender=model, dispatch_uid=f"market-index-save-{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"market-index-delete-{model.__name__}"
        )
    m2m_changed.connect(
        _expert_achievements_changed,
        sender=Expert.achievements.through,
        dispatch_uid="market-index-expert-achievements",
    )


# --- queries -----------------------------------------------------------------------------------


@dataclass
class Match:
    """A record found for a query: the object, its score, the shared terms and highlights."""

    object: Model
    score: float
    matched_terms: list[str]

    def highlighted(self, text: str) -> str:
        return highlight(text, self.matched_terms)


def readable(kind: str, user) -> QuerySet:
    """``user=None`` (the command line): every record; an anonymous visitor: the public ones."""
    spec = kind_of(kind)
    if user is None:
        return spec.model.objects.all()
    if not user.is_authenticated:
        return spec.public()
    return spec.readable(user)


def search(
    kind: str,
    text: str,
    *,
    user,
    limit: int = 10,
    filters: dict | None = None,
    exclude: Iterable[int] = (),
) -> list[Match]:
    """The ``limit`` best records of ``kind`` for ``text`` that ``user`` may read (anonymous:
    published and public; ``None``: all), best first. ``filters`` are the index's attribute filters
    (``field``, ``type``, ``maturity``, ``region`` prefix, ``status``)."""
    ensure(kind)
    index = store(kind).current()
    excluded = set(exclude)
    wanted = limit + len(excluded)
    hits: list[Hit] = index.search(text, k=wanted * CANDIDATES, filters=filters)
    if not hits:
        return []
    shown = readable(kind, user).filter(pk__in=[hit.id for hit in hits])
    objects = {obj.pk: obj for obj in shown}
    found = []
    for hit in hits:
        obj = objects.get(hit.id)
        if obj is None or hit.id in excluded:
            continue
        found.append(Match(obj, round(float(hit.score), 4), list(hit.matched_terms)))
        if len(found) == limit:
            break
    return found


# What a match may propose: needs and achievements still on offer (experts have no status).
OPEN = {
    "achievements": {"status": {str(s) for s in ACHIEVEMENT_LISTED}},
    "needs": {"status": {str(s) for s in NEED_LISTED}},
    "experts": None,
}


def matches_for(obj, kind: str, *, user, limit: int = 10) -> list[Match]:
    """Records of ``kind`` answering a need (achievements, experts) or an achievement (needs)."""
    exclude = [obj.pk] if KIND_OF_MODEL.get(type(obj)) == kind else []
    return search(
        kind, query_text(obj), user=user, limit=limit, filters=OPEN[kind], exclude=exclude
    )


def status(kind: str) -> dict:
    """What the index page shows of a kind: version, documents indexed, records in the table."""
    spec = kind_of(kind)
    target = store(kind)
    index = target.current()
    return {
        "kind": kind,
        "label": spec.label,
        "version": target.current_version(),
        "indexed": len(index) if index is not None else 0,
        "pending": index.delta_size if index is not None else 0,
        "records": spec.model.objects.count(),
    }
