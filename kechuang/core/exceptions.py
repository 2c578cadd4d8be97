"""Errors raised by services. Each carries a stable code; the API maps them to responses."""

from __future__ import annotations


class ApplicationError(Exception):
    """Base of every error a service raises on purpose."""

    code = "application_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def as_dict(self) -> dict:
        data = {"code": self.code, "detail": self.message}
        if self.field:
            data["field"] = self.field
        return data


class ValidationFailed(ApplicationError):
    code = "invalid"


class NotInScope(ApplicationError):
    """The object or target lies outside the actor's scope: answered as 404."""

    code = "not_found"
    status = 404


class RoleNotAllowed(ApplicationError):
    code = "permission_denied"
    status = 403


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
