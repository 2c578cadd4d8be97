from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kechuang.orgs"
    label = "orgs"
    verbose_name = "机构与企业"

    def ready(self) -> None:
        from . import indicators  # noqa: F401 - registers the statistics of the registry
