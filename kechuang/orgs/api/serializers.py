from rest_framework import serializers

from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.regions.selectors import division_name


class OrganizationSerializer(serializers.ModelSerializer):
    division_name = serializers.SerializerMethodField()
    zone_name = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "uscc",
            "name",
            "kind",
            "division_code",
            "division_name",
            "zone",
            "zone_name",
            "ownership",
            "industry_code",
            "hightech_field",
            "founded_on",
            "above_scale",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness and the check character are checked by the service, with a clear code.
        extra_kwargs = {"uscc": {"validators": []}}

    def get_division_name(self, obj) -> str:
        return division_name(obj.division_code)

    def get_zone_name(self, obj) -> str | None:
        return obj.zone.name if obj.zone_id else None


class EnterpriseYearSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="organization.uscc", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = EnterpriseYear
        fields = [
            "id",
            "organization",
            "uscc",
            "organization_name",
            "year",
            *EnterpriseYear.FACT_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the service upserts by (organization, year)


class QualificationSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="organization.uscc", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Qualification
        fields = [
            "id",
            "organization",
            "uscc",
            "organization_name",
            "kind",
            "number",
            "level",
            "granted_on",
            "valid_until",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the service upserts by (organization, kind, number)
