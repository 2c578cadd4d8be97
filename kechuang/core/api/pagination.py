from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Lists answer ``count``, ``next``, ``previous`` and ``results``; ``page_size`` is accepted."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
