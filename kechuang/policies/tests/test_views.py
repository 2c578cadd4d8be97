"""The policy pages end to end: the library and a bureau's own values, screening with export and
confirmation, the reserve, 我的政策 with its application, redemptions with their workflow and
amount, budgets and the experts' scores."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    PlatformFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.core.workflow import history
from kechuang.policies.models import (
    InnovationAssessment,
    ParameterValue,
    PolicyBudget,
    Redemption,
)

from .conftest import FENGTAI
from .test_redemptions import POLICY, YEAR, raise_rd

pytestmark = pytest.mark.django_db
CITY = "340400"


@pytest.fixture
def city(client, db):
    user = user_with_role(Roles.BUREAU, division_code=CITY)
    client.force_login(user)
    return user


def _detail(key=POLICY):
    return reverse("policies:policy-detail", args=[key])


def test_library_lists_policies_with_sources(client, city):
    page = client.get(reverse("policies:policy-list"))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("高新技术企业认定", "科技型中小企业评价", "企业研发费用后补助", "高新区认定条件"):
        assert label in html
    assert "国科发火〔2016〕32号" in html
    assert client.get(_detail("nope")).status_code == 404


def test_bureau_sets_its_value_on_the_detail_page(client, city):
    page = client.get(_detail())
    assert page.status_code == 200 and "设定本级取值" in page.content.decode()
    assert "2023-01-01" in page.content.decode() and "15%" in page.content.decode()
    form = {
        "parameter": "rate",
        "effective_from": "2024-01-01",
        "value": "0.2",
        "reason": "淮科〔2024〕3号",
    }
    saved = client.post(reverse("policies:parameter-set", args=[POLICY]), form)
    assert saved.status_code == 302
    value = ParameterValue.objects.get()
    assert (value.value, value.division_code, value.created_by) == (0.2, CITY, city)
    html = client.get(_detail()).content.decode()
    assert "本级设定" in html and "淮科〔2024〕3号" in html and "20%" in html
    assert "取值变更记录" in html
    bad = client.post(reverse("policies:parameter-set", args=[POLICY]), {**form, "value": "1.5"})
    assert bad.status_code == 400 and "应在 0–1 之间" in bad.content.decode()
    bands = client.post(
        reverse("policies:parameter-set", args=["hnte"]),
        {
            **form,
            "parameter": "rd_intensity",
            "value": "[[60000000, 0.05], [200000000, 0.04], [null, 0.03]]",
        },
    )
    assert bands.status_code == 302
    assert ParameterValue.objects.get(policy="hnte").value[0] == [60000000, 0.05]
    withdraw = client.post(
        reverse("policies:parameter-delete", args=[POLICY]),
        {"parameter": "rate", "effective_from": "2024-01-01", "reason": "废止"},
    )
    assert withdraw.status_code == 302
    assert not ParameterValue.objects.filter(policy=POLICY).exists()


def test_an_administrator_names_the_division(client, db):
    client.force_login(user_with_role(Roles.ADMIN))
    url = reverse("policies:parameter-set", args=[POLICY])
    form = {"parameter": "rate", "effective_from": "2024-01-01", "value": "0.2", "reason": "省文件"}
    missing = client.post(url, form)
    assert missing.status_code == 400 and "division_code" in missing.context["form"].errors
    assert client.post(url, {**form, "division_code": "34"}).status_code == 302
    assert ParameterValue.objects.get().division_code == "340000"


def test_others_cannot_set_values(client, db):
    county_zone = user_with_role(Roles.ZONE)
    client.force_login(county_zone)
    page = client.get(_detail())
    assert page.status_code == 200 and "设定本级取值" not in page.content.decode()
    post = client.post(
        reverse("policies:parameter-set", args=[POLICY]),
        {"parameter": "rate", "effective_from": "2024-01-01", "value": "0.2", "reason": "x"},
    )
    assert post.status_code == 403
    client.force_login(user_with_role(Roles.EXPERT))
    assert client.get(_detail()).status_code == 403


def _screen(client, **params):
    return client.get(reverse("policies:screen-list"), {"year": YEAR, **params})


def test_screening_page_rows_conditions_and_exports(client, city, enterprises):
    page = _screen(client, policy="tech_sme")
    assert page.status_code == 200
    rows = list(page.context["page_obj"])
    assert [r.name for r in rows][0] == "强科技有限公司" and rows[0].eligible
    assert {r.name for r in rows} == {"强科技有限公司", "弱研发有限公司"}
    html = page.content.decode()
    assert "条件核查" in html and "满足" in html
    assert "确认名单" not in html  # tech_sme has no amount
    workbook = openpyxl.load_workbook(
        io.BytesIO(_screen(client, policy="tech_sme", export="xlsx").content)
    )
    sheet = list(workbook.active.values)
    assert sheet[0][:3] == ("统一社会信用代码", "企业名称", "是否符合")
    assert len(sheet) == 3 and sheet[1][1] == "强科技有限公司"
    text = _screen(client, policy="hnte", export="csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][1] == "企业名称" and len(lines) == 3
    out = _screen(client, policy="hnte", division="340102")  # not among the city's divisions
    assert out.context["page_obj"] is None and "division" in out.context["form"].errors
    admin = user_with_role(Roles.ADMIN)
    client.force_login(admin)
    assert (
        _screen(client, policy="hnte", division="340102").context["page_obj"].paginator.count == 1
    )
    bad = _screen(client, policy="hnte", year="1990")
    assert bad.status_code == 200 and bad.context["page_obj"] is None


def test_confirm_list_creates_redemptions(client, city, enterprises):
    raise_rd(enterprises["strong"])
    page = _screen(client, policy=POLICY)
    assert "确认名单" in page.content.decode()
    confirmed = client.post(
        reverse("policies:screen-confirm"), {"policy": POLICY, "year": YEAR, "division": ""}
    )
    assert confirmed.status_code == 302
    [redemption] = Redemption.objects.all()
    assert redemption.organization == enterprises["strong"] and redemption.status == "proposed"
    listing = client.get(confirmed["Location"])
    assert "新生成 1 条" in listing.content.decode()
    again = client.post(reverse("policies:screen-confirm"), {"policy": POLICY, "year": YEAR})
    assert "新生成 0 条" in client.get(again["Location"]).content.decode()
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"]))
    assert (
        client.post(reverse("policies:screen-confirm"), {"policy": POLICY, "year": YEAR})
    ).status_code == 403


def test_zone_policy_screening_uses_zones(client, city):
    zone = ZoneFactory(division_code=FENGTAI, name="凤台经开区")
    for _ in range(3):
        PlatformFactory(zone=zone, division_code=FENGTAI, level="provincial")
    page = _screen(client, policy="zone_recognition")
    assert page.status_code == 200
    [row] = list(page.context["page_obj"])
    assert row.name == "凤台经开区" and not row.eligible
    assert "省级及以上平台数 3 个，需 ≥20 个" in " ".join(row.gaps)


def test_reserve_page_orders_by_closeness(client, city, enterprises):
    page = client.get(reverse("policies:reserve-list"))  # hnte for last year by default
    assert page.status_code == 200
    page = client.get(reverse("policies:reserve-list"), {"policy": "hnte", "year": YEAR})
    rows = list(page.context["page_obj"])
    assert rows[0].name == "强科技有限公司" and rows[0].pending  # only the experts' score
    assert "研发费用占比 2.9%，需 ≥4%" in page.content.decode()


def test_my_policies_and_apply(client, enterprises):
    strong = enterprises["strong"]
    raise_rd(strong)
    user = user_with_role(Roles.ENTERPRISE, organization=strong)
    client.force_login(user)
    page = client.get(reverse("policies:mine"), {"year": YEAR})
    assert page.status_code == 200
    qualified = {item["policy"].key for item in page.context["qualified"]}
    assert qualified == {"tech_sme", POLICY}
    others = {item["policy"].key: item for item in page.context["others"]}
    assert others["hnte"]["row"]["pending"] and "申请兑现" in page.content.decode()
    applied = client.post(reverse("policies:redemption-apply"), {"policy": POLICY, "year": YEAR})
    assert applied.status_code == 302
    redemption = Redemption.objects.get()
    assert (redemption.source, redemption.amount) == ("applied", Decimal("150000"))
    detail = client.get(applied["Location"])
    assert detail.status_code == 200 and "已申请" in detail.content.decode()
    again = client.get(reverse("policies:mine"), {"year": YEAR}).content.decode()
    assert "兑现：已申请" in again
    weak = user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"])
    client.force_login(weak)
    refused = client.post(reverse("policies:redemption-apply"), {"policy": POLICY, "year": YEAR})
    assert refused.status_code == 302
    assert "不符合" in client.get(refused["Location"]).content.decode()
    client.force_login(user_with_role(Roles.BUREAU))
    assert client.get(reverse("policies:mine")).status_code == 403


def _proposed(enterprises, bureau):
    from kechuang.policies import services

    raise_rd(enterprises["strong"])
    [redemption] = services.redemptions_confirm_screening(
        actor=bureau, policy_key=POLICY, year=YEAR
    )
    return redemption


def test_redemption_detail_workflow_and_amount(client, city, enterprises):
    redemption = _proposed(enterprises, city)
    url = reverse("policies:redemption-detail", args=[redemption.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "核实" in html and "调整兑现金额" in html
    assert "研发费用同比增加额" in html
    amount = reverse("policies:redemption-amount", args=[redemption.pk])
    refused = client.post(amount, {"amount": "120000", "override_reason": ""})
    assert refused.status_code == 400 and "须说明调整理由" in refused.content.decode()
    assert client.post(amount, {"amount": "120000", "override_reason": "核减"}).status_code == 302
    redemption.refresh_from_db()
    assert redemption.amount == Decimal("120000") and redemption.override_reason == "核减"
    step = reverse("policies:redemption-transition", args=[redemption.pk])
    client.post(step, {"action": "verify"})
    redemption.refresh_from_db()
    assert redemption.status == "verified"
    over = client.post(step, {"action": "approve"})
    assert "尚未设置该政策的兑现预算" in client.get(over["Location"]).content.decode()
    PolicyBudget.objects.create(policy=POLICY, year=YEAR, division_code=CITY, amount=500000)
    client.post(step, {"action": "approve"})
    client.post(step, {"action": "pay"})
    redemption.refresh_from_db()
    assert redemption.status == "paid"
    assert [log.action for log in history(redemption)] == ["verify", "approve", "pay"]
    html = client.get(url).content.decode()
    assert "办理记录" in html and "拨付" in html and "调整兑现金额" not in html
    listing = client.get(reverse("policies:redemption-list"), {"status": "paid"})
    assert [r.pk for r in listing.context["page_obj"]] == [redemption.pk]
    [(_label, export_url), *_others] = listing.context["exports"]
    exported = client.get(export_url)
    assert exported.status_code == 200
    sheet = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.values)
    assert [row[2] for row in sheet[1:]] == ["强科技有限公司"]
    budgets = client.get(reverse("policies:budget-list"))
    [budget] = budgets.context["page_obj"]
    assert budget.used == Decimal("120000") and budget.remaining == Decimal("380000")
    assert "38.00" in budgets.content.decode()  # 余额 38 万元


def test_return_needs_a_reason(client, city, enterprises):
    redemption = _proposed(enterprises, city)
    step = reverse("policies:redemption-transition", args=[redemption.pk])
    response = client.post(step, {"action": "return", "note": ""}, follow=True)
    redemption.refresh_from_db()
    assert redemption.status == "proposed"
    assert response.context["messages"]
    client.post(step, {"action": "return", "note": "材料不全"})
    redemption.refresh_from_db()
    assert (redemption.status, redemption.reason) == ("returned", "材料不全")
    owner = user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"])
    client.force_login(owner)
    page = client.get(reverse("policies:redemption-detail", args=[redemption.pk]))
    actions = [t.action for t in page.context["actions"]]
    assert actions == ["resubmit"] and page.context["amount_form"] is None
    client.post(step, {"action": "resubmit"})
    redemption.refresh_from_db()
    assert redemption.status == "applied"
    other = user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"])
    client.force_login(other)
    assert client.post(step, {"action": "resubmit"}).status_code == 404


def test_budget_form(client, city):
    url = reverse("policies:budget-create")
    assert client.get(url).status_code == 200
    saved = client.post(
        url, {"policy": POLICY, "year": 2024, "division_code": FENGTAI, "amount": "800000"}
    )
    assert saved.status_code == 302
    assert PolicyBudget.objects.get().amount == Decimal("800000")
    outside = client.post(
        url, {"policy": POLICY, "year": 2024, "division_code": "340102", "amount": "1"}
    )
    assert outside.status_code == 200 and PolicyBudget.objects.count() == 1
    client.force_login(user_with_role(Roles.ZONE))
    assert client.get(url).status_code == 403
    assert client.get(reverse("policies:budget-list")).status_code == 403


def test_assessment_form(client, city, enterprises):
    strong = enterprises["strong"]
    url = reverse("policies:assessment-create")
    form = {"uscc": strong.uscc.lower(), "year": YEAR, "score": "73", "assessed_on": "2024-05-01"}
    assert client.post(url, form).status_code == 302
    assert InnovationAssessment.objects.get().score == Decimal("73")
    prefilled = client.get(url, {"uscc": strong.uscc, "year": YEAR})
    assert prefilled.context["form"].initial["score"] == Decimal("73")
    far = client.post(url, {**form, "uscc": enterprises["far"].uscc})
    assert far.status_code == 200 and "辖区内没有" in far.content.decode()
    rows = _screen(client, policy="hnte").context["page_obj"]
    assert next(r for r in rows if r.pk == strong.pk).eligible
    listing = client.get(reverse("policies:assessment-list"))
    assert [a.organization for a in listing.context["page_obj"]] == [strong]


def test_navigation_by_role(client, enterprises):
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"]))
    html = client.get(reverse("policies:policy-list")).content.decode()
    assert "我的政策" in html and "免申即享筛查" not in html
    client.force_login(user_with_role(Roles.BUREAU, division_code=CITY))
    html = client.get(reverse("policies:policy-list")).content.decode()
    assert "免申即享筛查" in html and "兑现预算" in html and "我的政策" not in html
