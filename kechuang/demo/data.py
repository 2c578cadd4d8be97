"""Reference tables of the demo region: 淮南市 (340400), its counties, zones, names and industries.

The divisions are real (GB/T 2260, read from the Division table); the organizations are invented
but shaped like the city's economy (coal-mining equipment, new materials, energy, agriculture).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CITY = "340400"
REGION_PREFIX = "3404"

# County code → (weight of enterprises registered there, place name some company names start
# with: the counties' own names, the city's name for its urban districts).
COUNTIES: dict[str, tuple[float, str]] = {
    "340402": (0.09, "淮南"),
    "340403": (0.27, "淮南"),
    "340404": (0.12, "淮南"),
    "340405": (0.05, "淮南"),
    "340406": (0.10, "潘集"),
    "340421": (0.17, "凤台"),
    "340422": (0.20, "寿县"),
}


@dataclass(frozen=True)
class ZoneSpec:
    name: str
    kind: str
    level: str
    division_code: str
    approved_on: date


ZONES = (
    ZoneSpec("淮南高新技术产业开发区", "hitech", "provincial", "340403", date(2006, 4, 18)),
    ZoneSpec("淮南经济技术开发区", "econ_dev", "provincial", "340402", date(1993, 11, 8)),
    ZoneSpec("凤台经济开发区", "econ_dev", "provincial", "340421", date(2006, 6, 26)),
    ZoneSpec(
        "寿县新桥国际产业园",
        "industrial_park",
        "municipal",
        "340422",
        date(2016, 9, 9),
    ),
)
# Share of the enterprises of a zone's host county that are located in the zone; with the
# county weights above this puts about 40 % of all enterprises in a zone.
IN_ZONE_SHARE = 0.55


@dataclass(frozen=True)
class Industry:
    code: str  # GB/T 4754-2017 class
    words: tuple[str, ...]  # the industry part of a company name
    field: str  # 国家重点支持的高新技术领域 code, "" for traditional industries
    industrial: bool  # uses land and energy (manufacturing, mining)
    weight: float
    domains: tuple[str, ...]  # technology domains used in platform names


INDUSTRIES = (
    Industry(
        "6513",
        ("软件", "信息技术", "网络科技", "数字科技"),
        "01",
        False,
        7,
        ("工业软件", "智慧矿山软件", "大数据应用"),
    ),
    Industry(
        "6531",
        ("信息技术", "智能科技", "数据科技"),
        "01",
        False,
        5,
        ("信息系统集成", "智慧城市", "数据治理"),
    ),
    Industry("3983", ("传感技术", "电子科技"), "01", True, 3, ("矿用传感器", "智能感知")),
    Industry("3982", ("电子科技", "电路科技"), "01", True, 2, ("印制电路", "电子电路")),
    Industry("3921", ("通信技术", "通信设备"), "01", True, 2, ("矿用通信", "无线通信")),
    Industry("2720", ("药业", "制药"), "02", True, 3, ("化学制剂", "新型药物制剂")),
    Industry("2740", ("中药", "药业"), "02", True, 2, ("中药饮片", "道地药材")),
    Industry("3581", ("医疗器械", "医疗科技"), "02", True, 3, ("医用诊断设备", "康复器械")),
    Industry("0511", ("农业科技", "种业"), "02", False, 3, ("优质稻麦育种", "现代种业")),
    Industry("2651", ("新材料", "高分子材料"), "04", True, 4, ("高性能树脂", "高分子材料")),
    Industry("3062", ("复合材料", "新材料科技"), "04", True, 3, ("玻璃纤维复合材料", "复合材料")),
    Industry("2614", ("化工", "精细化工"), "04", True, 4, ("煤基化学品", "精细化学品")),
    Industry("3099", ("新材料", "建材科技"), "04", True, 3, ("煤矸石综合利用", "新型建材")),
    Industry("7320", ("工程技术", "科技"), "05", False, 3, ("工程技术研发", "煤炭清洁利用")),
    Industry("7452", ("检测技术", "检测科技"), "05", False, 3, ("检验检测", "质量检测")),
    Industry("3825", ("光伏科技", "新能源"), "06", True, 3, ("光伏组件", "光伏发电")),
    Industry("3841", ("新能源", "电池科技", "储能科技"), "06", True, 3, ("锂离子电池", "储能")),
    Industry("4416", ("新能源", "能源科技"), "06", False, 1, ("光伏电站", "新能源利用")),
    Industry("7722", ("环保科技", "环境工程"), "07", False, 3, ("大气污染治理", "采煤沉陷区治理")),
    Industry("4620", ("水务科技", "环保科技"), "07", False, 1, ("污水处理", "矿井水资源化")),
    Industry(
        "3511",
        ("矿山装备", "煤矿机械", "矿业科技"),
        "08",
        True,
        6,
        ("煤矿智能开采装备", "矿山安全装备", "矿用机械"),
    ),
    Industry("3491", ("智能装备", "机器人"), "08", True, 3, ("工业机器人", "智能制造装备")),
    Industry("3421", ("机床", "精密机械"), "08", True, 2, ("数控机床", "精密加工")),
    Industry("4011", ("仪器仪表", "自动化"), "08", True, 2, ("工业自动化控制", "智能仪表")),
    Industry("3670", ("汽车零部件", "汽车配件"), "08", True, 3, ("汽车零部件", "新能源汽车部件")),
    Industry("3824", ("电气", "电力设备"), "08", True, 3, ("电力电子", "智能电网设备")),
    # Traditional industries: no high-tech field, little R&D.
    Industry("0610", ("煤业", "能源"), "", True, 2, ("煤炭洗选",)),
    Industry("1311", ("米业", "粮油"), "", True, 3, ("粮食精深加工",)),
    Industry("3311", ("钢结构", "建设"), "", True, 3, ("钢结构",)),
    Industry("1819", ("服饰", "制衣"), "", True, 2, ("服装",)),
    Industry("5171", ("物资", "商贸"), "", False, 2, ("现代物流",)),
)

# Service providers (知识产权代理, 科技中介, 孵化器运营, 检测).
PROVIDER_TRADES = (
    ("7520", "知识产权代理", "05"),
    ("7530", "科技咨询", "05"),
    ("7530", "技术转移服务", "05"),
    ("7540", "科技企业孵化器管理", "05"),
    ("7452", "检测技术服务", "05"),
)

# Characters used two at a time as trade names (字号).
TRADE_CHARS = "".join(
    dict.fromkeys(  # each character once
        "华瑞丰鑫创恒达泰宏远盛通源德新金安明正信嘉和昌隆兴旺宇辰博智汇聚科润泽禾天启元"
        "富康诚锦耀祥伟峰凯睿航晟翔佳美腾捷力海山川淮舜楚皖淝硕嵘铭鼎晶灿昊弘欣悦卓越"
        "骏鹏程永益众合邦联群利万方圆开拓奥普菲凌云星辉光"
    )
)
NAME_PREFIXES = (("淮南", 0.58), ("安徽", 0.30), ("county", 0.12))

OWNERSHIP_WEIGHTS = (
    ("private", 0.85),
    ("state", 0.06),
    ("foreign", 0.03),
    ("hmt", 0.02),
    ("mixed", 0.03),
    ("collective", 0.01),
)

# Fixed organizations: universities, institutes, hospitals (public institutions: USCC type 12).
UNIVERSITIES = (
    ("安徽理工大学", "340403", date(1945, 6, 1)),
    ("淮南师范学院", "340403", date(1958, 9, 1)),
    ("淮南联合大学", "340403", date(1980, 9, 1)),
)
INSTITUTES = (
    ("淮南市农业科学研究所", "340422", "7310"),
    ("淮南市煤矿安全技术研究所", "340404", "7320"),
    ("淮南市环境科学研究所", "340403", "7320"),
    ("淮南市新材料产业技术研究院", "340403", "7320"),
)
HOSPITALS = (
    ("淮南市第一人民医院", "340403"),
    ("淮南市中医院", "340403"),
    ("凤台县人民医院", "340421"),
    ("寿县人民医院", "340422"),
)

# Platform kinds hosted by enterprises, with weights; universities host their own kinds.
ENTERPRISE_PLATFORM_KINDS = (
    ("eng_research_center", 0.42),
    ("enterprise_institute", 0.20),
    ("tech_innovation_center", 0.10),
    ("incubator", 0.10),
    ("makerspace", 0.10),
    ("innovation_consortium", 0.08),
)
# (host, kind, level, name, recognised on)
UNIVERSITY_PLATFORMS = (
    (
        "安徽理工大学",
        "key_lab",
        "national",
        "深部煤矿开采与灾害防控国家重点实验室",
        date(2019, 1, 8),
    ),
    (
        "安徽理工大学",
        "key_lab",
        "provincial",
        "安徽省矿山智能装备与技术重点实验室",
        date(2016, 12, 20),
    ),
    (
        "安徽理工大学",
        "eng_research_center",
        "provincial",
        "安徽省煤炭清洁高效利用工程技术研究中心",
        date(2014, 11, 5),
    ),
    ("安徽理工大学", "university_park", "provincial", "安徽理工大学科技园", date(2012, 5, 16)),
    ("淮南师范学院", "key_lab", "provincial", "安徽省生物质资源利用重点实验室", date(2018, 10, 12)),
    ("淮南师范学院", "new_rd_institute", "municipal", "淮南数字产业研究院", date(2021, 7, 1)),
    (
        "淮南联合大学",
        "eng_research_center",
        "municipal",
        "淮南市智能制造技术工程技术研究中心",
        date(2020, 9, 18),
    ),
)
LEVEL_NAME_PREFIX = {"national": "国家", "provincial": "安徽省", "municipal": "淮南市"}
