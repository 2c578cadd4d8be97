"""Forms of the statistics pages."""

from __future__ import annotations

from kechuang.core.views import ServiceModelForm

from .models import Benchmark


class BenchmarkForm(ServiceModelForm):
    class Meta:
        model = Benchmark
        fields = ["key", "label", "value", "unit", "year", "source"]
        help_texts = {"value": "百分比按比值填写：2.65% 填 0.0265，单位填 %"}
