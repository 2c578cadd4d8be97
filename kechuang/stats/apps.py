from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "kechuang.stats"
    label = "stats"
    verbose_name = "统计"

    def ready(self) -> None:
        from . import data

        data.connect_signals()
