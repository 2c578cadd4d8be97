from kechuang.core.scoping import visible_to

from .models import Platform


def platform_list(user):
    return visible_to(Platform.objects.select_related("host", "zone"), user)
