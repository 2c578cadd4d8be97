from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "kechuang.stats"
    label = "stats"
    verbose_name = "统计"

    def ready(self) -> None:
        from . import data, indicators_registry  # noqa: F401  (signals; the registry's indicators)

        data.connect_signals()
