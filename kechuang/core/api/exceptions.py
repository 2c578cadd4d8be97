from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kechuang.core.exceptions import ApplicationError


def exception_handler(exc, context):
    """Service errors become responses with their stable code; the rest is DRF's."""
    if isinstance(exc, ApplicationError):
        body = exc.as_dict()
        if exc.status == status.HTTP_404_NOT_FOUND:
            body = {"code": "not_found", "detail": "未找到。"}
        return Response(body, status=exc.status)
    return drf_exception_handler(exc, context)
