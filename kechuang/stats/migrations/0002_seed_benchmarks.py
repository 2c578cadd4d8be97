"""The national R&D intensity of 2023 (2.65 %), the first reference value of the bulletins."""

from decimal import Decimal

from django.db import migrations

SEED = [
    {
        "key": "national.rd_intensity",
        "label": "全国研发投入强度",
        "value": Decimal("0.0265"),
        "unit": "%",
        "year": 2023,
        "source": "国家统计局 2023 年全国科技经费投入统计公报",
    },
]


def seed(apps, schema_editor):
    Benchmark = apps.get_model("stats", "Benchmark")
    for row in SEED:
        Benchmark.objects.get_or_create(key=row["key"], year=row["year"], defaults=row)


def unseed(apps, schema_editor):
    Benchmark = apps.get_model("stats", "Benchmark")
    for row in SEED:
        Benchmark.objects.filter(key=row["key"], year=row["year"]).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
