from rest_framework import serializers


class ParameterValueSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared below.
    value = serializers.JSONField(allow_null=True)


ParameterValueSerializer._declared_fields["from"] = serializers.DateField()


class ParameterSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    history = ParameterValueSerializer(many=True)


class ConditionInfoSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class PolicySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    source = serializers.CharField(help_text="政策依据（文号）")
    entity = serializers.ChoiceField(choices=["enterprise", "zone"])
    summary = serializers.CharField(allow_blank=True)
    conditions = ConditionInfoSerializer(many=True)
    has_score = serializers.BooleanField()
    has_amount = serializers.BooleanField()
    parameters = ParameterSerializer(many=True, help_text="参数及其生效日期历史")


class ConditionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    threshold = serializers.FloatField(allow_null=True)
    op = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    passed = serializers.BooleanField()
    pending = serializers.BooleanField()
    gap = serializers.FloatField(allow_null=True)
    text = serializers.CharField(allow_blank=True, help_text="未满足时的中文说明")


class ScreenRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="机构编号")
    uscc = serializers.CharField()
    name = serializers.CharField()
    eligible = serializers.BooleanField()
    pending = serializers.BooleanField(help_text="可判定的条件均满足，尚待专家评审")
    score = serializers.FloatField(allow_null=True)
    amount = serializers.IntegerField(allow_null=True, help_text="金额（元）")
    failed = serializers.IntegerField(help_text="未满足的条件数")
    conditions = ConditionSerializer(many=True)
    gaps = serializers.ListField(child=serializers.CharField())


class ScreenPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ScreenRowSerializer(many=True)


class ScreenQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="最近会计年度")
    division = serializers.RegexField(
        r"^(\d{2}|\d{4}|\d{6})$", required=False, help_text="行政区划代码（限本辖区）"
    )
    eligible = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReserveQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="最近会计年度")
    division = serializers.RegexField(r"^(\d{2}|\d{4}|\d{6})$", required=False)
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)
