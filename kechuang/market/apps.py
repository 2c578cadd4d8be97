from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "kechuang.market"
    label = "market"
    verbose_name = "技术市场"

    def ready(self) -> None:
        from . import indicators, search, workflows  # noqa: F401 - registers workflows and indicators

        search.connect_signals()
