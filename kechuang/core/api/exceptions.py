from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kechuang.core.exceptions import ApplicationError


def _first_error(errors, field=None):
    """(field, message) of the first error in DRF's nested error structure."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            return _first_error(value, field if key == "non_field_errors" else key)
    if isinstance(errors, list) and errors:
        return _first_error(errors[0], field)
    return field, str(errors)


def exception_handler(exc, context):
    """Every error answers ``{"code", "detail"[, "field"]}``.

    Service errors carry their own stable code; serializer errors answer ``invalid`` with the
    first field and message, and the full field → messages mapping under ``errors``.
    """
    if isinstance(exc, ApplicationError):
        body = exc.as_dict()
        if exc.status == status.HTTP_404_NOT_FOUND:
            body = {"code": "not_found", "detail": "未找到。"}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = NotFound()  # the same body whether the row is missing or out of scope
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        field, message = _first_error(errors)
        response.data = {"code": "invalid", "detail": message, "errors": errors}
        if field:
            response.data["field"] = field
    elif isinstance(exc, APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = {"code": code, "detail": str(exc.detail)}
    return response
