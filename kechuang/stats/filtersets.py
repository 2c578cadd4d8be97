import django_filters

from .models import Benchmark


class BenchmarkFilterSet(django_filters.FilterSet):
    key = django_filters.CharFilter(lookup_expr="icontains", label="基准代码")

    class Meta:
        model = Benchmark
        fields = ["key", "year"]
