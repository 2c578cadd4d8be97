from rest_framework import serializers

from kechuang.vouchers.models import (
    ServiceItem,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)
from kechuang.vouchers.services import SCHEME_FIELDS


class VoucherSchemeSerializer(serializers.ModelSerializer):
    division_code = serializers.CharField(max_length=6, required=False)

    class Meta:
        model = VoucherScheme
        fields = ["id", *SCHEME_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class ServiceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "name", "category", "price", "active"]
        read_only_fields = ["active"]


class ServiceProviderSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    division_code = serializers.CharField(source="organization.division_code", read_only=True)
    items = ServiceItemSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceProvider
        fields = [
            "id",
            "organization",
            "organization_name",
            "division_code",
            "status",
            "contact",
            "phone",
            "items",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]
        validators = []


class VoucherClaimSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=VoucherClaim._meta.get_field("enterprise").related_model.objects.all(),
        required=False,
    )

    class Meta:
        model = VoucherClaim
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "enterprise",
            "enterprise_name",
            "division_code",
            "amount",
            "remaining",
            "expires_on",
            "status",
            "approved_at",
            "created_at",
        ]
        read_only_fields = [
            "division_code",
            "remaining",
            "expires_on",
            "status",
            "approved_at",
            "created_at",
        ]


class VoucherUseSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.organization.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = VoucherUse
        fields = [
            "id",
            "claim",
            "enterprise",
            "enterprise_name",
            "provider",
            "provider_name",
            "item",
            "contract_number",
            "signed_on",
            "contract_amount",
            "amount",
            "status",
            "created_at",
        ]
        read_only_fields = ["enterprise", "status", "created_at"]
        validators = []


class VoucherSettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoucherSettlement
        fields = [
            "id",
            "use",
            "enterprise",
            "payee",
            "amount",
            "contract_file",
            "invoice_file",
            "payment_file",
            "report_file",
            "status",
            "paid_on",
            "created_at",
        ]
        read_only_fields = ["enterprise", "payee", "amount", "status", "paid_on", "created_at"]
        validators = []
