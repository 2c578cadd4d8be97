"""Reads of the division tree. The whole tree (~3,200 rows) is cached in memory per process."""

from __future__ import annotations

from functools import lru_cache

from django.db.models.signals import post_delete, post_save

from kechuang.core.scoping import division_prefix

from .models import Division, DivisionLevel, Zone


@lru_cache(maxsize=1)
def _division_map() -> dict[str, tuple[str, str, str | None, bool]]:
    return {
        code: (name, level, parent_id, is_leaf)
        for code, name, level, parent_id, is_leaf in Division.objects.values_list(
            "code", "name", "level", "parent_id", "is_leaf"
        )
    }


def clear_division_cache(**_kwargs) -> None:
    _division_map.cache_clear()


post_save.connect(clear_division_cache, sender=Division)
post_delete.connect(clear_division_cache, sender=Division)


def division_name(code: str) -> str:
    entry = _division_map().get(code)
    return entry[0] if entry else code


def division_full_name(code: str) -> str:
    """安徽省淮南市凤台县"""
    names, seen = [], _division_map()
    while code and code in seen:
        name, _level, parent, _leaf = seen[code]
        names.append(name)
        code = parent
    return "".join(reversed(names))


def division_exists(code: str) -> bool:
    return code in _division_map()


def is_leaf_division(code: str) -> bool:
    """Records are placed at county level (or a city that has no counties)."""
    entry = _division_map().get(code)
    return bool(entry and entry[3])


def division_children(code: str | None) -> list[Division]:
    if not code:
        return list(Division.objects.filter(level=DivisionLevel.PROVINCE))
    return list(Division.objects.filter(parent_id=code))


def divisions_under(prefix_or_code: str) -> list[str]:
    prefix = division_prefix(prefix_or_code)
    return [code for code in _division_map() if code.startswith(prefix)]


def zones_visible_to(user):
    return Zone.objects.all().order_by("division_code", "name")
