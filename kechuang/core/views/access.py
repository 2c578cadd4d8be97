"""Who may open a page: signed in (else the login page), with a role of the view (else 403)."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from kechuang.core.scoping import ALL_ROLES, Roles


def has_role(user, roles) -> bool:
    """Admins pass every role check, as in the API's RolePermission."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.role == Roles.ADMIN or user.role in roles)
    )


class RoleRequiredMixin(AccessMixin):
    """Login required; then the user's role must be in ``read_roles`` (forms: ``write_roles``)."""

    read_roles = ALL_ROLES

    def allowed_roles(self):
        return self.read_roles

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles()):
            raise PermissionDenied("您的角色无权访问此页面。")
        self.access_granted()
        return super().dispatch(request, *args, **kwargs)

    def access_granted(self) -> None:
        """Runs after the checks, before the handler (e.g. to load the scoped object → 404)."""
