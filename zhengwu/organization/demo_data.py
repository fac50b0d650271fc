"""Demo organisation data for `zhengwu demo`: 益阳市 and the eight units assessed in seed 001.

Plain tables, read by `zhengwu.organization.management.commands.demo`. Region codes of the city and
its counties are the real GB/T 2260 codes (DOMAIN §10) padded to the 12-digit 统计用区划代码. The
functional zones 益阳高新区 and 大通湖区 have no GB/T 2260 code: they get internal codes of the form
``4309G<n>000000`` (the letter G marks them as not official; `official_code` stays empty). Township
codes, street addresses, telephone numbers, organisation codes and staff names are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc

from zhengwu.domain.identifiers import gb11714_check_digit
from zhengwu.organization.choices import DepartmentKind, RegionLevel, Role, WindowType

OFFICE_HOURS = "周一至周五 上午8:30-12:00 下午14:30-17:30（法定节假日除外）"
COMPLAINT_PHONE = "12345"


@dataclass(frozen=True)
class RegionRow:
    code: str
    official_code: str
    name: str
    short_name: str
    level: int
    parent: str | None
    is_functional_zone: bool = False


PROVINCE_CODE = "430000000000"
CITY_CODE = "430900000000"

REGIONS: tuple[RegionRow, ...] = (
    RegionRow(PROVINCE_CODE, "430000", "湖南省", "湖南", RegionLevel.PROVINCE, None),
    RegionRow(CITY_CODE, "430900", "益阳市", "益阳", RegionLevel.CITY, PROVINCE_CODE),
    RegionRow("430902000000", "430902", "资阳区", "资阳", RegionLevel.COUNTY, CITY_CODE),
    RegionRow("430903000000", "430903", "赫山区", "赫山", RegionLevel.COUNTY, CITY_CODE),
    RegionRow("430921000000", "430921", "南县", "南县", RegionLevel.COUNTY, CITY_CODE),
    RegionRow("430922000000", "430922", "桃江县", "桃江", RegionLevel.COUNTY, CITY_CODE),
    RegionRow("430923000000", "430923", "安化县", "安化", RegionLevel.COUNTY, CITY_CODE),
    RegionRow("430981000000", "430981", "沅江市", "沅江", RegionLevel.COUNTY, CITY_CODE),
    # Functional zones: internal codes, no GB/T 2260 code.
    RegionRow("4309G1000000", "", "益阳高新区", "高新区", RegionLevel.COUNTY, CITY_CODE, True),
    RegionRow("4309G2000000", "", "大通湖区", "大通湖", RegionLevel.COUNTY, CITY_CODE, True),
    # A few 街道 / 乡镇 of 赫山区, so the tree has a fourth level.
    RegionRow("430903001000", "", "赫山街道", "赫山街道", RegionLevel.TOWNSHIP, "430903000000"),
    RegionRow("430903002000", "", "桃花仑街道", "桃花仑街道", RegionLevel.TOWNSHIP, "430903000000"),
    RegionRow("430903004000", "", "会龙山街道", "会龙山街道", RegionLevel.TOWNSHIP, "430903000000"),
    RegionRow("430903005000", "", "龙光桥街道", "龙光桥街道", RegionLevel.TOWNSHIP, "430903000000"),
    RegionRow("430903101000", "", "沧水铺镇", "沧水铺镇", RegionLevel.TOWNSHIP, "430903000000"),
    RegionRow("430903102000", "", "泉交河镇", "泉交河镇", RegionLevel.TOWNSHIP, "430903000000"),
)


@dataclass(frozen=True)
class UnitRow:
    """The city or a county-level unit that runs an approval bureau, a hall and departments."""

    key: str  # readable pinyin, the prefix of usernames
    region_code: str
    prefix: str  # how body names begin: "益阳市赫山区" + "市场监督管理局"
    uscc_region: str  # 6-digit region code inside the USCC (the city's for functional zones)
    phone_prefix: str  # first three digits of the 7-digit local numbers (area code 0737)
    hall_address: str
    traffic_guide: str
    government: str  # 行政复议机关
    court: str  # 行政诉讼机关
    document_prefix: str  # 批准文件 abbreviation, e.g. "赫审改发"


CITY_KEY = "city"

UNITS: tuple[UnitRow, ...] = (
    UnitRow(
        CITY_KEY,
        CITY_CODE,
        "益阳市",
        "430900",
        "422",
        "益阳市赫山区龙岭大道688号市民之家",
        "乘坐1路、12路、26路公交车至市民之家站下车",
        "益阳市人民政府",
        "益阳市中级人民法院",
        "益审改发",
    ),
    UnitRow(
        "heshan",
        "430903000000",
        "益阳市赫山区",
        "430903",
        "436",
        "益阳市赫山区龙岭大道318号赫山区市民服务中心",
        "乘坐5路、16路公交车至赫山区政务中心站下车",
        "益阳市赫山区人民政府",
        "益阳市赫山区人民法院",
        "赫审改发",
    ),
    UnitRow(
        "ziyang",
        "430902000000",
        "益阳市资阳区",
        "430902",
        "443",
        "益阳市资阳区资江西路158号资阳区政务服务中心",
        "乘坐2路、9路公交车至资阳区政府站下车",
        "益阳市资阳区人民政府",
        "益阳市资阳区人民法院",
        "资审改发",
    ),
    UnitRow(
        "nanxian",
        "430921000000",
        "南县",
        "430921",
        "528",
        "南县南洲镇南洲西路18号南县政务服务中心",
        "乘坐县城1路、3路公交车至政务中心站下车",
        "南县人民政府",
        "南县人民法院",
        "南审改发",
    ),
    UnitRow(
        "taojiang",
        "430922000000",
        "桃江县",
        "430922",
        "822",
        "桃江县桃花江镇桃花西路66号桃江县政务服务中心",
        "乘坐县城2路公交车至政务中心站下车",
        "桃江县人民政府",
        "桃江县人民法院",
        "桃审改发",
    ),
    UnitRow(
        "anhua",
        "430923000000",
        "安化县",
        "430923",
        "722",
        "安化县东坪镇城南路28号安化县政务服务中心",
        "乘坐东坪城区1路公交车至县政务中心站下车",
        "安化县人民政府",
        "安化县人民法院",
        "安审改发",
    ),
    UnitRow(
        "yuanjiang",
        "430981000000",
        "沅江市",
        "430981",
        "272",
        "沅江市琼湖街道莲花大道188号沅江市政务服务中心",
        "乘坐3路、6路公交车至市民服务中心站下车",
        "沅江市人民政府",
        "沅江市人民法院",
        "沅审改发",
    ),
    UnitRow(
        "gaoxin",
        "4309G1000000",
        "益阳高新区",
        "430900",
        "636",
        "益阳高新区东部新区迎宾东路1号高新区政务服务中心",
        "乘坐11路、18路公交车至高新区管委会站下车",
        "益阳市人民政府",
        "益阳市赫山区人民法院",
        "益高审改发",
    ),
    UnitRow(
        "datonghu",
        "4309G2000000",
        "益阳市大通湖区",
        "430900",
        "536",
        "益阳市大通湖区河坝镇金盆路8号大通湖区政务服务中心",
        "乘坐大通湖区1路公交车至区政务中心站下车",
        "益阳市人民政府",
        "南县人民法院",
        "大审改发",
    ),
)

COUNTY_UNITS = tuple(u for u in UNITS if u.key != CITY_KEY)


@dataclass(frozen=True)
class DepartmentRow:
    """A department every unit has; `name` is the suffix after the unit prefix unless overridden."""

    key: str
    name: str
    short_name: str
    kind: str = DepartmentKind.DEPARTMENT
    # Overrides by unit key; "{short}" is the unit's region short name, "{prefix}" the unit prefix.
    names: tuple[tuple[str, str], ...] = ()


# The short names used in the names of branch offices (公安分局, 生态环境分局, 税务局).
BRANCH_SHORT = {
    "heshan": "赫山",
    "ziyang": "资阳",
    "nanxian": "南县",
    "taojiang": "桃江",
    "anhua": "安化",
    "yuanjiang": "沅江",
    "gaoxin": "高新区",
    "datonghu": "大通湖",
}

DEPARTMENTS: tuple[DepartmentRow, ...] = (
    DepartmentRow("approval", "行政审批服务局", "审批局", DepartmentKind.APPROVAL_BUREAU),
    DepartmentRow("development", "发展和改革局", "发改局", names=(("city", "益阳市发展和改革委员会"),)),
    DepartmentRow("education", "教育局", "教育局"),
    DepartmentRow(
        "police",
        "公安局",
        "公安局",
        names=(
            ("heshan", "益阳市公安局赫山分局"),
            ("ziyang", "益阳市公安局资阳分局"),
            ("gaoxin", "益阳市公安局高新区分局"),
            ("datonghu", "益阳市公安局大通湖分局"),
        ),
    ),
    DepartmentRow("civil", "民政局", "民政局"),
    DepartmentRow("hrss", "人力资源和社会保障局", "人社局"),
    DepartmentRow("land", "自然资源局", "自然资源局", names=(("city", "益阳市自然资源和规划局"),)),
    DepartmentRow(
        "ecology",
        "生态环境局",
        "生态环境局",
        names=tuple((k, f"益阳市生态环境局{v}分局") for k, v in BRANCH_SHORT.items()),
    ),
    DepartmentRow("housing", "住房和城乡建设局", "住建局"),
    DepartmentRow("urban", "城市管理和综合执法局", "城管局"),
    DepartmentRow("transport", "交通运输局", "交通运输局"),
    DepartmentRow("water", "水利局", "水利局"),
    DepartmentRow("agriculture", "农业农村局", "农业农村局"),
    DepartmentRow("forestry", "林业局", "林业局"),
    DepartmentRow("culture", "文化旅游广电体育局", "文旅广体局"),
    DepartmentRow("health", "卫生健康局", "卫健局", names=(("city", "益阳市卫生健康委员会"),)),
    DepartmentRow("emergency", "应急管理局", "应急局"),
    DepartmentRow("market", "市场监督管理局", "市场监管局"),
    DepartmentRow("medical", "医疗保障局", "医保局"),
    DepartmentRow(
        "tax",
        "税务局",
        "税务局",
        names=(
            ("city", "国家税务总局益阳市税务局"),
            ("heshan", "国家税务总局益阳市赫山区税务局"),
            ("ziyang", "国家税务总局益阳市资阳区税务局"),
            ("nanxian", "国家税务总局南县税务局"),
            ("taojiang", "国家税务总局桃江县税务局"),
            ("anhua", "国家税务总局安化县税务局"),
            ("yuanjiang", "国家税务总局沅江市税务局"),
            ("gaoxin", "国家税务总局益阳高新技术产业开发区税务局"),
            ("datonghu", "国家税务总局益阳市大通湖区税务局"),
        ),
    ),
    DepartmentRow("tobacco", "烟草专卖局", "烟草专卖局"),
    DepartmentRow("fire", "消防救援大队", "消防救援", names=(("city", "益阳市消防救援支队"),)),
)

DEPARTMENT_KEYS = tuple(d.key for d in DEPARTMENTS)

# Letters allowed in a USCC (GB 32100 excludes I, O, S, V, Z): one per unit in the organisation code.
_UNIT_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"


def department_name(unit: UnitRow, row: DepartmentRow) -> str:
    overrides = dict(row.names)
    return overrides.get(unit.key, f"{unit.prefix}{row.name}")


def department_uscc(unit_index: int, department_index: int, region6: str) -> str:
    """A 统一社会信用代码 for a government organ (登记管理部门 1 机构编制, 机构类别 1 机关).

    Layout: ``11`` + 6-digit region + 9-character organisation code (``MB1`` + a unit letter + four
    digits + its GB 11714 check character) + the GB 32100 check character, so both checks pass.
    """
    body = f"MB1{_UNIT_LETTERS[unit_index]}{department_index + 1:04d}"
    organisation_code = body + gb11714_check_digit(body)
    partial = f"11{region6}{organisation_code}"
    return partial + uscc.calc_check_digit(partial)


def department_phone(unit: UnitRow, department_index: int) -> str:
    return f"0737-{unit.phone_prefix}{department_index + 1:02d}{(department_index * 37 + 11) % 100:02d}"


def hall_name(unit: UnitRow) -> str:
    return f"{unit.prefix}政务服务中心"


@dataclass(frozen=True)
class WindowRow:
    number: str
    name: str
    window_type: str
    departments: tuple[str, ...]


WINDOWS: tuple[WindowRow, ...] = (
    WindowRow(
        "1", "企业开办综合受理", WindowType.COMPREHENSIVE, ("market", "tax", "police", "hrss", "medical")
    ),
    WindowRow(
        "2",
        "工程建设项目综合受理",
        WindowType.COMPREHENSIVE,
        ("housing", "land", "ecology", "water", "development", "fire", "urban"),
    ),
    WindowRow(
        "3",
        "社会事务综合受理",
        WindowType.COMPREHENSIVE,
        (
            "civil",
            "health",
            "education",
            "culture",
            "transport",
            "agriculture",
            "forestry",
            "emergency",
            "tobacco",
        ),
    ),
    WindowRow("4", "不动产登记专区", WindowType.SPECIAL, ("land", "tax")),
    WindowRow("5", "公安户政专区", WindowType.SPECIAL, ("police",)),
    WindowRow("6", "税务专区", WindowType.SPECIAL, ("tax",)),
    WindowRow("7", "社保医保专区", WindowType.SPECIAL, ("hrss", "medical")),
    WindowRow("8", "跨域通办·帮代办", WindowType.COMPREHENSIVE, ("approval",)),
    WindowRow("9", "自助服务区", WindowType.SELF_SERVICE, ("approval",)),
)


@dataclass(frozen=True)
class StaffRow:
    """A demo account. `scope`: "region" (the unit's region and below), "region_only" (the unit's
    region without its subregions), "department" (the account's own department) or "" (none)."""

    suffix: str  # username = f"{unit key}_{suffix}" unless `username` is given
    full_name: str
    role: str
    department: str  # department key within the unit
    scope: str
    window: str = ""  # window number, for window clerks
    username: str = ""


# Per county-level unit; the names rotate through NAMES so every account has a different name.
COUNTY_STAFF: tuple[StaffRow, ...] = (
    StaffRow("clerk1", "", Role.WINDOW_CLERK, "approval", "region", window="1"),
    StaffRow("clerk2", "", Role.WINDOW_CLERK, "approval", "region", window="3"),
    StaffRow("approver1", "", Role.APPROVER, "market", "department"),
    StaffRow("approver2", "", Role.APPROVER, "housing", "department"),
    # The approval bureau's head maintains the county's catalogue (审改办 role of DOMAIN §2.6).
    StaffRow("head", "", Role.DEPT_HEAD, "approval", "region"),
)

CITY_STAFF: tuple[StaffRow, ...] = (
    StaffRow("clerk1", "", Role.WINDOW_CLERK, "approval", "region_only", window="1"),
    StaffRow("head", "", Role.DEPT_HEAD, "approval", "region_only"),
    StaffRow("supervisor", "", Role.SUPERVISOR, "approval", "region"),
    StaffRow("assessor", "", Role.ASSESSOR, "approval", "region"),
    # 三员: one administrator role per account (三权分立).
    StaffRow("", "", Role.SYSTEM_ADMIN, "approval", "", username="sysadmin"),
    StaffRow("", "", Role.SECURITY_ADMIN, "approval", "", username="secadmin"),
    StaffRow("", "", Role.AUDIT_ADMIN, "approval", "", username="auditadmin"),
)

DEFAULT_PASSWORD = "Zhengwu@2026"
PASSWORD_ENV = "ZHENGWU_DEMO_PASSWORD"

# Illustrative staff names, handed out in order.
NAMES = (
    "刘晓敏",
    "周建军",
    "李婷",
    "胡志刚",
    "曹丽娟",
    "陈海波",
    "罗芳",
    "谭卫东",
    "王静",
    "黄勇",
    "张慧",
    "彭亮",
    "熊燕",
    "文杰",
    "邓丽",
    "肖军",
    "郭婷婷",
    "蒋涛",
    "杨洁",
    "夏明",
    "龚霞",
    "段志强",
    "汤敏",
    "何俊",
    "姚琳",
    "符平",
    "谢颖",
    "丁伟",
    "廖红",
    "莫斌",
    "钟萍",
    "朱磊",
    "吴倩",
    "欧阳辉",
    "卜敏",
    "易飞",
    "贺春兰",
    "戴鹏",
    "刘佳",
    "邹凯",
    "雷雪",
    "向东",
    "唐敏",
    "颜斌",
    "袁芳",
    "田野",
    "龙海燕",
    "梁宇",
)
