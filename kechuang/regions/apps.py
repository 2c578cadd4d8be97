from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "kechuang.regions"
    label = "regions"
    verbose_name = "行政区划与园区"
