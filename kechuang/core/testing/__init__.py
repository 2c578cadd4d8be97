"""Shared test helpers: API clients, result keys and pinned list query counts.

The generated permission matrix lives in :mod:`kechuang.core.testing.matrix`, the factories in
:mod:`kechuang.core.testing.factories`.
"""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient


def client_for(user=None) -> APIClient:
    """An API client authenticated as ``user`` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def result_keys(response, key: str = "id") -> list:
    """The ``key`` of every row of a paginated list response."""
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def assert_list_queries(
    assert_max_queries,
    client: APIClient,
    url: str,
    add_rows: Callable[[int], object],
    *,
    max_queries: int,
    params: dict | None = None,
) -> None:
    """The list at ``url`` costs the same, small number of queries for 5 rows and for 50.

    ``assert_max_queries`` is pytest-django's ``django_assert_max_num_queries`` fixture;
    ``add_rows(n)`` creates ``n`` more rows that ``client`` sees at ``url``.
    """
    params = {"page_size": 100, **(params or {})}
    add_rows(5)
    client.get(url, params)  # warm per-process caches (division names, content types)
    counts = []
    for total, more in ((5, 0), (50, 45)):
        if more:
            add_rows(more)
        with assert_max_queries(max_queries) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, response.content
        assert response.json()["count"] == total
        assert len(response.json()["results"]) == total
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries for 5 rows, {counts[1]} for 50"
