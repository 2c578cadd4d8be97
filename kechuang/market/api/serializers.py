from rest_framework import serializers

from kechuang.core.identifiers import mask_phone
from kechuang.market.models import (
    Achievement,
    Docking,
    Expert,
    MatchEvent,
    TechContract,
    TechNeed,
)
from kechuang.market.selectors import sees_full_contact
from kechuang.market.services import ACHIEVEMENT_FIELDS, NEED_FIELDS
from kechuang.orgs.models import Organization

ORGANIZATIONS = Organization.objects.all()


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    revoked_on = serializers.DateField(required=False, allow_null=True, default=None)


class KeywordsField(serializers.CharField):
    """Keywords in and out as text separated by ``；`` (``;`` accepted); a list is accepted too."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            data = "；".join(str(item) for item in data)
        return super().to_internal_value(data)


class TechNeedSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS, required=False)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    keywords = KeywordsField(required=False, allow_blank=True, max_length=1000)
    keyword_list = serializers.ListField(read_only=True, child=serializers.CharField())
    publish = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = TechNeed
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            *NEED_FIELDS,
            "keyword_list",
            "status",
            "published_on",
            "division_code",
            "zone",
            "publish",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_on", "division_code", "zone"]
        validators = []


class AchievementSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS, required=False)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    keywords = KeywordsField(required=False, allow_blank=True, max_length=1000)
    keyword_list = serializers.ListField(read_only=True, child=serializers.CharField())
    publish = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Achievement
        fields = [
            "id",
            "owner",
            "owner_name",
            *ACHIEVEMENT_FIELDS,
            "keyword_list",
            "status",
            "published_on",
            "division_code",
            "zone",
            "publish",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_on", "division_code", "zone"]
        validators = []


class ExpertSerializer(serializers.ModelSerializer):
    """The phone number is masked in lists, and in details for readers beyond the expert's
    own scope (staff in scope, the employer, the expert)."""

    employer = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS, required=False)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    keywords = KeywordsField(required=False, allow_blank=True, max_length=1000)
    fields = KeywordsField(required=False, allow_blank=True, max_length=1000)
    achievements = serializers.PrimaryKeyRelatedField(
        queryset=Achievement.objects.all(), many=True, required=False
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "employer",
            "employer_name",
            "title",
            "fields",
            "keywords",
            "bio",
            "phone",
            "visibility",
            "achievements",
            "division_code",
            "created_at",
        ]
        read_only_fields = ["division_code", "created_at"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        view = self.context.get("view")
        request = self.context.get("request")
        detail = view is not None and getattr(view, "action", None) != "list"
        if not (detail and request is not None and sees_full_contact(request.user, instance)):
            data["phone"] = mask_phone(instance.phone)
        return data


class DockingSerializer(serializers.ModelSerializer):
    need_title = serializers.CharField(source="need.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    counterpart_kind = serializers.CharField(read_only=True)
    counterpart_name = serializers.SerializerMethodField()
    counterpart_org_name = serializers.CharField(source="counterpart_org.name", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=ORGANIZATIONS, required=False, allow_null=True
    )

    class Meta:
        model = Docking
        fields = [
            "id",
            "need",
            "need_title",
            "enterprise",
            "enterprise_name",
            "achievement",
            "expert",
            "organization",
            "counterpart_kind",
            "counterpart_name",
            "counterpart_org",
            "counterpart_org_name",
            "source",
            "event",
            "stage",
            "outcome",
            "outcome_reason",
            "owner",
            "notes",
            "recommended_on",
            "contacted_on",
            "negotiating_on",
            "signed_on",
            "failed_on",
            "division_code",
            "created_at",
        ]
        read_only_fields = [
            "enterprise",
            "counterpart_org",
            "source",
            "stage",
            "outcome",
            "outcome_reason",
            "recommended_on",
            "contacted_on",
            "negotiating_on",
            "signed_on",
            "failed_on",
            "division_code",
            "created_at",
        ]
        validators = []

    def get_counterpart_name(self, obj) -> str:
        return str(obj.counterpart)


class DockingUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Docking
        fields = ["notes", "owner"]


class MatchEventSerializer(serializers.ModelSerializer):
    division_code = serializers.CharField(max_length=6, required=False)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=ORGANIZATIONS, many=True, required=False
    )
    docking_count = serializers.SerializerMethodField()

    class Meta:
        model = MatchEvent
        fields = [
            "id",
            "name",
            "kind",
            "date",
            "place",
            "division_code",
            "zone",
            "participants",
            "outcomes",
            "docking_count",
            "created_at",
        ]
        read_only_fields = ["zone", "created_at"]
        validators = []

    def get_docking_count(self, obj) -> int:
        return len(obj.dockings.all())


class TechContractSerializer(serializers.ModelSerializer):
    seller = serializers.PrimaryKeyRelatedField(queryset=ORGANIZATIONS)
    seller_name = serializers.CharField(source="seller.name", read_only=True)
    buyer = serializers.PrimaryKeyRelatedField(
        queryset=ORGANIZATIONS, required=False, allow_null=True
    )
    buyer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    registered_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = TechContract
        fields = [
            "id",
            "registration_number",
            "type",
            "title",
            "seller",
            "seller_name",
            "buyer",
            "buyer_name",
            "contract_amount",
            "tech_amount",
            "signed_on",
            "registered_on",
            "division_code",
            "docking",
            "revoked",
            "revoked_on",
            "revoked_reason",
            "created_at",
        ]
        read_only_fields = [
            "division_code",
            "revoked",
            "revoked_on",
            "revoked_reason",
            "created_at",
        ]
        validators = []
