from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "kechuang.vouchers"
    label = "vouchers"
    verbose_name = "科技创新券"

    def ready(self) -> None:
        from . import indicators, workflows  # noqa: F401 - registers workflows and indicators
