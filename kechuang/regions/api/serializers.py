from rest_framework import serializers

from kechuang.regions.models import Division, Zone
from kechuang.regions.selectors import division_name


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent", "is_leaf"]


class ZoneSerializer(serializers.ModelSerializer):
    division_name = serializers.SerializerMethodField()

    class Meta:
        model = Zone
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "division_code",
            "division_name",
            "approved_on",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": []}}

    def get_division_name(self, obj) -> str:
        return division_name(obj.division_code)
