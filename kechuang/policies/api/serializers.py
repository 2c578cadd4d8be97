from rest_framework import serializers

from kechuang.engines.rules import POLICIES
from kechuang.policies.models import (
    InnovationAssessment,
    ParameterValue,
    PolicyBudget,
    Redemption,
)
from kechuang.policies.workflows import REDEMPTION_WORKFLOW


class ParameterValueSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared below.
    value = serializers.JSONField(allow_null=True)


ParameterValueSerializer._declared_fields["from"] = serializers.DateField()


class LocalValueSerializer(serializers.Serializer):
    parameter = serializers.CharField()
    division_code = serializers.CharField()
    division_name = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    reason = serializers.CharField(help_text="设定依据")
    set_by = serializers.CharField(allow_blank=True, help_text="设定人")
    set_at = serializers.DateTimeField(help_text="设定时间")
    own = serializers.BooleanField(help_text="本级设定（否则为上级设定）")


LocalValueSerializer._declared_fields["from"] = serializers.DateField(help_text="生效日期")


class ParameterChangeSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField(help_text="设定 / 修改 / 撤销")
    parameter = serializers.CharField()
    division_code = serializers.CharField()
    division_name = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    reason = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    own = serializers.BooleanField()


ParameterChangeSerializer._declared_fields["from"] = serializers.DateField()


class ParameterSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    history = ParameterValueSerializer(many=True, help_text="政策文件规定的取值（按生效日期）")
    effective = ParameterValueSerializer(
        many=True, help_text="本辖区实际适用的取值：规定取值叠加上级和本级设定"
    )
    local_values = LocalValueSerializer(many=True, help_text="上级和本级科技局设定的取值")


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
    division_code = serializers.CharField(
        allow_blank=True, help_text="适用其参数取值的行政区划（科技局、园区工作人员）"
    )
    changes = ParameterChangeSerializer(many=True, help_text="本级和上级参数取值的变更记录")


class ParameterValueSetSerializer(serializers.Serializer):
    parameter = serializers.CharField(max_length=60)
    effective_from = serializers.DateField(help_text="生效日期")
    value = serializers.JSONField(allow_null=True, help_text="与政策文件规定取值的形式相同")
    reason = serializers.CharField(max_length=500, help_text="设定依据（如本地文件文号）")
    division_code = serializers.RegexField(
        r"^(\d{2}|\d{4}|\d{6})$", required=False, help_text="仅管理员使用；科技局为本级"
    )


class ParameterValueDeleteSerializer(serializers.Serializer):
    parameter = serializers.CharField(max_length=60)
    effective_from = serializers.DateField()
    reason = serializers.CharField(max_length=500, help_text="撤销理由")
    division_code = serializers.RegexField(r"^(\d{2}|\d{4}|\d{6})$", required=False)


class StoredParameterValueSerializer(serializers.ModelSerializer):
    set_by = serializers.CharField(source="created_by", read_only=True, allow_null=True)

    class Meta:
        model = ParameterValue
        fields = [
            "id",
            "policy",
            "parameter",
            "division_code",
            "effective_from",
            "value",
            "reason",
            "set_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


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


# --- experts' innovation scores and budgets -----------------------------------------------------


class InnovationAssessmentSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    uscc = serializers.CharField(source="organization.uscc", read_only=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=80)
    entered_by = serializers.CharField(source="created_by", read_only=True, allow_null=True)

    class Meta:
        model = InnovationAssessment
        fields = [
            "id",
            "organization",
            "organization_name",
            "uscc",
            "year",
            "division_code",
            "zone",
            "score",
            "assessed_on",
            "note",
            "entered_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["division_code", "zone", "created_at", "updated_at"]
        # The service upserts per enterprise and year: no unique-together check here.
        validators = []


class InnovationAssessmentUpdateSerializer(InnovationAssessmentSerializer):
    class Meta(InnovationAssessmentSerializer.Meta):
        read_only_fields = [
            "organization",
            "year",
            "division_code",
            "zone",
            "created_at",
            "updated_at",
        ]


class PolicyBudgetSerializer(serializers.ModelSerializer):
    policy = serializers.ChoiceField(choices=REDEEMABLE)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    division_code = serializers.RegexField(r"^\d{6}$")
    used = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="已批准和已拨付的兑现金额（本区划及下级）",
    )
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = PolicyBudget
        fields = [
            "id",
            "policy",
            "year",
            "division_code",
            "amount",
            "used",
            "remaining",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class PolicyBudgetUpdateSerializer(PolicyBudgetSerializer):
    class Meta(PolicyBudgetSerializer.Meta):
        read_only_fields = ["policy", "year", "division_code", "created_at", "updated_at"]
