"""Bulletins in the generated permission matrix: staff only, within their division or zone.

(Bulletins have no API endpoint; the matrix covers their list and preview pages.)
"""

import pytest

from kechuang.bulletins.models import Bulletin
from kechuang.core.scoping import STAFF_ROLES
from kechuang.core.testing.matrix import MatrixSpec, cases


def make_bulletin(place) -> Bulletin:
    return Bulletin.objects.create(
        title="科技创新主要指标情况",
        issuer="科学技术局",
        division_code=place.division_code,
        zone=place.zone,
        period="2023",
        template="registry",
        series=f"zone-{place.zone.pk}",
        body={"sections": []},
        snapshot={"figures": {}, "children": []},
        computed_at="2024-01-15T08:00:00+08:00",
    )


MATRIX = [
    MatrixSpec(
        name="bulletin",
        make=make_bulletin,
        readers=STAFF_ROLES,
        ui_list="bulletins:bulletin-list",
        ui_detail="bulletins:bulletin-detail",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)
