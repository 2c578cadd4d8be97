from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "kechuang.market"
    label = "market"
    verbose_name = "技术市场"
