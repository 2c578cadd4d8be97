from rest_framework import serializers

from kechuang.engines.rules import POLICIES
from kechuang.policies.models import Redemption
from kechuang.policies.workflows import REDEMPTION_WORKFLOW


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


# --- 政策兑现 (redemptions) --------------------------------------------------------------------

REDEEMABLE = sorted(key for key, policy in POLICIES.items() if policy.amount is not None)


class RedemptionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    uscc = serializers.CharField(source="organization.uscc", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    class Meta:
        model = Redemption
        fields = [
            "id",
            "policy",
            "year",
            "organization",
            "organization_name",
            "uscc",
            "division_code",
            "zone",
            "computed_amount",
            "amount",
            "override_reason",
            "source",
            "status",
            "conditions",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "policy",
            "year",
            "organization",
            "division_code",
            "zone",
            "computed_amount",
            "source",
            "status",
            "conditions",
            "reason",
            "created_at",
            "updated_at",
        ]


class RedemptionAmountSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ConfirmScreeningSerializer(serializers.Serializer):
    policy = serializers.ChoiceField(choices=REDEEMABLE, help_text="有兑现金额的政策")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="会计年度")
    division = serializers.RegexField(
        r"^(\d{2}|\d{4}|\d{6})$", required=False, help_text="行政区划代码（限本辖区）"
    )
    uscc_list = serializers.ListField(
        child=serializers.CharField(max_length=18),
        required=False,
        allow_null=True,
        default=None,
        help_text="只确认这些企业（默认：名单上全部符合条件的企业）",
    )


class ApplySerializer(serializers.Serializer):
    policy = serializers.ChoiceField(choices=REDEEMABLE)
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="会计年度")


class RedemptionTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=REDEMPTION_WORKFLOW.actions)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ExportQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["approved", "paid"], required=False, help_text="默认：已批准和已拨付"
    )
    policy = serializers.ChoiceField(choices=REDEEMABLE, required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    division = serializers.RegexField(r"^(\d{2}|\d{4}|\d{6})$", required=False)
