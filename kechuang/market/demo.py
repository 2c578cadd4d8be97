"""Technology-market data of the demo region (called by the demo builder once the registry and
the demo users exist): enterprise needs (about one per five enterprises), achievements of the
universities, institutes and some high-tech enterprises (about three per need), experts,
dockings at every stage with their stage log, two match events and registered contracts.

Deterministic: every draw comes from ``random.Random`` seeded with the demo seed and a stage
name, over organizations read in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kechuang.core.models import TransitionLog
from kechuang.orgs.models import Organization

from .models import (
    NEED_OPEN,
    Achievement,
    Docking,
    Expert,
    MatchEvent,
    TechContract,
    TechNeed,
)
from .validators import patent_check_char
from .workflows import OPEN_STAGES

BATCH = 2_000
FIRST_DAY, LAST_DAY = dt.date(2024, 1, 8), dt.date(2025, 11, 28)

# High-tech field code → (field name, topics). A topic: (subject, keywords, problem, goal).
TOPICS = {
    "01": (
        "电子信息",
        (
            (
                "矿山井下人员精确定位",
                ("UWB定位", "井下通信", "人员定位"),
                "井下定位误差大、信号易受巷道遮挡",
                "定位精度达到 0.3 米以内",
            ),
            (
                "工业数据采集与边缘计算",
                ("边缘计算", "工业互联网", "数据采集"),
                "设备数据分散在多个系统、无法实时汇聚",
                "实现毫秒级采集与就地分析",
            ),
            (
                "智慧矿山视频智能识别",
                ("视频识别", "深度学习", "安全监测"),
                "违章行为靠人工盯屏发现、漏报率高",
                "自动识别违章并实时告警",
            ),
            (
                "矿用本安型传感器",
                ("本质安全", "传感器", "低功耗"),
                "现有传感器功耗高、电池更换频繁",
                "续航提高到两年以上",
            ),
        ),
    ),
    "02": (
        "生物与新医药",
        (
            (
                "中药配方颗粒质量控制",
                ("中药", "指纹图谱", "质量控制"),
                "批次间有效成分波动大",
                "建立指纹图谱质控标准",
            ),
            (
                "优质小麦抗赤霉病育种",
                ("小麦", "赤霉病", "分子育种"),
                "本地主栽品种抗病性弱、减产明显",
                "选育抗病高产新品系",
            ),
            (
                "医用康复器械智能控制",
                ("康复器械", "运动控制", "传感反馈"),
                "康复训练强度无法按患者自适应调节",
                "实现闭环自适应训练",
            ),
            (
                "缓释制剂工艺开发",
                ("缓释制剂", "药物释放", "制剂工艺"),
                "释放曲线不稳定、一致性评价未通过",
                "通过仿制药一致性评价",
            ),
        ),
    ),
    "04": (
        "新材料",
        (
            (
                "煤矸石制备陶粒轻骨料",
                ("煤矸石", "陶粒", "固废利用"),
                "煤矸石堆存量大、综合利用率低",
                "形成年产十万立方米的陶粒工艺",
            ),
            (
                "耐磨聚氨酯复合密封材料",
                ("聚氨酯", "密封材料", "耐磨"),
                "液压支架密封件在高压下磨损快",
                "使用寿命提高一倍",
            ),
            (
                "玻璃纤维增强复合材料",
                ("玻璃纤维", "复合材料", "界面改性"),
                "制品强度离散、废品率偏高",
                "拉伸强度提高百分之二十",
            ),
            (
                "煤基高性能碳材料",
                ("煤基碳材料", "活性炭", "孔结构调控"),
                "产品比表面积低、附加值不高",
                "比表面积达到每克一千五百平方米",
            ),
        ),
    ),
    "05": (
        "高技术服务",
        (
            (
                "检验检测数据管理平台",
                ("检验检测", "LIMS", "数据管理"),
                "检测报告流转依赖纸质、追溯困难",
                "实现全流程电子化与可追溯",
            ),
            (
                "工程技术咨询数字化",
                ("工程咨询", "BIM", "协同设计"),
                "设计变更多、协同效率低",
                "建立三维协同设计流程",
            ),
        ),
    ),
    "06": (
        "新能源与节能",
        (
            (
                "采煤沉陷区水面光伏",
                ("水面光伏", "漂浮电站", "沉陷区治理"),
                "沉陷区水深变化大、锚固成本高",
                "降低锚固系统造价百分之三十",
            ),
            (
                "锂离子电池梯次利用",
                ("梯次利用", "电池健康评估", "储能"),
                "退役电池一致性差、筛选效率低",
                "快速评估电池健康状态",
            ),
            (
                "余热回收与节能改造",
                ("余热回收", "换热器", "节能"),
                "生产线余热直接排放、能耗偏高",
                "综合能耗下降百分之十五",
            ),
        ),
    ),
    "07": (
        "资源与环境",
        (
            (
                "矿井水深度处理与回用",
                ("矿井水", "膜处理", "资源化"),
                "矿井水含盐量高、处理成本高",
                "吨水处理成本下降三成",
            ),
            (
                "采煤沉陷区生态修复",
                ("生态修复", "土壤改良", "沉陷区"),
                "沉陷区土壤贫瘠、植被恢复慢",
                "三年内植被覆盖率达到百分之八十",
            ),
            (
                "工业废气VOCs治理",
                ("VOCs", "催化燃烧", "废气治理"),
                "废气排放浓度接近限值",
                "排放浓度降低一半以上",
            ),
        ),
    ),
    "08": (
        "先进制造与自动化",
        (
            (
                "综采工作面智能控制",
                ("智能开采", "液压支架", "电液控制"),
                "支架跟机自动化率低、依赖人工操作",
                "实现工作面少人化开采",
            ),
            (
                "矿用机器人巡检",
                ("巡检机器人", "SLAM", "故障诊断"),
                "带式输送机巡检靠人工、隐患发现滞后",
                "机器人替代人工巡检",
            ),
            (
                "数控机床精度保持",
                ("数控机床", "热误差补偿", "精度保持"),
                "机床连续加工后精度下降",
                "加工精度稳定在五微米以内",
            ),
            (
                "汽车零部件轻量化",
                ("轻量化", "铝合金压铸", "汽车零部件"),
                "零部件重量大、不满足新能源车型要求",
                "减重百分之二十且强度不降",
            ),
        ),
    ),
}
FIELD_CODES = tuple(TOPICS)
NEED_TITLE_SUFFIXES = ("技术攻关", "关键技术研发", "工艺优化", "技术合作", "解决方案")
ACHIEVEMENT_PREFIXES = ("一种", "基于多源数据的", "高效", "低成本", "智能化", "新型", "")
ACHIEVEMENT_SUFFIXES = ("方法", "系统及装置", "关键技术", "制备方法", "工艺", "监测系统")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"
GIVEN = "明华建国志强文军平伟静丽敏磊洋勇杰涛超峰鹏宇浩然晨阳俊凯婷颖"
TITLES = ("教授", "研究员", "副教授", "高级工程师", "正高级工程师")
EXTERNAL_BUYERS = (
    "江苏徐工工程机械研究院有限公司",
    "山东能源集团装备制造有限公司",
    "上海电气集团股份有限公司",
    "浙江正泰电器股份有限公司",
    "河南平煤神马集团有限公司",
    "陕西煤业化工技术研究院有限责任公司",
)
EVENTS = (
    (
        "2024 年淮南市产学研合作对接会",
        "docking_fair",
        dt.date(2024, 6, 18),
        "淮南市科技馆",
        "340403",
    ),
    (
        "2025 年高校院所科技成果发布会",
        "launch",
        dt.date(2025, 4, 22),
        "安徽理工大学科技园",
        "340403",
    ),
    (
        "2025 年凤台县企业技术需求路演",
        "roadshow",
        dt.date(2025, 9, 16),
        "凤台经济开发区服务中心",
        "340421",
    ),
)
STAGES = (
    ("recommended", 0.28),
    ("contacted", 0.2),
    ("negotiating", 0.14),
    ("signed", 0.22),
    ("failed", 0.16),
)
FAIL_REASONS = (
    "企业预算不足",
    "技术成熟度不满足要求",
    "双方知识产权归属未谈拢",
    "企业转向自主研发",
)
CONTRACT_TYPES = (
    ("development", 0.36),
    ("service", 0.28),
    ("consulting", 0.14),
    ("transfer", 0.12),
    ("licence", 0.10),
)


def _rng(seed: int, stage: str) -> random.Random:
    return random.Random(f"kechuang-demo:{seed}:market:{stage}")


def _pick(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _later(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    return min(day + dt.timedelta(days=rng.randint(low, high)), LAST_DAY)


def _money(rng: random.Random, low: float, high: float, step: int = 10_000) -> Decimal:
    value = low * (high / low) ** rng.random()
    return Decimal(max(step, round(value / step) * step)).quantize(Decimal("0.01"))


def _write(model, rows: list, history: bool, actor) -> None:
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        if history:
            bulk_create_with_history(batch, model, batch_size=BATCH, default_user=actor)
        else:
            model.objects.bulk_create(batch, batch_size=BATCH)


def _need_description(topic, enterprise_name: str) -> str:
    subject, keywords, problem, goal = topic
    return (
        f"{enterprise_name}在{subject}方面开展了多年生产实践，目前存在{problem}的问题，"
        f"已制约企业产品升级和市场拓展。现面向高校院所和科研机构征集解决方案，重点围绕"
        f"{'、'.join(keywords)}等方向开展合作，目标是{goal}，并在企业生产线完成工程化验证。"
    )


def _abstract(topic, owner_name: str) -> str:
    subject, keywords, problem, goal = topic
    return (
        f"{owner_name}研究团队针对{problem}的行业共性难题，围绕{subject}开展系统研究，"
        f"在{'、'.join(keywords)}等方面取得突破，形成了具有自主知识产权的技术方案。"
        f"经第三方测试，可{goal}，已在省内多家企业开展示范应用，具备推广转化条件。"
    )


def _patent(rng: random.Random, kind: str) -> str:
    year = rng.randint(2016, 2024)
    if kind == "software":
        return f"{year}SR{rng.randint(100000, 1999999):07d}"
    digits = f"{year}{'1' if kind == 'invention_patent' else '2'}{rng.randint(0, 9999999):07d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _region_orgs(region_prefix: str):
    orgs = list(
        Organization.objects.filter(division_code__startswith=region_prefix)
        .only("id", "name", "kind", "division_code", "zone_id", "hightech_field")
        .order_by("uscc")
    )
    companies = [o for o in orgs if o.kind == "enterprise"]
    hightech = [o for o in companies if o.hightech_field in TOPICS]
    public = [o for o in orgs if o.kind in ("university", "institute")]
    return companies, hightech, public


def build(*, seed: int, actor, history: bool, region_prefix: str = "3404") -> dict[str, int]:
    """Write the demo market of the region; returns the counts written."""
    from kechuang.accounts.models import User

    companies, hightech, public = _region_orgs(region_prefix)
    if not companies or not public:
        return {}
    today = timezone.localdate()

    # --- needs: about one per five enterprises, mostly high-tech ones.
    rng = _rng(seed, "needs")
    wanted = max(3, len(companies) // 5)
    pool = hightech or companies
    needs: list[TechNeed] = []
    titles_taken: set[tuple[int, str]] = set()

    def need_for(enterprise, status: str | None = None) -> TechNeed | None:
        code = enterprise.hightech_field if enterprise.hightech_field in TOPICS else "08"
        field_name, topics = TOPICS[code]
        topic = rng.choice(topics)
        title = f"{topic[0]}{rng.choice(NEED_TITLE_SUFFIXES)}"
        if (enterprise.pk, title) in titles_taken:
            return None
        titles_taken.add((enterprise.pk, title))
        published = _day(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=60))
        status = status or _pick(rng, (("published", 0.8), ("draft", 0.08), ("closed", 0.12)))
        low = _money(rng, 100_000, 2_000_000) if rng.random() < 0.8 else None
        return TechNeed(
            enterprise_id=enterprise.pk,
            division_code=enterprise.division_code,
            zone_id=enterprise.zone_id,
            title=title,
            description=_need_description(topic, enterprise.name),
            field=field_name,
            keywords="；".join(topic[1]),
            budget_min=low,
            budget_max=(low * rng.choice((2, 3, 5))) if low is not None else None,
            mode=_pick(
                rng,
                (
                    ("joint_development", 0.45),
                    ("transfer", 0.15),
                    ("licence", 0.1),
                    ("consulting", 0.15),
                    ("service", 0.15),
                ),
            ),
            deadline=published + dt.timedelta(days=rng.choice((180, 270, 365))),
            status=status,
            visibility=_pick(rng, (("public", 0.75), ("registered", 0.2), ("private", 0.05))),
            published_on=None if status == "draft" else published,
        )

    for _ in range(wanted):
        need = need_for(rng.choice(pool))
        if need is not None:
            needs.append(need)
    # The demo enterprise user has needs of its own, to see its recommendations.
    own_id = (
        User.objects.filter(username="enterprise", role="enterprise")
        .values_list("organization_id", flat=True)
        .first()
    )
    own = next((o for o in companies if o.pk == own_id), None)
    if own is not None and not any(
        n.enterprise_id == own.pk and n.status == "published" for n in needs
    ):
        needs += [n for n in (need_for(own, "published") for _ in range(2)) if n is not None]
    _write(TechNeed, needs, history, actor)

    # --- achievements: about three per need; 60 % from universities and institutes.
    rng = _rng(seed, "achievements")
    achievements: list[Achievement] = []
    taken: set[tuple[int, str]] = set()
    for _ in range(3 * len(needs)):
        owner = rng.choice(public) if rng.random() < 0.6 or not hightech else rng.choice(hightech)
        code = owner.hightech_field if owner.hightech_field in TOPICS else rng.choice(FIELD_CODES)
        field_name, topics = TOPICS[code]
        topic = rng.choice(topics)
        title = f"{rng.choice(ACHIEVEMENT_PREFIXES)}{topic[0]}{rng.choice(ACHIEVEMENT_SUFFIXES)}"
        if (owner.pk, title) in taken:
            continue
        taken.add((owner.pk, title))
        kind = _pick(
            rng,
            (
                ("invention_patent", 0.5),
                ("utility_model", 0.2),
                ("software", 0.15),
                ("know_how", 0.1),
                ("other", 0.05),
            ),
        )
        status = _pick(
            rng, (("published", 0.85), ("draft", 0.05), ("withdrawn", 0.05), ("transferred", 0.05))
        )
        published = _day(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=30))
        achievements.append(
            Achievement(
                owner_id=owner.pk,
                division_code=owner.division_code,
                zone_id=owner.zone_id,
                title=title,
                abstract=_abstract(topic, owner.name),
                type=kind,
                patent_number=_patent(rng, kind)
                if kind in ("invention_patent", "utility_model", "software")
                else "",
                field=field_name,
                keywords="；".join(topic[1]),
                maturity=_pick(rng, (("lab", 0.35), ("pilot", 0.4), ("industrialised", 0.25))),
                transfer_mode=_pick(
                    rng, (("transfer", 0.4), ("licence", 0.3), ("joint_development", 0.3))
                ),
                price=_money(rng, 50_000, 5_000_000) if rng.random() < 0.6 else None,
                status=status,
                visibility=_pick(rng, (("public", 0.8), ("registered", 0.2))),
                published_on=None if status == "draft" else published,
            )
        )
    _write(Achievement, achievements, history, actor)

    # --- experts: staff of the universities and institutes, with their achievements.
    rng = _rng(seed, "experts")
    experts: list[Expert] = []
    names: set[tuple[int, str]] = set()
    for _ in range(max(8, len(companies) // 25)):
        employer = rng.choice(public)
        name = _name(rng)
        if (employer.pk, name) in names:
            continue
        names.add((employer.pk, name))
        codes = rng.sample(FIELD_CODES, 2)
        experts.append(
            Expert(
                name=name,
                employer_id=employer.pk,
                division_code=employer.division_code,
                zone_id=employer.zone_id,
                title=rng.choice(TITLES),
                fields="；".join(TOPICS[c][0] for c in codes),
                keywords="；".join(rng.choice(TOPICS[codes[0]][1])[1][:2]),
                bio=f"{employer.name}{rng.choice(TITLES)}，长期从事{TOPICS[codes[0]][0]}领域研究与技术推广。",
                phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                visibility="registered",
            )
        )
    _write(Expert, experts, history, actor)
    by_owner: dict[int, list[Achievement]] = {}
    for item in achievements:
        by_owner.setdefault(item.owner_id, []).append(item)
    links = []
    for expert in experts:
        own = by_owner.get(expert.employer_id, [])
        for item in rng.sample(own, min(len(own), rng.randint(0, 3))):
            links.append(Expert.achievements.through(expert_id=expert.pk, achievement_id=item.pk))
    Expert.achievements.through.objects.bulk_create(links, batch_size=BATCH)
    expert_user = User.objects.filter(username="expert", role="expert").first()
    if expert_user is not None and experts:
        Expert.objects.filter(pk=experts[0].pk).update(user=expert_user)

    # --- events
    rng = _rng(seed, "events")
    events = []
    for name, kind, day, place, code in EVENTS:
        event = MatchEvent.objects.create(
            name=name,
            kind=kind,
            date=day,
            place=place,
            division_code=code,
            outcomes="",
            created_by=actor,
        )
        members = rng.sample(companies, min(len(companies), 12)) + public
        event.participants.set(members)
        events.append(event)

    # --- dockings, with their stage log, and the contracts of the signed ones.
    rng = _rng(seed, "dockings")
    staff = User.objects.filter(username="bureau_city").first() or actor
    listed = [a for a in achievements if a.status in ("published", "transferred")]
    open_needs = [n for n in needs if n.status == "published"]
    dockings: list[Docking] = []
    steps: list[tuple[Docking, str, str, str, dt.date, str]] = []
    pairs: set[tuple] = set()
    by_field: dict[str, list[Achievement]] = {}
    for item in listed:
        by_field.setdefault(item.field, []).append(item)
    for need in rng.sample(open_needs, round(len(open_needs) * 0.6)):
        for _ in range(rng.choice((1, 1, 2))):
            same_field = by_field.get(need.field) or listed
            roll = rng.random()
            achievement = expert = organization = None
            if roll < 0.7 and same_field:
                achievement = rng.choice(same_field)
                counterpart = achievement.owner_id
            elif roll < 0.9 and experts:
                expert = rng.choice(experts)
                counterpart = expert.employer_id
            else:
                organization_obj = rng.choice(public)
                organization = organization_obj.pk
                counterpart = organization
            key = (
                need.pk,
                getattr(achievement, "pk", None),
                getattr(expert, "pk", None),
                organization,
            )
            if key in pairs or counterpart == need.enterprise_id:
                continue
            pairs.add(key)
            event = rng.choice(events) if rng.random() < 0.2 else None
            start = event.date if event else _later(rng, need.published_on, 5, 120)
            docking = Docking(
                need_id=need.pk,
                achievement=achievement,
                expert=expert,
                organization_id=organization,
                enterprise_id=need.enterprise_id,
                counterpart_org_id=counterpart,
                division_code=need.division_code,
                zone_id=need.zone_id,
                source="at_event"
                if event
                else _pick(rng, (("recommended", 0.7), ("requested", 0.3))),
                event=event,
                owner=staff,
                recommended_on=start,
            )
            stage = _pick(rng, STAGES)
            day = start
            path = {
                "recommended": [],
                "contacted": ["contact"],
                "negotiating": ["contact", "negotiate"],
            }
            path |= {
                "signed": ["contact", "negotiate", "sign"],
                "failed": ["contact"] * rng.randint(0, 1) + ["fail"],
            }
            current = "recommended"
            for action in path[stage]:
                day = _later(rng, day, 3, 45)
                target = {
                    "contact": "contacted",
                    "negotiate": "negotiating",
                    "sign": "signed",
                    "fail": "failed",
                }[action]
                note = rng.choice(FAIL_REASONS) if action == "fail" else ""
                setattr(docking, f"{target}_on", day)
                steps.append((docking, action, current, target, day, note))
                current = target
            docking.stage = current
            docking.outcome = {
                "contacted": "contacted",
                "negotiating": "contacted",
                "signed": "signed",
                "failed": "declined",
            }.get(current, "")
            docking.outcome_reason = steps[-1][5] if current == "failed" else ""
            dockings.append(docking)
    _write(Docking, dockings, history, actor)
    # as need_follows_dockings does: solved once signed, in docking while one is open
    signed = {d.need_id for d in dockings if d.stage == "signed"}
    open_ = {d.need_id for d in dockings if d.stage in OPEN_STAGES} - signed
    TechNeed.objects.filter(pk__in=signed, status__in=NEED_OPEN).update(status="solved")
    TechNeed.objects.filter(pk__in=open_, status="published").update(status="in_docking")
    logs = [
        TransitionLog(
            workflow="market_docking",
            object_type="market.docking",
            object_id=str(docking.pk),
            action=action,
            source=source,
            target=target,
            actor=staff,
            note=note,
        )
        for docking, action, source, target, _day_, note in steps
    ]
    TransitionLog.objects.bulk_create(logs, batch_size=BATCH)
    # auto_now_add stamped today: date each step on its own day (one update per day).
    by_day: dict[dt.date, list[int]] = {}
    for log, step in zip(logs, steps, strict=True):
        by_day.setdefault(step[4], []).append(log.pk)
    for day, ids in by_day.items():
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        TransitionLog.objects.filter(pk__in=ids).update(occurred_at=moment)

    rng = _rng(seed, "contracts")
    contracts: list[TechContract] = []
    sequence = Counter()
    orgs = {o.pk: o for o in (*companies, *public)}

    def number(day: dt.date) -> str:
        sequence[day.year] += 1
        return f"{day.year}34040{sequence[day.year]:07d}"

    def contract(seller, buyer, buyer_name, signed, kind, docking=None, title=""):
        amount = _money(rng, 50_000, 8_000_000, 1_000)
        share = Decimal(rng.choice((60, 75, 85, 95, 100))) / 100
        registered = min(_later(rng, signed, 5, 40), today)
        return TechContract(
            registration_number=number(registered),
            type=kind,
            title=title,
            seller_id=seller.pk,
            buyer_id=getattr(buyer, "pk", None),
            buyer_name=buyer_name,
            contract_amount=amount,
            tech_amount=(amount * share).quantize(Decimal("0.01")),
            signed_on=signed,
            registered_on=registered,
            division_code=seller.division_code,
            zone_id=seller.zone_id,
            docking=docking,
            registered_by=staff,
        )

    need_titles = {n.pk: n.title for n in needs}
    for docking in dockings:
        if docking.stage != "signed":
            continue
        seller, buyer = orgs.get(docking.counterpart_org_id), orgs.get(docking.enterprise_id)
        if seller is None or buyer is None:
            continue
        kind = {"transfer": "transfer", "licence": "licence"}.get(
            getattr(docking.achievement, "transfer_mode", ""), "development"
        )
        title = need_titles[docking.need_id]
        contracts.append(
            contract(seller, buyer, buyer.name, docking.signed_on, kind, docking, title)
        )
    for _ in range(max(4, len(companies) // 10)):
        seller = rng.choice(companies + public)
        if rng.random() < 0.5:
            buyer = rng.choice(companies)
            if buyer.pk == seller.pk:
                continue
            buyer_name = buyer.name
        else:
            buyer, buyer_name = None, rng.choice(EXTERNAL_BUYERS)
        kind = _pick(rng, CONTRACT_TYPES)
        field_name, topics = TOPICS[rng.choice(FIELD_CODES)]
        signed = _day(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=30))
        label = {
            "development": "技术开发",
            "service": "技术服务",
            "consulting": "技术咨询",
            "transfer": "技术转让",
            "licence": "技术许可",
        }[kind]
        contracts.append(
            contract(
                seller, buyer, buyer_name, signed, kind, None, f"{rng.choice(topics)[0]}{label}"
            )
        )
    revoked = contracts[-1] if contracts else None
    if revoked is not None and revoked.docking is None:
        revoked.revoked = True
        revoked.revoked_on = min(revoked.registered_on + dt.timedelta(days=30), today)
        revoked.revoked_reason = "经核查不属于技术合同，撤销登记"
    _write(TechContract, contracts, history, actor)
    return {
        "needs": len(needs),
        "achievements": len(achievements),
        "experts": len(experts),
        "dockings": len(dockings),
        "events": len(events),
        "contracts": len(contracts),
    }


def _raw_delete(queryset) -> int:
    # A plain DELETE: no per-row signals, so no "deleted" history rows.
    return queryset._raw_delete(queryset.db)


def reset(org_ids) -> None:
    """Delete the market records of the demo organizations (before the organizations go)."""
    dockings = Docking.objects.filter(Q(enterprise__in=org_ids) | Q(counterpart_org__in=org_ids))
    docking_ids = list(dockings.values_list("pk", flat=True))
    contracts = TechContract.objects.filter(
        Q(seller__in=org_ids) | Q(buyer__in=org_ids) | Q(docking__in=docking_ids)
    )
    _raw_delete(TechContract.history.filter(id__in=contracts.values("pk")))
    _raw_delete(contracts)
    needs = TechNeed.objects.filter(enterprise__in=org_ids)
    achievements = Achievement.objects.filter(owner__in=org_ids)
    experts = Expert.objects.filter(employer__in=org_ids)
    for model, ids in (
        ("market.docking", docking_ids),
        ("market.techneed", needs.values_list("pk", flat=True)),
        ("market.achievement", achievements.values_list("pk", flat=True)),
    ):
        _raw_delete(
            TransitionLog.objects.filter(object_type=model, object_id__in=[str(i) for i in ids])
        )
    _raw_delete(Docking.history.filter(id__in=docking_ids))
    _raw_delete(Docking.objects.filter(pk__in=docking_ids))
    events = list(
        MatchEvent.objects.filter(participants__in=org_ids).values_list("pk", flat=True).distinct()
    )
    _raw_delete(MatchEvent.participants.through.objects.filter(matchevent_id__in=events))
    _raw_delete(MatchEvent.objects.filter(pk__in=events).exclude(dockings__isnull=False))
    _raw_delete(Expert.achievements.through.objects.filter(expert__in=experts))
    _raw_delete(Expert.achievements.through.objects.filter(achievement__in=achievements))
    for model, queryset in ((Expert, experts), (Achievement, achievements), (TechNeed, needs)):
        _raw_delete(model.history.filter(id__in=queryset.values("pk")))
        _raw_delete(queryset)
