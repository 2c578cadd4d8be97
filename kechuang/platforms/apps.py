from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "kechuang.platforms"
    label = "platforms"
    verbose_name = "创新平台"

    def ready(self) -> None:
        from . import indicators  # noqa: F401 - registers the statistics of the registry
