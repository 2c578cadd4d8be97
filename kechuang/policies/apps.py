from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "kechuang.policies"
    label = "policies"
    verbose_name = "政策兑现"

    def ready(self) -> None:
        from . import indicators, workflows  # noqa: F401 - registers workflow and indicators
