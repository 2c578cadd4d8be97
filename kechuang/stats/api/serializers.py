from rest_framework import serializers


class StatsQuerySerializer(serializers.Serializer):
    """The query of ``GET /api/v1/stats/``."""

    division = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=6,
        help_text="6 位行政区划代码（整个下级范围）；默认为用户的管辖区划",
    )
    zone = serializers.IntegerField(required=False, min_value=1, help_text="园区编号")
    period = serializers.CharField(
        required=False,
        max_length=10,
        help_text="期间：2023、2023H1、2023Q3、2023M07、2023YTD07；默认为最近有年度数据的年份",
    )
    indicator = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="指标代码，逗号分隔（可重复传参）；默认为适用于该期间的全部指标",
    )
    children = serializers.BooleanField(
        required=False, default=False, help_text="为真时返回各下级行政区划的值"
    )


class StatValueSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    division = serializers.CharField(help_text="6 位代码；园区的值为空字符串")
    division_name = serializers.CharField()
    zone = serializers.IntegerField(allow_null=True)
    zone_name = serializers.CharField()
    period = serializers.CharField()
    period_label = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        allow_null=True,
        help_text="比例为比值（0.5603 = 56.03%），百分点差为点数，排名为整数，金额为元",
    )
    note = serializers.CharField(help_text="值为空时的原因")
    records = serializers.URLField(help_text="列出该数值所依据记录的页面")
    definition = serializers.DictField(help_text="指标定义：度量、事实表、筛选条件、版本")


class IndicatorInfoSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    description = serializers.CharField()
    version = serializers.IntegerField()
    yearly_only = serializers.BooleanField()
    measure = serializers.CharField()
