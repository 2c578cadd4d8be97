from rest_framework import serializers

from kechuang.platforms.models import Platform
from kechuang.regions.selectors import division_name


class PlatformSerializer(serializers.ModelSerializer):
    host_name = serializers.CharField(source="host.name", read_only=True)
    division_name = serializers.SerializerMethodField()
    division_code = serializers.CharField(max_length=6, required=False)

    class Meta:
        model = Platform
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "host",
            "host_name",
            "division_code",
            "division_name",
            "zone",
            "recognised_on",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def get_division_name(self, obj) -> str:
        return division_name(obj.division_code)
