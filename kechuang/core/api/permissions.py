from rest_framework.permissions import SAFE_METHODS, BasePermission

from kechuang.core.scoping import Roles


class RolePermission(BasePermission):
    """Reads need a role in ``view.read_roles``, writes one in ``view.write_roles``.

    Object scope is not checked here: querysets are already scoped, so an out-of-scope object is
    simply not found (404).
    """

    message = "您的角色无权访问此功能。"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser or user.role == Roles.ADMIN:
            return True
        roles = view.read_roles if request.method in SAFE_METHODS else view.write_roles
        return user.role in roles
