"""Demo catalogue for `zhengwu demo`: the service items a county-level unit of 益阳市 implements.

Plain tables, read by `zhengwu.organization.management.commands.demo`. Every row is one catalogue
item (基本目录); the command creates it once per unit listed by `levels` / `exclude`, for the
department named by `department` (a key of `zhengwu.organization.demo_data.DEPARTMENTS`).

Item names, types, departments and the laws cited are real; article numbers, limits, materials and
codes are plausible demo values, not an official 实施清单. Base codes read "<type>-<department>-<n>":
XK 行政许可, QR 行政确认, JF 行政给付, BA 行政备案, GG 公共服务.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

WD = "working_day"
ND = "natural_day"
HOUR = "hour"
IMMEDIATE = "immediate"

ONLINE_URL = "https://zwfw-new.hunan.gov.cn/"
RIGHTS_AND_OBLIGATIONS = (
    "申请人依法享有知情权、陈述权、申辩权；对行政机关作出的决定不服的，有权依法申请行政复议或者提起行政诉讼。"
    "申请人应当如实提交有关材料、反映真实情况，并对申请材料实质内容的真实性负责。"
)


@dataclass(frozen=True)
class Basis:
    document: str
    article: str
    level: str  # law / admin_regulation / local_regulation / rule / normative


def law(document: str, article: str) -> Basis:
    return Basis(document, article, "law")


def regulation(document: str, article: str) -> Basis:
    return Basis(document, article, "admin_regulation")


def local(document: str, article: str) -> Basis:
    return Basis(document, article, "local_regulation")


def rule(document: str, article: str) -> Basis:
    return Basis(document, article, "rule")


def normative(document: str, article: str = "") -> Basis:
    return Basis(document, article, "normative")


@dataclass(frozen=True)
class Mat:
    """申请材料 with its 审查要点 (`review`)."""

    name: str
    review: str
    material_type: str = "original"
    form: str = "both"
    necessity: str = "required"
    source: str = "applicant"
    evidence: str = "C"
    copies: int = 1
    condition: str = ""
    source_note: str = ""


@dataclass(frozen=True)
class StepRow:
    name: str
    limit: int | None
    unit: str = WD
    special: str = ""
    counts: bool = True
    office: str = ""
    handler: str = ""


@dataclass(frozen=True)
class FeeRow:
    name: str
    standard: str
    basis: str
    reducible: bool = False
    reduction_basis: str = ""


@dataclass(frozen=True)
class ItemSpec:
    base_code: str
    name: str
    item_type: str  # key of catalog.ItemType
    department: str  # department key (organization.demo_data.DEPARTMENTS)
    legal: tuple[int, str] | None  # 法定办结时限 (value, unit); None = 无法定时限
    promised: tuple[int, str] | None  # 承诺办结时限; None = 即办件
    depth: int  # 网上办理深度 1–4
    visits: int  # 到办事现场次数
    conditions: str  # 受理条件
    bases: tuple[Basis, ...]
    materials: tuple[Mat, ...]
    steps: tuple[StepRow, ...]
    result: tuple[str, str]  # (result_type, result_name)
    onsite_reason: str = ""
    fees: tuple[FeeRow, ...] = ()
    fee_basis: str = ""
    reform: str = ""  # 证照分离 mode (ReformMode)
    relation: str = ""  # 前置/后置 (LicenseRelation)
    case_kind: str = ""  # default: immediate when `promised` is None, else promised
    levels: tuple[str, ...] = ("county",)  # "county": every county-level unit; "city": 益阳市 itself
    exclude: tuple[str, ...] = ()  # unit keys that do not implement the item
    window: str = ""  # window number in the hall; default: the first window of the department
    joint: str = ""  # 联办机构
    cross_region: bool = False  # 跨域通办 (全市通办)
    self_service: bool = False
    intermediary: str = ""
    legal_note: str = ""
    faqs: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# Materials many items share.
LICENSE = Mat(
    "营业执照",
    "通过电子证照库调取核验，申请人无需提交纸质材料",
    material_type="electronic",
    form="electronic",
    source="government",
    evidence="A",
    copies=0,
    source_note="市场监督管理部门核发",
)
REP_ID = Mat(
    "法定代表人（负责人）身份证件",
    "证件在有效期内，姓名、号码与申请表一致",
    material_type="copy",
    source="government",
    evidence="B",
    source_note="公安机关核发",
)
PERSON_ID = Mat(
    "申请人居民身份证",
    "证件在有效期内，核验人证一致",
    material_type="original_and_copy",
    source="government",
    evidence="B",
    source_note="公安机关核发",
)
PROXY = Mat(
    "授权委托书及受托人身份证件",
    "委托事项、权限和期限明确，委托人签字或者盖章；受托人身份证件在有效期内",
    necessity="conditional",
    condition="委托他人办理的",
)
PREMISES = Mat(
    "经营场所产权证明或者租赁合同",
    "场所地址与申请表一致；租赁合同在有效期内，出租方为产权人或者有权转租",
    material_type="copy",
)
COMMITMENT = Mat(
    "告知承诺书",
    "申请人（法定代表人）签字或者盖章，承诺事项完整、与申请内容一致",
    evidence="D",
    source_note="在政务服务网下载或者窗口领取",
)


def _steps_3(review: str = "审查", decide: str = "决定", total: int = 3) -> tuple[StepRow, ...]:
    return (StepRow("受理", 1), StepRow(review, total - 2), StepRow(decide, 1))


IMMEDIATE_STEPS = (
    StepRow("受理", None, IMMEDIATE),
    StepRow("审核", None, IMMEDIATE),
    StepRow("当场办结", None, IMMEDIATE),
)
ONE_DAY_STEPS = (
    StepRow("受理", 2, HOUR),
    StepRow("审核", 4, HOUR),
    StepRow("核准办结", 2, HOUR),
)

REAL_ESTATE_FEE_BASIS = (
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"
)
SMALL_BUSINESS_RELIEF = "《财政部 国家发展改革委关于减免部分行政事业性收费有关政策的通知》（财税〔2019〕45号）：小微企业免收不动产登记费"
REAL_ESTATE_FEES = (
    FeeRow("不动产登记费（住宅）", "80元/件", REAL_ESTATE_FEE_BASIS, True, SMALL_BUSINESS_RELIEF),
    FeeRow("不动产登记费（非住宅）", "550元/件", REAL_ESTATE_FEE_BASIS, True, SMALL_BUSINESS_RELIEF),
    FeeRow("不动产权属证书工本费", "第一本免费，每增加一本加收10元", REAL_ESTATE_FEE_BASIS),
)
REAL_ESTATE_REGULATION = regulation("《不动产登记暂行条例》", "第三条、第二十条")

ITEMS: tuple[ItemSpec, ...] = (
    # ── 市场监督管理局 ──────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-SC-001",
        "食品经营许可",
        "licensing",
        "market",
        (10, WD),
        (3, WD),
        4,
        0,
        "具有与经营的食品品种、数量相适应的经营场所和设施设备，有专职或者兼职的食品安全管理人员和保证食品安全的规章制度，"
        "具有合理的设备布局和工艺流程。",
        (
            law("《中华人民共和国食品安全法》", "第三十五条"),
            rule("《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）", "第四条、第十条"),
        ),
        (
            Mat(
                "食品经营许可申请书", "经营者名称、经营场所、经营项目填写完整，与营业执照一致；法定代表人签字"
            ),
            LICENSE,
            Mat(
                "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                "平面图标明各功能区域，布局满足生熟分开、防止交叉污染要求",
            ),
            Mat(
                "食品安全管理制度目录",
                "包括从业人员健康管理、进货查验记录、食品安全自查、食品安全事故处置等制度",
            ),
            REP_ID,
            PROXY,
        ),
        (StepRow("受理", 1), StepRow("审查（含现场核查）", 1), StepRow("决定", 1)),
        ("license", "食品经营许可证"),
        reform="optimize",
        relation="post",
        window="1",
        faqs=(
            ("仅销售预包装食品需要办理食品经营许可吗？", "不需要，向所在地县级市场监督管理部门备案即可。"),
        ),
    ),
    ItemSpec(
        "XK-SC-002",
        "食品生产加工小作坊登记",
        "licensing",
        "market",
        (15, WD),
        (5, WD),
        3,
        1,
        "有固定的生产加工场所，与生产加工的食品品种、数量相适应的设备设施，从业人员持有有效健康证明。",
        (
            law("《中华人民共和国食品安全法》", "第三十六条"),
            local("《湖南省食品生产加工小作坊小餐饮和食品摊贩管理条例》", "第九条"),
        ),
        (
            Mat("食品小作坊登记申请表", "生产加工品种、场所地址填写完整，经营者签字"),
            LICENSE,
            Mat("生产加工场所平面图和周边环境说明", "场所周边25米内无污染源，功能分区合理"),
            Mat("主要设备设施清单", "设备与申报品种的生产工艺相适应"),
            Mat(
                "从业人员健康证明", "健康证明在有效期内，覆盖全部直接接触食品的从业人员", material_type="copy"
            ),
        ),
        (StepRow("受理", 1), StepRow("现场核查", 3), StepRow("决定发证", 1)),
        ("license", "食品小作坊登记证"),
        onsite_reason="领取登记证时签订食品安全承诺书",
        relation="post",
        window="1",
    ),
    ItemSpec(
        "XK-SC-003",
        "个体工商户设立登记",
        "licensing",
        "market",
        (3, WD),
        None,
        4,
        0,
        "有经营能力的自然人；经营场所符合规定；经营范围不属于法律、行政法规禁止的行业。",
        (
            regulation("《中华人民共和国市场主体登记管理条例》", "第三条、第十九条"),
            regulation("《促进个体工商户发展条例》", "第九条"),
        ),
        (
            Mat("个体工商户登记（备案）申请书", "经营者签字；名称、经营范围、经营场所填写规范"),
            Mat(
                "经营者身份证件",
                "通过公安人口库在线核验身份",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("经营场所使用承诺", "承诺经营场所真实、合法、可用", evidence="D"),
            PROXY,
        ),
        IMMEDIATE_STEPS,
        ("license", "营业执照"),
        window="1",
        faqs=(("个体工商户必须起名称（字号）吗？", "不必须，个体工商户可以使用名称，也可以不使用名称。"),),
    ),
    ItemSpec(
        "XK-SC-004",
        "企业设立登记",
        "licensing",
        "market",
        (3, WD),
        (1, WD),
        4,
        0,
        "申请材料齐全、符合法定形式；企业名称、住所、经营范围等登记事项符合法律、行政法规规定。",
        (
            law("《中华人民共和国公司法》", "第二十九条"),
            regulation("《中华人民共和国市场主体登记管理条例》", "第十九条"),
        ),
        (
            Mat("公司登记（备案）申请书", "法定代表人签字；登记事项填写完整、准确"),
            Mat("公司章程", "全体股东签字或者盖章；出资额、出资方式、出资期限符合公司法规定"),
            Mat("股东主体资格证明或者自然人身份证件", "股东为单位的核验其营业执照，为自然人的核验身份证件"),
            Mat(
                "法定代表人、董事、监事和高级管理人员的任职文件",
                "任职人员符合公司法规定的任职资格，任命程序符合章程",
            ),
            Mat("住所（经营场所）申报承诺", "承诺住所真实、合法、可用", evidence="D"),
        ),
        ONE_DAY_STEPS,
        ("license", "营业执照"),
        window="1",
    ),
    ItemSpec(
        "XK-SC-005",
        "药品零售企业许可",
        "licensing",
        "market",
        (20, WD),
        (7, WD),
        3,
        1,
        "具有依法经过资格认定的药师或者其他药学技术人员；具有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；"
        "具有与所经营药品相适应的质量管理机构或者人员；具有保证药品质量的规章制度。",
        (
            law("《中华人民共和国药品管理法》", "第五十一条、第五十二条"),
            rule("《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）", "第十二条"),
        ),
        (
            Mat("药品经营许可证申请表", "经营范围、经营方式、质量负责人填写完整；法定代表人签字"),
            LICENSE,
            Mat(
                "执业药师注册证及身份证件",
                "执业药师注册单位与申请企业一致，注册在有效期内",
                material_type="copy",
                evidence="B",
            ),
            Mat("营业场所、仓库平面布置图及房屋产权或者使用权证明", "营业面积符合湖南省药品零售企业验收标准"),
            Mat("药品质量管理文件及主要设施设备目录", "覆盖药品采购、验收、储存、销售、不良反应报告等环节"),
            PROXY,
        ),
        (StepRow("受理", 1), StepRow("材料审查", 2), StepRow("现场检查", 3), StepRow("审批发证", 1)),
        ("license", "药品经营许可证"),
        onsite_reason="领取《药品经营许可证》纸质正副本",
        reform="optimize",
        relation="post",
        window="1",
    ),
    ItemSpec(
        "XK-SC-006",
        "特种设备使用登记",
        "licensing",
        "market",
        (15, WD),
        (3, WD),
        4,
        0,
        "特种设备经监督检验合格，使用单位配备相应的安全管理人员和作业人员。",
        (
            law("《中华人民共和国特种设备安全法》", "第三十三条"),
            regulation("《特种设备安全监察条例》", "第二十五条"),
        ),
        (
            Mat("特种设备使用登记表", "设备代码、使用地点填写准确，使用单位盖章", copies=2),
            LICENSE,
            Mat("特种设备产品合格证（含产品数据表）", "设备型号、编号与登记表一致", material_type="copy"),
            Mat(
                "特种设备监督检验证明",
                "检验结论为合格，检验机构具备相应资质",
                material_type="copy",
                source="intermediary",
            ),
        ),
        _steps_3("审核", "发证"),
        ("license", "特种设备使用登记证"),
        window="3",
    ),
    # ── 烟草专卖局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-YC-001",
        "烟草专卖零售许可证核发",
        "licensing",
        "tobacco",
        (20, WD),
        (10, WD),
        3,
        0,
        "有与经营烟草制品零售业务相适应的资金；有固定的经营场所；符合当地烟草制品零售点合理布局的要求。",
        (
            law("《中华人民共和国烟草专卖法》", "第十六条"),
            regulation("《中华人民共和国烟草专卖法实施条例》", "第十一条"),
        ),
        (
            Mat("烟草专卖零售许可证申请表", "经营地址、经营者信息填写完整，经营者签字"),
            LICENSE,
            REP_ID,
            PREMISES,
        ),
        (StepRow("受理", 1), StepRow("实地核查", 5), StepRow("审批", 3), StepRow("发证", 1)),
        ("license", "烟草专卖零售许可证"),
        reform="optimize",
        relation="post",
    ),
    # ── 卫生健康局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-WJ-001",
        "公共场所卫生许可",
        "licensing",
        "health",
        (20, WD),
        (3, WD),
        4,
        0,
        "公共场所的选址、设计、装修符合卫生要求，具有相应的卫生设施和卫生管理制度，从业人员持有有效健康合格证明。",
        (
            regulation("《公共场所卫生管理条例》", "第八条"),
            rule("《公共场所卫生管理条例实施细则》（原卫生部令第80号）", "第二十二条"),
        ),
        (
            Mat("公共场所卫生许可申请表", "场所名称、地址、经营项目填写完整；法定代表人签字"),
            LICENSE,
            COMMITMENT,
            Mat("公共场所平面图和卫生设施平面布局图", "标明消毒间、布草间等卫生设施位置"),
            Mat(
                "公共场所卫生检测（评价）报告",
                "检测项目覆盖空气、微小气候、水质等指标，结论为合格",
                necessity="deferrable",
                source="intermediary",
                condition="告知承诺方式办理的，可在取证后30日内补交",
            ),
        ),
        (StepRow("受理", 1), StepRow("审查", 1), StepRow("决定", 1)),
        ("license", "公共场所卫生许可证"),
        reform="commitment",
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-WJ-002",
        "医疗机构执业登记",
        "licensing",
        "health",
        (45, ND),
        (20, ND),
        3,
        1,
        "按照设置审批或者备案要求完成建设，符合医疗机构基本标准，有适合的名称、组织机构和场所，有与其开展的业务相适应的经费、"
        "设施、设备和专业卫生技术人员，有相应的规章制度。",
        (
            regulation("《医疗机构管理条例》", "第十五条、第十七条"),
            rule("《医疗机构管理条例实施细则》", "第二十五条"),
        ),
        (
            Mat("医疗机构申请执业登记注册书", "科目设置、床位数与设置批准书一致；法定代表人签字"),
            Mat(
                "设置医疗机构批准书或者备案回执",
                "在有效期内，机构名称、地址与申请一致",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat("医疗机构用房产权证明或者使用证明", "用房面积满足基本标准", material_type="copy"),
            Mat("医疗机构建筑设计平面图", "标明各诊疗科室、医技科室布局"),
            Mat("医疗机构规章制度", "包括医疗质量安全核心制度、感染防控制度等"),
            Mat(
                "法定代表人、主要负责人及各科室负责人名录和执业证书",
                "执业注册地点与申请机构一致",
                material_type="copy",
                evidence="B",
            ),
        ),
        (
            StepRow("受理", 1, ND),
            StepRow("材料审查", 5, ND),
            StepRow("现场审查", 10, ND),
            StepRow("审批发证", 4, ND),
        ),
        ("license", "医疗机构执业许可证"),
        onsite_reason="核验原件并领取《医疗机构执业许可证》正副本",
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-WJ-003",
        "护士执业注册",
        "licensing",
        "health",
        (20, WD),
        (5, WD),
        4,
        0,
        "具有完全民事行为能力；完成规定的护理专业学习并取得相应学历；通过国务院卫生主管部门组织的护士执业资格考试；"
        "符合规定的健康标准。",
        (
            regulation("《护士条例》", "第七条、第八条"),
            rule("《护士执业注册管理办法》", "第七条"),
        ),
        (
            Mat("护士执业注册申请审核表", "拟执业机构意见栏已盖章"),
            PERSON_ID,
            Mat(
                "学历证书及专业学习中的临床实习证明",
                "学历经学信网核验，临床实习满8个月",
                material_type="copy",
            ),
            Mat(
                "护士执业资格考试成绩合格证明",
                "通过考试系统在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("健康体检证明", "申请前6个月内二级以上医疗机构出具", source="other"),
        ),
        _steps_3("审核", total=5),
        ("license", "护士执业证书（电子证照）"),
        window="3",
    ),
    ItemSpec(
        "GG-WJ-001",
        "出生医学证明签发",
        "public_service",
        "health",
        None,
        None,
        2,
        1,
        "在本辖区助产机构出生的新生儿，父母身份信息齐全。",
        (
            law("《中华人民共和国母婴保健法》", "第二十三条"),
            normative("《湖南省出生医学证明管理办法》", "第八条"),
        ),
        (
            Mat(
                "新生儿父母居民身份证", "核验父母身份，与分娩记录一致", material_type="original", evidence="B"
            ),
            Mat("出生医学证明自填单", "新生儿姓名、父母信息填写准确，父母签字"),
            Mat(
                "新生儿分娩记录",
                "由助产机构病案系统调取核对",
                material_type="electronic",
                form="electronic",
                source="other",
                evidence="A",
                copies=0,
                source_note="助产机构提供",
            ),
        ),
        IMMEDIATE_STEPS,
        ("license", "出生医学证明"),
        onsite_reason="父母一方持身份证件到助产机构核对信息并领取证明",
        window="3",
    ),
    ItemSpec(
        "GG-WJ-002",
        "生育登记服务",
        "public_service",
        "health",
        None,
        None,
        4,
        0,
        "夫妻双方或者一方户籍、居住地在本辖区。",
        (
            law("《中华人民共和国人口与计划生育法》", "第十八条"),
            local("《湖南省人口与计划生育条例》", "第十九条"),
        ),
        (
            Mat(
                "生育登记信息表",
                "夫妻双方姓名、证件号码、生育子女数填写准确",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat(
                "夫妻双方居民身份证",
                "通过公安人口库在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "结婚证",
                "在线核验婚姻登记信息",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="已办理结婚登记的",
            ),
        ),
        IMMEDIATE_STEPS,
        ("filing", "生育服务登记回执"),
        window="3",
    ),
    # ── 交通运输局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-JT-001",
        "道路旅客运输经营许可",
        "licensing",
        "transport",
        (20, WD),
        (10, WD),
        3,
        1,
        "有与经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。",
        (
            regulation("《中华人民共和国道路运输条例》", "第八条、第十条"),
            rule("《道路旅客运输及客运站管理规定》（交通运输部令2020年第17号）", "第十二条"),
        ),
        (
            Mat("道路旅客运输经营申请表", "经营范围、经营区域填写准确；法定代表人签字"),
            REP_ID,
            Mat(
                "已聘用或者拟聘用驾驶人员的机动车驾驶证、从业资格证",
                "驾驶证准驾车型相符，从业资格证在有效期内",
                material_type="copy",
                evidence="B",
            ),
            Mat("拟投入车辆承诺书", "车辆数量、类型及技术等级与申请一致", evidence="D"),
            Mat("安全生产管理制度文本", "包括安全生产责任制、操作规程、应急预案等"),
            PROXY,
        ),
        (StepRow("受理", 1), StepRow("审查", 5), StepRow("决定", 3), StepRow("发证", 1)),
        ("license", "道路运输经营许可证"),
        onsite_reason="领取《道路运输经营许可证》并核验原件",
        levels=("county", "city"),
    ),
    ItemSpec(
        "XK-JT-002",
        "道路货物运输经营许可",
        "licensing",
        "transport",
        (20, WD),
        (3, WD),
        4,
        0,
        "有与经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。"
        "使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请。",
        (
            regulation("《中华人民共和国道路运输条例》", "第二十一条、第二十四条"),
            rule("《道路货物运输及站场管理规定》", "第八条"),
        ),
        (
            Mat("道路货物运输经营申请表", "经营范围填写准确；负责人签字"),
            REP_ID,
            Mat("拟投入车辆承诺书", "车辆类型、技术等级与申请一致", evidence="D"),
            Mat("驾驶人员从业资格证", "从业资格类别为道路货物运输", material_type="copy", evidence="B"),
            Mat("安全生产管理制度文本", "包括安全生产责任制、车辆动态监控制度等"),
        ),
        _steps_3(),
        ("license", "道路运输经营许可证"),
        reform="optimize",
        relation="post",
    ),
    ItemSpec(
        "XK-JT-003",
        "道路运输从业人员从业资格证核发",
        "licensing",
        "transport",
        (10, WD),
        (5, WD),
        3,
        1,
        "取得相应的机动车驾驶证；年龄不超过60周岁；3年内无重大以上交通责任事故；经考试合格。",
        (
            regulation("《中华人民共和国道路运输条例》", "第九条、第二十二条"),
            rule("《道路运输从业人员管理规定》", "第十二条"),
        ),
        (
            Mat("道路运输从业人员从业资格考试申请表", "申请类别填写准确，本人签字"),
            PERSON_ID,
            Mat(
                "机动车驾驶证",
                "准驾车型与申请类别相符",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat("近3年内无重大以上交通责任事故的承诺", "本人签字", evidence="D"),
        ),
        (StepRow("受理", 1), StepRow("资格审核", 2), StepRow("考试", 1), StepRow("发证", 1)),
        ("license", "道路运输从业人员从业资格证"),
        onsite_reason="本人参加从业资格考试",
    ),
    ItemSpec(
        "BA-JT-001",
        "机动车驾驶员培训备案",
        "filing",
        "transport",
        None,
        (5, WD),
        4,
        0,
        "已依法办理市场主体登记；有与培训业务相适应的教学人员、教学车辆和教学场地。",
        (
            regulation("《中华人民共和国道路运输条例》", "第三十九条"),
            rule("《机动车驾驶员培训管理规定》（交通运输部令2022年第32号）", "第十五条"),
        ),
        (
            Mat("机动车驾驶员培训备案表", "培训类型、教学场地地址填写准确"),
            LICENSE,
            Mat("教学场地使用权证明", "场地面积符合培训类型要求", material_type="copy"),
            Mat(
                "教学车辆行驶证",
                "车辆为教练车，检验合格",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat("教练员名册及其从业资格证明", "教练员人数与教学车辆相适应"),
        ),
        (StepRow("受理", 1), StepRow("审核", 3), StepRow("备案", 1)),
        ("filing", "机动车驾驶员培训备案证明"),
        reform="approval_to_filing",
    ),
    ItemSpec(
        "XK-JT-004",
        "网络预约出租汽车经营许可",
        "licensing",
        "transport",
        (20, WD),
        (10, WD),
        3,
        1,
        "具有企业法人资格；具备开展网约车经营的互联网平台和与拟开展业务相适应的信息数据交互及处理能力；"
        "在服务所在地有相应服务机构及服务能力。",
        (
            regulation(
                "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）", "附件第112项"
            ),
            rule("《网络预约出租汽车经营服务管理暂行办法》", "第五条、第七条"),
        ),
        (
            Mat("网络预约出租汽车经营申请表", "法定代表人签字；服务区域填写准确"),
            LICENSE,
            Mat(
                "线上服务能力认定结果",
                "由企业注册地省级交通运输主管部门出具",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat("服务所在地办公场所、管理人员等线下服务能力材料", "办公场所权属清晰，负责人已明确"),
            Mat("经营管理制度、安全生产管理制度和服务质量保障制度文本", "制度完整，与网约车经营相适应"),
        ),
        (StepRow("受理", 1), StepRow("审查", 6), StepRow("决定", 2), StepRow("发证", 1)),
        ("license", "网络预约出租汽车经营许可证"),
        onsite_reason="提交线下服务能力材料原件核验",
        levels=("city",),
    ),
    ItemSpec(
        "XK-JT-005",
        "船舶营业运输证配发",
        "licensing",
        "transport",
        (10, WD),
        (3, WD),
        3,
        1,
        "已取得国内水路运输经营许可；船舶经检验合格，持有有效的船舶国籍证书和检验证书。",
        (
            regulation("《国内水路运输管理条例》", "第十二条"),
            rule("《国内水路运输管理规定》（交通运输部令2020年第4号）", "第二十条"),
        ),
        (
            Mat("船舶营业运输证申请表", "船名、船舶识别号填写准确"),
            Mat(
                "水路运输经营许可证",
                "在有效期内，经营范围涵盖申请船舶的航区和类型",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat(
                "船舶所有权登记证书",
                "所有人与申请人一致",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat(
                "船舶检验证书", "在有效期内，航区、用途与申请一致", material_type="copy", source="government"
            ),
        ),
        _steps_3("审核", "发证"),
        ("license", "船舶营业运输证"),
        onsite_reason="船舶所有人或者经营人核验原件并领取证件",
        exclude=("gaoxin",),
    ),
    # ── 住房和城乡建设局 ────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-ZJ-001",
        "建筑工程施工许可证核发",
        "licensing",
        "housing",
        (7, WD),
        (3, WD),
        4,
        0,
        "已办理用地批准手续，已取得建设工程规划许可证，已确定施工企业，有满足施工需要的技术资料，建设资金已经落实。",
        (
            law("《中华人民共和国建筑法》", "第七条、第八条"),
            rule("《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）", "第四条、第五条"),
        ),
        (
            Mat("建筑工程施工许可申请表", "项目名称、建设规模与规划许可一致；建设单位盖章"),
            Mat(
                "建设工程规划许可证",
                "通过工程建设项目审批管理系统共享核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("中标通知书及施工合同", "施工企业具备相应资质，合同已签订", material_type="copy"),
            Mat("施工图设计文件审查合格书", "审查结论为合格", material_type="copy", source="intermediary"),
            Mat("建设资金已经落实承诺书", "建设单位盖章", evidence="D"),
            Mat(
                "工程质量安全监督手续",
                "在线核验监督登记信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        _steps_3("审查", "决定发证"),
        ("license", "建筑工程施工许可证"),
        window="2",
    ),
    ItemSpec(
        "XK-ZJ-002",
        "建筑业企业资质核准",
        "licensing",
        "housing",
        (20, WD),
        (10, WD),
        4,
        0,
        "企业净资产、主要人员、技术装备和已完成工程业绩符合《建筑业企业资质标准》规定的相应等级条件。",
        (
            law("《中华人民共和国建筑法》", "第十三条"),
            rule("《建筑业企业资质管理规定》（住房和城乡建设部令第22号）", "第十条"),
        ),
        (
            Mat("建筑业企业资质申请表", "申请资质类别、等级填写准确；法定代表人签字"),
            LICENSE,
            Mat("企业主要人员证明材料", "注册建造师、技术负责人等人员社保缴纳单位与申请企业一致"),
            Mat("资质标准要求的告知承诺书", "承诺内容完整", evidence="D"),
        ),
        (
            StepRow("受理", 1),
            StepRow("审查", 6),
            StepRow("专家评审", 5, special="expert_review", counts=False),
            StepRow("决定公示", 3),
        ),
        ("license", "建筑业企业资质证书"),
        reform="commitment",
        relation="post",
        levels=("city",),
        window="2",
        legal_note="专家评审时间不计入法定时限",
    ),
    ItemSpec(
        "XK-ZJ-003",
        "房地产开发企业资质核定",
        "licensing",
        "housing",
        (20, WD),
        (10, WD),
        4,
        0,
        "有符合规定的专业管理人员，有健全的质量管理制度，近年房地产开发业绩符合相应资质等级要求。",
        (
            law("《中华人民共和国城市房地产管理法》", "第三十条"),
            regulation("《城市房地产开发经营管理条例》", "第九条"),
        ),
        (
            Mat("房地产开发企业资质申请表", "法定代表人签字，企业盖章"),
            LICENSE,
            Mat("专业管理人员的职称证书和劳动合同", "人员数量和专业符合资质标准", material_type="copy"),
            Mat("企业质量管理制度文本", "包括质量保证体系和售后服务制度"),
            COMMITMENT,
        ),
        (StepRow("受理", 1), StepRow("审查", 6), StepRow("决定", 3)),
        ("license", "房地产开发企业资质证书"),
        reform="commitment",
        relation="post",
        levels=("city",),
        window="2",
    ),
    ItemSpec(
        "XK-ZJ-004",
        "商品房预售许可",
        "licensing",
        "housing",
        (10, WD),
        (5, WD),
        3,
        1,
        "已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证和施工许可证；投入开发建设的资金达到工程建设"
        "总投资的25%以上，并已确定施工进度和竣工交付日期。",
        (
            law("《中华人民共和国城市房地产管理法》", "第四十五条"),
            rule("《城市商品房预售管理办法》（建设部令第131号）", "第五条、第七条"),
        ),
        (
            Mat("商品房预售许可申请表", "预售楼栋、面积与规划许可一致"),
            Mat(
                "不动产权证书（国有建设用地使用权）",
                "在线核验权属信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "建设工程规划许可证和建筑工程施工许可证",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "投入开发建设资金达到总投资25%以上的证明",
                "监理单位出具工程形象进度证明",
                source="intermediary",
            ),
            Mat("商品房预售方案", "包括房屋坐落、面积、预售价格备案、交付日期等"),
            Mat("商品房预售资金监管协议", "已与监管银行签订", material_type="copy"),
        ),
        (StepRow("受理", 1), StepRow("审查（含现场查勘）", 3), StepRow("决定发证", 1)),
        ("license", "商品房预售许可证"),
        onsite_reason="开发企业领取《商品房预售许可证》",
        window="2",
    ),
    ItemSpec(
        "XK-ZJ-005",
        "二级建造师执业资格注册",
        "licensing",
        "housing",
        (20, WD),
        (5, WD),
        4,
        0,
        "取得二级建造师资格证书；受聘于一个具有建设工程勘察、设计、施工、监理、招标代理、造价咨询等资质的企业；"
        "达到继续教育要求。县级住房城乡建设部门初审后报省住房城乡建设厅审批。",
        (
            law("《中华人民共和国建筑法》", "第十四条"),
            rule("《注册建造师管理规定》（建设部令第153号）", "第七条"),
        ),
        (
            Mat("二级建造师注册申请表", "注册专业、聘用企业填写准确，本人及企业签章"),
            Mat(
                "二级建造师资格证书",
                "在线核验资格信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("与聘用企业签订的劳动合同", "合同在有效期内", material_type="copy"),
            Mat(
                "聘用企业社会保险缴纳证明",
                "通过人社部门数据共享核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("初审", 3), StepRow("上报", 1)),
        ("license", "二级建造师注册证书（电子证照）"),
        case_kind="referred_up",
        window="2",
    ),
    ItemSpec(
        "XK-ZJ-006",
        "城镇污水排入排水管网许可",
        "licensing",
        "housing",
        (15, WD),
        (5, WD),
        3,
        0,
        "排放口设置、预处理设施和检测井符合规定，排放的污水符合国家或者地方规定的有关排放标准。",
        (
            regulation("《城镇排水与污水处理条例》", "第二十一条"),
            rule("《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）", "第五条"),
        ),
        (
            Mat("城镇污水排入排水管网许可申请表", "排水户名称、排水量、排放口位置填写准确"),
            LICENSE,
            Mat("排水户内部排水管网、专用检测井、污水排放口位置和口径图纸及说明", "雨污分流，检测井设置规范"),
            Mat("排水水质检测报告", "检测机构具备资质，结论符合排放标准", source="intermediary"),
        ),
        (StepRow("受理", 1), StepRow("审查（含现场核查）", 3), StepRow("决定", 1)),
        ("license", "城镇污水排入排水管网许可证"),
        reform="optimize",
        relation="post",
        window="2",
    ),
    ItemSpec(
        "BA-ZJ-001",
        "房屋建筑和市政基础设施工程竣工验收备案",
        "filing",
        "housing",
        None,
        (5, WD),
        4,
        0,
        "工程已组织竣工验收并验收合格，规划、消防等专项验收已完成。",
        (
            regulation("《建设工程质量管理条例》", "第四十九条"),
            rule("《房屋建筑和市政基础设施工程竣工验收备案管理办法》", "第四条"),
        ),
        (
            Mat("工程竣工验收备案表", "建设、勘察、设计、施工、监理单位盖章齐全"),
            Mat("工程竣工验收报告", "验收结论明确，参验单位签字"),
            Mat(
                "规划、消防等部门出具的认可文件或者准许使用文件",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("施工单位签署的工程质量保修书", "保修范围和期限符合规定"),
            Mat(
                "住宅质量保证书和住宅使用说明书",
                "内容符合规定",
                necessity="conditional",
                condition="商品住宅工程",
            ),
        ),
        (StepRow("受理", 1), StepRow("审核", 3), StepRow("备案", 1)),
        ("filing", "工程竣工验收备案证明"),
        window="2",
    ),
    ItemSpec(
        "XK-ZJ-007",
        "燃气经营许可证核发",
        "licensing",
        "housing",
        (20, WD),
        (10, WD),
        3,
        1,
        "符合燃气发展规划要求；有符合国家标准的燃气气源和燃气设施；有固定的经营场所、完善的安全管理制度和健全的经营方案；"
        "企业的主要负责人、安全生产管理人员以及运行、维护和抢修人员经专业培训并考核合格。",
        (
            regulation("《城镇燃气管理条例》", "第十五条"),
            normative("《燃气经营许可管理办法》（建城规〔2019〕2号）", "第三条"),
        ),
        (
            Mat("燃气经营许可申请书", "经营区域、经营类别填写准确"),
            LICENSE,
            Mat(
                "主要负责人、安全生产管理人员及运行维护抢修人员考核合格证书",
                "证书在有效期内，人数满足要求",
                material_type="copy",
                evidence="B",
            ),
            Mat("燃气设施建设工程竣工验收文件", "验收结论为合格", material_type="copy"),
            Mat("气源证明及供气协议", "供气协议在有效期内", material_type="copy"),
            Mat("安全管理制度和经营方案", "包括安全生产责任制、应急预案"),
        ),
        (StepRow("受理", 1), StepRow("材料审查", 3), StepRow("现场核查", 4), StepRow("决定发证", 2)),
        ("license", "燃气经营许可证"),
        onsite_reason="领取《燃气经营许可证》并签订安全生产承诺书",
        relation="post",
        window="2",
    ),
    # ── 城市管理和综合执法局 ────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-CG-001",
        "城市建筑垃圾处置核准",
        "licensing",
        "urban",
        (20, WD),
        (3, WD),
        4,
        0,
        "有建筑垃圾分类处置方案和废弃混凝土、金属、木材等回收利用方案；已与符合规定的运输单位签订运输合同；"
        "消纳场所符合规定。",
        (
            regulation(
                "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）", "附件第101项"
            ),
            rule("《城市建筑垃圾管理规定》（建设部令第139号）", "第七条"),
        ),
        (
            Mat("城市建筑垃圾处置核准申请表", "工程名称、建筑垃圾产生量填写准确"),
            Mat("建筑垃圾处置方案", "明确运输路线、运输时间和消纳场所"),
            Mat("与运输单位签订的运输合同", "运输单位车辆已取得准运手续", material_type="copy"),
            Mat("消纳场所证明材料", "消纳场所容量满足要求", material_type="copy"),
            LICENSE,
        ),
        _steps_3(),
        ("license", "城市建筑垃圾处置核准证"),
        window="2",
    ),
    ItemSpec(
        "XK-CG-002",
        "户外广告设施设置许可",
        "licensing",
        "urban",
        (20, WD),
        (5, WD),
        3,
        0,
        "符合户外广告设置规划和技术规范，设施结构安全，不影响市容市貌和交通安全。",
        (
            law("《中华人民共和国广告法》", "第四十一条"),
            regulation("《城市市容和环境卫生管理条例》", "第十一条"),
        ),
        (
            Mat("户外广告设施设置申请表", "设置地点、规格、期限填写准确"),
            Mat("设置场地使用权证明", "场地权属清晰，使用期限覆盖设置期限", material_type="copy"),
            Mat("广告设施设计图、效果图及结构安全说明", "大型设施附结构安全计算书"),
            LICENSE,
        ),
        (StepRow("受理", 1), StepRow("审查（含现场勘查）", 3), StepRow("决定", 1)),
        ("license", "户外广告设施设置许可决定书"),
        window="2",
    ),
    ItemSpec(
        "XK-CG-003",
        "占用挖掘城市道路审批",
        "licensing",
        "urban",
        (20, WD),
        (5, WD),
        3,
        1,
        "因特殊情况确需临时占用城市道路或者因工程建设确需挖掘城市道路，且有施工方案和交通组织方案。",
        (
            regulation("《城市道路管理条例》", "第三十条、第三十一条"),
            local("《湖南省城市综合管理条例》", "第二十九条"),
        ),
        (
            Mat("占用、挖掘城市道路申请表", "占用位置、面积、期限填写准确"),
            Mat("施工方案及占用、挖掘平面图", "标明占挖范围、围挡和安全设施"),
            Mat(
                "城市规划部门批准文件",
                "在线核验规划许可信息",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="因工程建设挖掘城市道路的",
            ),
            Mat("交通组织方案", "经公安交通管理部门会审"),
            Mat("恢复原状承诺书", "承诺按期恢复道路原状", evidence="D"),
        ),
        (StepRow("受理", 1), StepRow("联合审查", 3), StepRow("决定", 1)),
        ("approval_document", "占用挖掘城市道路许可决定书"),
        onsite_reason="现场确认占挖范围并签订道路恢复承诺",
        case_kind="joint",
        joint="公安机关交通管理部门",
        window="2",
    ),
    ItemSpec(
        "XK-CG-004",
        "临时占用绿地审批",
        "licensing",
        "urban",
        (20, WD),
        (5, WD),
        3,
        0,
        "因建设或者其他特殊需要确需临时占用城市绿化用地，占用期限不超过一年并承诺期满恢复原状。",
        (
            regulation("《城市绿化条例》", "第二十条"),
            local("《湖南省城市综合管理条例》", "第三十五条"),
        ),
        (
            Mat("临时占用城市绿地申请表", "占用位置、面积、期限填写准确"),
            Mat("占用绿地位置图及面积说明", "标明占用范围及现有树木情况"),
            Mat("绿地恢复方案及承诺书", "恢复标准不低于原状", evidence="D"),
            LICENSE,
        ),
        (StepRow("受理", 1), StepRow("现场勘查", 3), StepRow("决定", 1)),
        ("approval_document", "临时占用城市绿地许可决定书"),
        window="2",
    ),
    # ── 自然资源局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-ZR-001",
        "建设工程规划许可证核发",
        "licensing",
        "land",
        (20, WD),
        (5, WD),
        3,
        0,
        "已取得建设用地使用权，建设工程设计方案符合控制性详细规划和规划条件。",
        (
            law("《中华人民共和国城乡规划法》", "第四十条"),
            local("《湖南省实施〈中华人民共和国城乡规划法〉办法》", "第二十九条"),
        ),
        (
            Mat("建设工程规划许可申请表", "项目名称、建设规模与立项文件一致"),
            Mat(
                "建设用地使用权证明",
                "在线核验不动产登记信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("建设工程设计方案总平面图及设计方案文本", "各项技术指标符合规划条件"),
            Mat(
                "建设工程设计方案电子报批文件",
                "符合电子报批数据标准",
                material_type="electronic",
                form="electronic",
            ),
        ),
        (
            StepRow("受理", 1),
            StepRow("方案审查", 2),
            StepRow("专家评审", 5, special="expert_review", counts=False),
            StepRow("决定发证", 2),
        ),
        ("license", "建设工程规划许可证"),
        levels=("county", "city"),
        window="2",
        legal_note="方案专家评审时间不计入法定时限",
    ),
    ItemSpec(
        "XK-ZR-002",
        "建设用地规划许可证核发",
        "licensing",
        "land",
        (20, WD),
        (5, WD),
        4,
        0,
        "建设项目已依法批准、核准或者备案，用地符合国土空间规划。",
        (
            law("《中华人民共和国城乡规划法》", "第三十七条、第三十八条"),
            normative(
                "《自然资源部关于以“多规合一”为基础推进规划用地“多审合一、多证合一”改革的通知》（自然资规〔2019〕2号）",
                "第二条",
            ),
        ),
        (
            Mat("建设用地规划许可申请表", "用地位置、面积填写准确"),
            Mat(
                "建设项目批准、核准或者备案文件",
                "在线核验投资项目在线审批监管平台信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "国有建设用地使用权出让合同",
                "合同已签订，出让价款已缴清",
                material_type="copy",
                necessity="conditional",
                condition="以出让方式取得国有建设用地使用权的",
            ),
            Mat("宗地红线图", "坐标、面积与出让合同或者划拨决定一致", source="government", evidence="A"),
        ),
        (StepRow("受理", 1), StepRow("审查", 3), StepRow("决定", 1)),
        ("license", "建设用地规划许可证"),
        window="2",
    ),
    ItemSpec(
        "XK-ZR-003",
        "乡村建设规划许可证核发",
        "licensing",
        "land",
        (20, WD),
        (10, WD),
        3,
        1,
        "在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设以及农村村民住宅建设，符合村庄规划。",
        (
            law("《中华人民共和国城乡规划法》", "第四十一条"),
            local("《湖南省实施〈中华人民共和国城乡规划法〉办法》", "第三十四条"),
        ),
        (
            Mat("乡村建设规划许可申请表", "建设位置、层数、面积填写准确，本人签字"),
            PERSON_ID,
            Mat(
                "宅基地批准文件或者土地使用权属证明",
                "权属清晰、无争议",
                material_type="copy",
                source="government",
            ),
            Mat("建设工程设计图或者农房通用图", "层数不超过三层，符合村庄风貌要求"),
            Mat("村民委员会意见", "经村民委员会签署意见并公示", source="other"),
        ),
        (
            StepRow("受理", 1, office="乡镇（街道）便民服务中心"),
            StepRow("乡镇初审", 4),
            StepRow("现场踏勘", 3),
            StepRow("审批发证", 2),
        ),
        ("license", "乡村建设规划许可证"),
        onsite_reason="村民本人到乡镇（街道）便民服务中心提交申请并核验身份",
        exclude=("gaoxin",),
        window="2",
    ),
    ItemSpec(
        "QR-ZR-001",
        "不动产首次登记",
        "confirmation",
        "land",
        (30, WD),
        (5, WD),
        3,
        1,
        "不动产权属来源合法，已依法办理规划核实和竣工验收，申请材料齐全、符合法定形式。",
        (
            law("《中华人民共和国民法典》", "第二百零九条"),
            REAL_ESTATE_REGULATION,
            rule("《不动产登记暂行条例实施细则》", "第二十四条"),
        ),
        (
            Mat("不动产登记申请书", "申请人签字或者盖章，不动产坐落、面积填写准确"),
            Mat(
                "申请人身份证明",
                "核验人证一致",
                material_type="original_and_copy",
                source="government",
                evidence="B",
            ),
            Mat(
                "土地权属来源材料",
                "在线核验不动产登记簿",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "建设工程符合规划及竣工验收材料",
                "在线核验规划核实和竣工验收备案信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("房地产调查或者测绘报告", "测绘成果经审核入库", source="intermediary"),
        ),
        (StepRow("受理", 1), StepRow("审核（含实地查看）", 2), StepRow("登簿", 1), StepRow("缮证发证", 1)),
        ("license", "不动产权证书"),
        onsite_reason="申请人到场核验身份并签署询问笔录",
        fees=REAL_ESTATE_FEES,
        fee_basis=REAL_ESTATE_FEE_BASIS,
        window="4",
    ),
    ItemSpec(
        "QR-ZR-002",
        "不动产转移登记",
        "confirmation",
        "land",
        (30, WD),
        (3, WD),
        3,
        1,
        "不动产已办理首次登记，因买卖、赠与、继承等原因导致权利发生转移，税费已缴纳。",
        (
            law("《中华人民共和国民法典》", "第二百零九条"),
            REAL_ESTATE_REGULATION,
            rule("《不动产登记暂行条例实施细则》", "第三十八条"),
        ),
        (
            Mat("不动产登记申请书", "转让方和受让方签字或者盖章"),
            Mat(
                "双方身份证明",
                "核验人证一致",
                material_type="original_and_copy",
                source="government",
                evidence="B",
            ),
            Mat(
                "不动产权属证书",
                "权属证书与登记簿一致，无查封、异议登记",
                material_type="original",
                source="government",
                evidence="A",
            ),
            Mat("买卖合同、赠与合同或者继承证明等权属转移材料", "合同已网签备案或者经公证"),
            Mat(
                "完税凭证",
                "通过税务部门数据共享核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("审核", 1), StepRow("登簿缮证", 1)),
        ("license", "不动产权证书"),
        onsite_reason="转让方和受让方到场核验身份并签署询问笔录",
        fees=REAL_ESTATE_FEES,
        fee_basis=REAL_ESTATE_FEE_BASIS,
        window="4",
        cross_region=True,
        faqs=(
            ("二手房交易和缴税可以一窗办理吗？", "可以。不动产登记专区一窗受理，登记与税费缴纳并行办理。"),
        ),
    ),
    ItemSpec(
        "QR-ZR-003",
        "不动产抵押权登记",
        "confirmation",
        "land",
        (30, WD),
        (1, WD),
        4,
        0,
        "以依法可以抵押的不动产设立抵押权，主债权合同和抵押合同已签订。",
        (
            law("《中华人民共和国民法典》", "第四百零二条"),
            REAL_ESTATE_REGULATION,
            rule("《不动产登记暂行条例实施细则》", "第六十五条"),
        ),
        (
            Mat("不动产登记申请书", "抵押人和抵押权人签字或者盖章"),
            Mat(
                "双方身份证明",
                "通过银行端在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="B",
                copies=0,
            ),
            Mat(
                "不动产权属证书",
                "在线核验不动产登记簿",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("主债权合同", "债权数额、债务履行期限明确", material_type="electronic", form="electronic"),
            Mat("抵押合同", "抵押财产范围与权属证书一致", material_type="electronic", form="electronic"),
        ),
        ONE_DAY_STEPS,
        ("license", "不动产登记证明"),
        fees=(
            FeeRow("不动产登记费（住宅抵押）", "80元/件", REAL_ESTATE_FEE_BASIS, True, SMALL_BUSINESS_RELIEF),
            FeeRow(
                "不动产登记费（非住宅抵押）", "550元/件", REAL_ESTATE_FEE_BASIS, True, SMALL_BUSINESS_RELIEF
            ),
        ),
        fee_basis=REAL_ESTATE_FEE_BASIS,
        window="4",
    ),
    # ── 林业局 ──────────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-LY-001",
        "林木采伐许可证核发",
        "licensing",
        "forestry",
        (20, WD),
        (5, WD),
        4,
        0,
        "采伐林木符合森林采伐限额和森林经营方案，林木权属清楚、无争议。",
        (
            law("《中华人民共和国森林法》", "第五十六条"),
            regulation("《中华人民共和国森林法实施条例》", "第三十二条"),
        ),
        (
            Mat("林木采伐申请书", "采伐地点、面积、树种、蓄积填写准确"),
            Mat(
                "林木权属证明",
                "在线核验林权登记信息",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat("采伐作业设计或者采伐地点、面积、蓄积、方式和更新措施说明", "更新措施明确"),
            PERSON_ID,
        ),
        (StepRow("受理", 1), StepRow("现场查验", 2), StepRow("审核决定", 2)),
        ("license", "林木采伐许可证"),
        exclude=("gaoxin", "datonghu"),
        window="3",
    ),
    # ── 生态环境分局 ────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-ST-001",
        "排污许可",
        "licensing",
        "ecology",
        (20, WD),
        (10, WD),
        4,
        0,
        "依法取得建设项目环境影响评价文件审批意见或者按规定办理备案；污染防治设施、污染物排放浓度和排放量符合规定；"
        "自行监测方案符合要求。",
        (
            law("《中华人民共和国环境保护法》", "第四十五条"),
            regulation("《排污许可管理条例》", "第八条、第十三条"),
        ),
        (
            Mat("排污许可证申请表", "排放口、污染物种类、许可排放量填写准确"),
            Mat("自行监测方案", "监测点位、指标、频次符合技术规范"),
            Mat("守法承诺书", "法定代表人签字", evidence="D"),
            Mat("排污口和监测孔规范化设置情况说明", "附现场照片"),
            Mat(
                "建设项目环境影响评价文件审批文号",
                "在线核验环评审批信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("技术审查", 4), StepRow("现场核查", 3), StepRow("决定", 2)),
        ("license", "排污许可证"),
        reform="optimize",
        relation="post",
        levels=("county", "city"),
        window="2",
    ),
    ItemSpec(
        "XK-ST-002",
        "建设项目环境影响报告表审批",
        "licensing",
        "ecology",
        (30, ND),
        (15, ND),
        4,
        0,
        "建设项目符合生态环境分区管控要求，采取的污染防治措施能够确保污染物排放达到国家和地方排放标准。",
        (
            law("《中华人民共和国环境影响评价法》", "第二十二条"),
            regulation("《建设项目环境保护管理条例》", "第九条"),
        ),
        (
            Mat("建设项目环境影响报告表审批申请", "建设单位盖章"),
            Mat("建设项目环境影响报告表", "编制单位和编制人员已在信用平台登记", source="intermediary"),
            Mat("建设项目环评信息公开说明", "已按规定公开全本"),
            LICENSE,
        ),
        (
            StepRow("受理", 1, ND),
            StepRow("技术评估", 10, ND, special="expert_review", counts=False),
            StepRow("审查", 10, ND),
            StepRow("审批决定", 4, ND),
        ),
        ("approval_document", "环境影响报告表批复"),
        window="2",
        intermediary="环境影响报告表编制（申请人自主选择编制单位）",
        legal_note="技术评估时间不计入审批时限",
    ),
    # ── 人力资源和社会保障局 ────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-RS-001",
        "人力资源服务许可",
        "licensing",
        "hrss",
        (20, WD),
        (5, WD),
        4,
        0,
        "有明确的章程和管理制度；有开展业务必备的固定场所、办公设施；有5名以上具备相应职业资格的专职工作人员。",
        (
            law("《中华人民共和国就业促进法》", "第四十条"),
            regulation("《人力资源市场暂行条例》", "第十八条"),
        ),
        (
            Mat("人力资源服务许可申请书", "服务范围填写准确，法定代表人签字"),
            LICENSE,
            COMMITMENT,
            Mat("办公场所使用证明", "场所面积满足业务需要", material_type="copy"),
        ),
        _steps_3(total=5),
        ("license", "人力资源服务许可证"),
        reform="commitment",
        relation="post",
        levels=("county", "city"),
        window="7",
    ),
    ItemSpec(
        "XK-RS-002",
        "劳务派遣经营许可",
        "licensing",
        "hrss",
        (20, WD),
        (10, WD),
        4,
        0,
        "注册资本不少于人民币200万元；有与开展业务相适应的固定经营场所和设施；有符合法律、行政法规规定的劳务派遣管理制度。",
        (
            law("《中华人民共和国劳动合同法》", "第五十七条"),
            rule("《劳务派遣行政许可实施办法》（人力资源社会保障部令第19号）", "第六条"),
        ),
        (
            Mat("劳务派遣经营许可申请书", "法定代表人签字，企业盖章"),
            LICENSE,
            Mat("公司章程以及验资报告或者财务审计报告", "实缴注册资本不少于200万元", source="intermediary"),
            Mat("经营场所使用证明以及办公设施设备、信息管理系统清单", "设施与业务规模相适应"),
            REP_ID,
            Mat("劳务派遣管理制度", "包括劳动合同、劳动报酬、社会保险、工作时间等内容"),
        ),
        (StepRow("受理", 1), StepRow("审查", 6), StepRow("决定", 2), StepRow("发证", 1)),
        ("license", "劳务派遣经营许可证"),
        reform="optimize",
        relation="post",
        window="7",
    ),
    ItemSpec(
        "GG-RS-001",
        "城乡居民基本养老保险参保登记",
        "public_service",
        "hrss",
        None,
        None,
        4,
        0,
        "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民。",
        (
            law("《中华人民共和国社会保险法》", "第二十条、第二十二条"),
            normative("《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）", "第四条"),
        ),
        (
            Mat("城乡居民基本养老保险参保登记表", "参保人签字，缴费档次选择明确"),
            Mat(
                "居民身份证或者户口簿",
                "核验身份信息",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat(
                "社会保障卡",
                "在线核验卡片状态",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="已持卡的",
            ),
        ),
        IMMEDIATE_STEPS,
        ("other", "参保登记信息"),
        window="7",
        cross_region=True,
        self_service=True,
    ),
    ItemSpec(
        "JF-RS-001",
        "失业保险金申领",
        "payment",
        "hrss",
        (10, WD),
        (3, WD),
        4,
        0,
        "失业前用人单位和本人已经缴纳失业保险费满一年；非因本人意愿中断就业；已经进行失业登记，并有求职要求。",
        (
            law("《中华人民共和国社会保险法》", "第四十五条"),
            regulation("《失业保险条例》", "第十四条、第十六条"),
            rule("《失业保险金申领发放办法》", "第八条"),
        ),
        (
            Mat(
                "失业保险金申领登记表",
                "线上填报，本人确认",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat(
                "居民身份证",
                "通过公安人口库在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("终止或者解除劳动合同的证明", "载明终止或者解除原因", material_type="copy"),
            Mat("社会保障卡或者本人银行账户信息", "账户为本人实名账户"),
        ),
        _steps_3("审核", "核定发放"),
        ("other", "失业保险待遇核定通知"),
        window="7",
        cross_region=True,
    ),
    ItemSpec(
        "GG-RS-002",
        "就业创业证申领",
        "public_service",
        "hrss",
        None,
        None,
        4,
        0,
        "在法定劳动年龄内、有劳动能力和就业要求，已进行就业或者失业登记的劳动者。",
        (
            law("《中华人民共和国就业促进法》", "第三十五条"),
            rule("《就业服务与就业管理规定》", "第六十一条"),
        ),
        (
            Mat("就业创业证申领表", "线上填报", material_type="electronic", form="electronic", copies=0),
            Mat(
                "居民身份证",
                "通过公安人口库在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("近期免冠照片", "白底证件照", material_type="electronic", form="electronic", copies=0),
        ),
        IMMEDIATE_STEPS,
        ("license", "就业创业证（电子证照）"),
        window="7",
        cross_region=True,
    ),
    ItemSpec(
        "GG-RS-003",
        "社会保障卡申领",
        "public_service",
        "hrss",
        None,
        None,
        3,
        1,
        "已参加社会保险或者已登记社会保障号码的人员。",
        (
            law("《中华人民共和国社会保险法》", "第五十八条"),
            normative("《人力资源社会保障部关于推进全国统一的社会保障卡发行和应用工作的通知》", "第二条"),
        ),
        (
            Mat("社会保障卡申领登记表", "本人签字"),
            PERSON_ID,
            Mat(
                "近期免冠照片",
                "符合制卡照片标准，可现场采集",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
        ),
        IMMEDIATE_STEPS,
        ("license", "社会保障卡"),
        onsite_reason="即时制卡须本人到场领卡并激活",
        window="7",
        cross_region=True,
        self_service=True,
    ),
    # ── 民政局 ──────────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "BA-MZ-001",
        "养老机构备案",
        "filing",
        "civil",
        None,
        None,
        4,
        0,
        "已依法办理法人登记，具有与服务内容和规模相适应的服务场所、设施设备和工作人员。",
        (
            law("《中华人民共和国老年人权益保障法》", "第四十三条"),
            rule("《养老机构管理办法》（民政部令第66号）", "第九条"),
        ),
        (
            Mat("养老机构备案书", "服务场所地址、床位数填写准确"),
            Mat("养老机构备案承诺书", "法定代表人签字", evidence="D"),
            Mat(
                "登记证书或者营业执照",
                "在线核验法人登记信息",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("服务场所权属证明或者租赁合同", "租赁期限不少于5年", material_type="copy"),
        ),
        IMMEDIATE_STEPS,
        ("filing", "养老机构备案回执"),
        reform="cancel_approval",
        window="3",
    ),
    ItemSpec(
        "XK-MZ-001",
        "社会团体成立登记",
        "licensing",
        "civil",
        (60, ND),
        (20, ND),
        3,
        1,
        "有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构；有固定的住所；有与其业务活动相适应的专职"
        "工作人员和合法的资产、经费来源。",
        (
            regulation("《社会团体登记管理条例》", "第三条、第十条、第十二条"),
            rule("《社会团体登记管理条例》实施规定", "第五条"),
        ),
        (
            Mat("社会团体成立登记申请书", "发起人签字"),
            Mat(
                "业务主管单位的批准文件",
                "批准文件在有效期内",
                material_type="original",
                source="government",
                evidence="A",
            ),
            Mat("验资报告和场所使用权证明", "注册资金符合规定", source="intermediary"),
            Mat("发起人和拟任负责人的基本情况、身份证明", "拟任负责人无不得担任的情形"),
            Mat("章程草案", "经会员大会或者会员代表大会通过"),
        ),
        (StepRow("受理", 1, ND), StepRow("审查", 14, ND), StepRow("决定", 5, ND)),
        ("license", "社会团体法人登记证书"),
        onsite_reason="拟任负责人领取《社会团体法人登记证书》正副本",
        levels=("county", "city"),
        window="3",
    ),
    ItemSpec(
        "XK-MZ-002",
        "民办非企业单位成立登记",
        "licensing",
        "civil",
        (60, ND),
        (20, ND),
        3,
        1,
        "经业务主管单位审查同意；有规范的名称、必要的组织机构；有与其业务活动相适应的从业人员、合法财产和必要的场所。",
        (
            regulation("《民办非企业单位登记管理暂行条例》", "第三条、第八条、第十一条"),
            rule("《民办非企业单位登记暂行办法》", "第四条"),
        ),
        (
            Mat("民办非企业单位成立登记申请书", "举办者签字"),
            Mat("业务主管单位的批准文件", "批准文件在有效期内", source="government", evidence="A"),
            Mat("场所使用权证明", "场所面积与业务规模相适应", material_type="copy"),
            Mat("验资报告", "开办资金符合规定", source="intermediary"),
            Mat("拟任负责人的基本情况、身份证明", "拟任负责人无不得担任的情形"),
            Mat("章程草案", "内容符合示范章程要求"),
        ),
        (StepRow("受理", 1, ND), StepRow("审查", 14, ND), StepRow("决定", 5, ND)),
        ("license", "民办非企业单位登记证书"),
        onsite_reason="拟任负责人领取登记证书正副本",
        levels=("county", "city"),
        window="3",
    ),
    ItemSpec(
        "QR-MZ-001",
        "结婚登记",
        "confirmation",
        "civil",
        None,
        None,
        2,
        1,
        "男女双方完全自愿；达到法定婚龄（男不得早于22周岁，女不得早于20周岁）；双方均无配偶；"
        "无直系血亲和三代以内旁系血亲关系。",
        (
            law("《中华人民共和国民法典》", "第一千零四十九条"),
            regulation("《婚姻登记条例》", "第四条、第七条"),
        ),
        (
            Mat(
                "本人的居民身份证",
                "核验人证一致",
                material_type="original",
                source="government",
                evidence="B",
            ),
            Mat(
                "本人的户口簿",
                "户籍信息与身份证一致",
                material_type="original",
                necessity="conditional",
                source="government",
                evidence="B",
                condition="全国通办试点以外的",
            ),
            Mat(
                "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
                "当事人当场签字",
                evidence="D",
            ),
            Mat("近期半身免冠合影照片", "2寸红底合影", copies=3),
        ),
        IMMEDIATE_STEPS,
        ("license", "结婚证"),
        onsite_reason="男女双方必须共同亲自到婚姻登记机关办理",
        exclude=("gaoxin", "datonghu"),
        window="3",
    ),
    ItemSpec(
        "JF-MZ-001",
        "高龄津贴发放",
        "payment",
        "civil",
        None,
        (20, WD),
        3,
        1,
        "具有本辖区户籍、年满80周岁的老年人。",
        (
            law("《中华人民共和国老年人权益保障法》", "第三十三条"),
            local("《湖南省实施〈中华人民共和国老年人权益保障法〉办法》", "第二十六条"),
        ),
        (
            Mat("高龄津贴申请审批表", "本人或者代理人签字"),
            Mat(
                "居民身份证或者户口簿",
                "核验年龄和户籍",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat("本人社会保障卡或者银行账户信息", "账户为本人实名账户"),
        ),
        (
            StepRow("受理初审", 5, office="乡镇（街道）便民服务中心", handler="民政专干"),
            StepRow("审核审批", 10),
            StepRow("公示及发放", 5),
        ),
        ("other", "高龄津贴发放通知"),
        onsite_reason="首次申领须本人或者代理人到户籍所在地乡镇（街道）便民服务中心核验身份",
        window="3",
    ),
    ItemSpec(
        "JF-MZ-002",
        "困难残疾人生活补贴和重度残疾人护理补贴",
        "payment",
        "civil",
        None,
        (20, WD),
        4,
        0,
        "困难残疾人生活补贴：低保家庭中的残疾人；重度残疾人护理补贴：残疾等级为一级、二级且需要长期照护的重度残疾人。",
        (
            law("《中华人民共和国残疾人保障法》", "第四十八条"),
            normative(
                "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
                "第二条",
            ),
        ),
        (
            Mat(
                "残疾人两项补贴申请审批表",
                "线上填报，本人或者代理人确认",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat(
                "第二代中华人民共和国残疾人证",
                "在线核验残疾类别和等级",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "最低生活保障证明",
                "在线核验低保信息",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="申请困难残疾人生活补贴的",
            ),
            Mat("本人银行账户信息", "账户为本人或者监护人实名账户"),
        ),
        (StepRow("受理初审", 5), StepRow("残联审核", 5), StepRow("民政审定", 8)),
        ("other", "补贴发放通知"),
        joint="残疾人联合会",
        cross_region=True,
        window="3",
    ),
    ItemSpec(
        "JF-MZ-003",
        "最低生活保障审核确认",
        "payment",
        "civil",
        (30, WD),
        (20, WD),
        3,
        1,
        "共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定。",
        (
            regulation("《社会救助暂行办法》", "第九条、第十一条"),
            normative("《最低生活保障审核确认办法》（民发〔2021〕57号）", "第二十条"),
        ),
        (
            Mat("最低生活保障申请书", "申请人签字"),
            Mat(
                "家庭成员居民身份证、户口簿",
                "核验家庭成员构成",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat("家庭经济状况核对授权书", "全体家庭成员签字", evidence="D"),
            Mat("家庭收入和财产状况说明", "如实申报收入、存款、房产、车辆等", evidence="D"),
            Mat(
                "残疾人证、疾病诊断证明等",
                "与申报情况一致",
                material_type="copy",
                necessity="conditional",
                condition="家庭成员有残疾或者重病的",
            ),
        ),
        (
            StepRow("受理", 1, office="乡镇（街道）便民服务中心", handler="民政专干"),
            StepRow("家庭经济状况调查核对", 10),
            StepRow("审核确认", 7),
            StepRow("公示", 2),
        ),
        ("other", "最低生活保障审核确认决定"),
        onsite_reason="申请人到户籍所在地乡镇（街道）提交申请并配合入户调查",
        window="3",
    ),
    ItemSpec(
        "JF-MZ-004",
        "临时救助",
        "payment",
        "civil",
        None,
        (5, WD),
        3,
        1,
        "因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭或者个人。",
        (
            regulation("《社会救助暂行办法》", "第四十七条、第四十八条"),
            normative("《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）", "第二条"),
        ),
        (
            Mat("临时救助申请书", "申请人签字，说明困难情形"),
            PERSON_ID,
            Mat("遭遇困难的证明材料", "医疗费用票据、事故证明等与申请事由一致", material_type="copy"),
            Mat("家庭经济状况核对授权书", "家庭成员签字", evidence="D"),
        ),
        (StepRow("受理", 1), StepRow("调查审核", 3), StepRow("审批发放", 1)),
        ("other", "临时救助审批决定"),
        onsite_reason="申请人到乡镇（街道）便民服务中心说明困难情形；情况紧急的可先行救助后补办手续",
        window="3",
    ),
    # ── 公安局 ──────────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "QR-GA-001",
        "居民身份证换领",
        "confirmation",
        "police",
        (60, ND),
        (20, ND),
        3,
        1,
        "居民身份证有效期满、姓名变更或者证件严重损坏不能辨认的本辖区常住户口居民。",
        (
            law("《中华人民共和国居民身份证法》", "第八条、第十一条"),
            law("《中华人民共和国居民身份证法》", "第二十条"),
        ),
        (
            Mat("居民身份证申领登记表", "窗口打印，申请人核对签字", source="government", evidence="A"),
            Mat(
                "原居民身份证",
                "交回原证，证件严重损坏的附说明",
                material_type="original",
                source="government",
                evidence="B",
            ),
            Mat("居民户口簿", "核验户籍信息", material_type="original", source="government", evidence="B"),
        ),
        (
            StepRow("受理及人像指纹采集", 1, ND),
            StepRow("审核", 3, ND),
            StepRow("制证", 14, ND),
            StepRow("发证", 2, ND),
        ),
        ("license", "居民身份证"),
        onsite_reason="现场采集人像和指纹信息",
        fees=(
            FeeRow(
                "居民身份证工本费（换领）",
                "20元/证",
                "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）",
                True,
                "《中华人民共和国居民身份证法》第二十条：城市中领取最低生活保障金的居民、农村中有特殊生活困难的居民，"
                "初次申领和换领时免收工本费",
            ),
        ),
        fee_basis="《中华人民共和国居民身份证法》第二十条；发改价格〔2003〕2322号",
        window="5",
        cross_region=True,
        self_service=True,
    ),
    ItemSpec(
        "QR-GA-002",
        "户口迁移",
        "confirmation",
        "police",
        None,
        (3, WD),
        3,
        1,
        "在迁入地有合法稳定住所或者合法稳定就业，或者属于投靠亲属等政策规定的情形。",
        (
            regulation("《中华人民共和国户口登记条例》", "第十条、第十三条"),
            normative("《国务院关于进一步推进户籍制度改革的意见》（国发〔2014〕25号）", "第二条"),
        ),
        (
            Mat("户口迁移申请表", "迁移人员、迁移原因填写准确"),
            Mat(
                "迁移人居民身份证、户口簿",
                "核验人证一致",
                material_type="original",
                source="government",
                evidence="B",
            ),
            Mat("迁入地合法稳定住所证明", "不动产权证书或者住房租赁登记备案证明", material_type="copy"),
            Mat(
                "结婚证、出生医学证明等亲属关系证明",
                "与投靠情形一致",
                material_type="copy",
                necessity="conditional",
                condition="投靠亲属迁移的",
            ),
        ),
        _steps_3("审核", "办结"),
        ("license", "居民户口簿"),
        onsite_reason="本人到户政窗口核验身份并领取户口簿",
        window="5",
        cross_region=True,
    ),
    ItemSpec(
        "XK-GA-001",
        "特种行业许可证核发（旅馆业）",
        "licensing",
        "police",
        (20, WD),
        (5, WD),
        2,
        2,
        "房屋建筑、消防设备、出入口和通道等符合消防安全、治安管理规定，有必要的防盗等安全设施，建立旅客住宿登记等治安管理制度。",
        (
            regulation(
                "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）", "附件第38项"
            ),
            regulation("《旅馆业治安管理办法》", "第四条"),
        ),
        (
            Mat("特种行业许可证申请登记表", "法定代表人签字，企业盖章"),
            LICENSE,
            Mat(
                "法定代表人、主要负责人、治安保卫人员身份证件",
                "人员无违法犯罪记录",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            PREMISES,
            Mat("旅馆平面图及安全防范设施说明", "标明客房、通道、出入口和监控点位"),
            Mat("治安安全防范制度", "包括旅客住宿登记、访客登记、贵重物品保管等制度"),
        ),
        (StepRow("受理", 1), StepRow("现场检查", 2), StepRow("审批", 1), StepRow("发证", 1)),
        ("license", "特种行业许可证"),
        onsite_reason="提交申请时核验原件；领取许可证时签订治安责任书",
        reform="optimize",
        relation="post",
        window="1",
    ),
    ItemSpec(
        "BA-GA-001",
        "公章刻制备案",
        "filing",
        "police",
        None,
        None,
        4,
        0,
        "已依法登记的企业、个体工商户等市场主体和机关、团体、事业单位。",
        (
            normative("《国务院关于取消一批行政许可事项的决定》（国发〔2020〕13号）"),
            normative(
                "《国务院办公厅关于进一步优化营商环境更好服务市场主体的实施意见》（国办发〔2020〕24号）",
                "第一条",
            ),
        ),
        (
            Mat(
                "公章刻制备案信息表",
                "线上填报，印章名称与登记名称一致",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            LICENSE,
            Mat(
                "法定代表人身份证件",
                "通过公安人口库在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            PROXY,
        ),
        IMMEDIATE_STEPS,
        ("filing", "印章刻制备案信息"),
        window="1",
    ),
    # ── 消防救援大队 ────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-XF-001",
        "公众聚集场所投入使用、营业前消防安全检查",
        "licensing",
        "fire",
        (10, WD),
        (5, WD),
        4,
        0,
        "场所依法通过建设工程消防验收或者备案抽查，消防设施完好有效，消防安全制度健全。选择告知承诺方式的，当场作出许可决定。",
        (
            law("《中华人民共和国消防法》", "第十五条"),
            normative("《公众聚集场所投入使用、营业消防安全检查规则》", "第五条"),
        ),
        (
            Mat("公众聚集场所投入使用、营业前消防安全检查申请表", "场所名称、地址、面积填写准确"),
            LICENSE,
            Mat("消防安全告知承诺书", "法定代表人签字，承诺场所符合消防安全要求", evidence="D"),
            Mat("场所平面布置图、消防设施平面图", "标明疏散通道、安全出口和消防设施位置"),
            Mat("消防安全制度、灭火和应急疏散预案", "制度完整，预案可操作"),
            Mat(
                "建设工程消防验收或者竣工验收消防备案的法律文件",
                "在线核验",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="依法需要办理消防验收或者备案的",
            ),
        ),
        (StepRow("受理", 1), StepRow("现场检查", 3), StepRow("决定", 1)),
        ("license", "公众聚集场所投入使用、营业前消防安全检查合格证"),
        reform="commitment",
        relation="post",
        window="2",
    ),
    # ── 应急管理局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-YJ-001",
        "危险化学品经营许可",
        "licensing",
        "emergency",
        (30, WD),
        (10, WD),
        3,
        0,
        "有符合国家标准、行业标准的经营场所；有经专业技术培训并经考核合格的从业人员；有健全的安全管理规章制度和事故应急救援预案。",
        (
            regulation("《危险化学品安全管理条例》", "第三十三条、第三十五条"),
            rule("《危险化学品经营许可证管理办法》（国家安全生产监督管理总局令第55号）", "第三条"),
        ),
        (
            Mat("危险化学品经营许可证申请书", "经营方式、经营品种填写准确"),
            LICENSE,
            Mat("经营场所产权证明或者租赁合同", "场所符合安全距离要求", material_type="copy"),
            Mat(
                "主要负责人、安全生产管理人员考核合格证",
                "证书在有效期内",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat("安全生产管理制度和岗位操作规程目录", "制度健全"),
            Mat("事故应急救援预案", "已按规定备案"),
        ),
        (StepRow("受理", 1), StepRow("审查", 3), StepRow("现场核查", 4), StepRow("决定发证", 2)),
        ("license", "危险化学品经营许可证"),
        reform="optimize",
        relation="post",
        levels=("county", "city"),
    ),
    ItemSpec(
        "XK-YJ-002",
        "烟花爆竹经营（零售）许可",
        "licensing",
        "emergency",
        (20, WD),
        (5, WD),
        3,
        1,
        "零售场所符合烟花爆竹零售网点布局规划；主要负责人经过安全培训合格；零售场所与居民居住场所保持安全距离。",
        (
            regulation("《烟花爆竹安全管理条例》", "第十八条、第十九条"),
            rule("《烟花爆竹经营许可实施办法》（国家安全生产监督管理总局令第65号）", "第十六条"),
        ),
        (
            Mat("烟花爆竹经营（零售）许可证申请书", "零售点地址、限存数量填写准确"),
            LICENSE,
            Mat("零售场所产权证明或者租赁合同", "场所不在居民楼内", material_type="copy"),
            Mat(
                "主要负责人安全培训合格证明",
                "培训证明在有效期内",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat("零售场所安全条件及周边环境说明", "附现场照片"),
        ),
        (StepRow("受理", 1), StepRow("现场核查", 2), StepRow("审批", 1), StepRow("发证", 1)),
        ("license", "烟花爆竹经营（零售）许可证"),
        onsite_reason="领取《烟花爆竹经营（零售）许可证》",
        relation="post",
    ),
    # ── 教育局 ──────────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-JY-001",
        "民办学校设立",
        "licensing",
        "education",
        (90, ND),
        (60, ND),
        2,
        2,
        "举办者具有政治权利和完全民事行为能力（社会组织具有法人资格）；学校具备法人条件，设置标准符合国家和地方规定。",
        (
            law("《中华人民共和国民办教育促进法》", "第十二条、第十七条"),
            regulation("《中华人民共和国民办教育促进法实施条例》", "第十三条"),
        ),
        (
            Mat("申办报告", "包括举办者、培养目标、办学规模、办学层次等内容"),
            Mat(
                "举办者的资格证明文件",
                "举办者为社会组织的，核验法人登记证书",
                material_type="copy",
                source="government",
                evidence="B",
            ),
            Mat("学校章程和首届理事会、董事会组成人员名单", "章程符合民办教育促进法规定"),
            Mat("办学资产有效证明文件", "资产来源合法，已过户至学校名下", material_type="copy"),
            Mat(
                "校长、教师、财会人员的资格证明文件",
                "人员资格与办学层次相适应",
                material_type="copy",
                evidence="B",
            ),
        ),
        (
            StepRow("受理", 1, ND),
            StepRow("材料审查及实地考察", 40, ND),
            StepRow("专家评议", 20, ND, special="expert_review", counts=False),
            StepRow("审批决定", 15, ND),
        ),
        ("license", "民办学校办学许可证"),
        onsite_reason="提交申请时核验举办者资格原件；批准后领取办学许可证",
        legal_note="专家评议时间不计入审批时限",
        window="3",
    ),
    ItemSpec(
        "XK-JY-002",
        "教师资格认定",
        "licensing",
        "education",
        (30, ND),
        (20, ND),
        3,
        1,
        "遵守宪法和法律，热爱教育事业；具备规定的学历；中小学教师资格考试合格；普通话水平达到规定等级；身体健康。",
        (
            law("《中华人民共和国教师法》", "第十条、第十三条"),
            regulation("《教师资格条例》", "第十三条"),
            rule("《〈教师资格条例〉实施办法》（教育部令第10号）", "第十八条"),
        ),
        (
            Mat("教师资格认定申请表", "网上报名后打印，本人签字"),
            PERSON_ID,
            Mat(
                "学历证书",
                "通过学信网在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "普通话水平测试等级证书",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat("体格检查合格证明", "指定医院出具，6个月内有效", source="other"),
            Mat(
                "中小学教师资格考试合格证明",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (
            StepRow("受理", 1, ND),
            StepRow("资格审查", 10, ND),
            StepRow("认定决定", 6, ND),
            StepRow("证书制作", 3, ND),
        ),
        ("license", "教师资格证书"),
        onsite_reason="现场确认：核验身份证件和学历证书原件",
        levels=("county", "city"),
        window="3",
    ),
    # ── 文化旅游广电体育局 ──────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-WL-001",
        "娱乐场所经营许可",
        "licensing",
        "culture",
        (20, WD),
        (5, WD),
        4,
        0,
        "投资人、法定代表人、主要负责人无《娱乐场所管理条例》禁止情形；场所位置符合规定；营业面积符合标准。",
        (
            regulation("《娱乐场所管理条例》", "第九条"),
            rule("《娱乐场所管理办法》", "第九条"),
        ),
        (
            Mat("娱乐场所经营许可申请书", "场所名称、地址、营业面积填写准确"),
            LICENSE,
            Mat("投资人、法定代表人、主要负责人身份证件及无禁止情形的书面声明", "声明人签字", evidence="D"),
            PREMISES,
            Mat(
                "消防安全检查合格证明或者告知承诺",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("审查（含实地检查）", 3), StepRow("决定", 1)),
        ("license", "娱乐经营许可证"),
        reform="commitment",
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-WL-002",
        "出版物零售业务经营许可",
        "licensing",
        "culture",
        (20, WD),
        (5, WD),
        4,
        0,
        "有确定的名称、经营范围；有固定的经营场所；法律、行政法规和国家规定的其他条件。",
        (
            regulation("《出版管理条例》", "第三十七条"),
            rule("《出版物市场管理规定》", "第八条"),
        ),
        (
            Mat("出版物零售业务经营许可申请书", "经营范围、经营场所填写准确"),
            LICENSE,
            PREMISES,
            REP_ID,
        ),
        _steps_3(total=5),
        ("license", "出版物经营许可证"),
        reform="commitment",
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-WL-003",
        "互联网上网服务营业场所经营单位设立审批",
        "licensing",
        "culture",
        (20, WD),
        (10, WD),
        3,
        1,
        "有与其经营活动相适应的资金、营业场所和计算机等设备；有健全、完善的信息网络安全管理制度和安全技术措施；"
        "营业场所符合布局要求。",
        (
            regulation("《互联网上网服务营业场所管理条例》", "第八条、第十一条"),
            rule("《文化部关于加强互联网上网服务营业场所连锁经营管理的通知》", "第三条"),
        ),
        (
            Mat("互联网上网服务营业场所经营单位设立申请书", "计算机台数、营业面积填写准确"),
            LICENSE,
            REP_ID,
            PREMISES,
            Mat(
                "消防安全检查合格证明",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("审查", 3), StepRow("实地检查", 4), StepRow("决定发证", 2)),
        ("license", "网络文化经营许可证"),
        onsite_reason="领取《网络文化经营许可证》",
        reform="optimize",
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-WL-004",
        "经营高危险性体育项目许可",
        "licensing",
        "culture",
        (30, ND),
        (15, ND),
        3,
        1,
        "相关体育设施符合国家标准；具有达到规定数量的取得国家职业资格证书的社会体育指导人员和救助人员；具有安全保障制度和措施。",
        (
            regulation("《全民健身条例》", "第三十二条、第三十三条"),
            rule("《经营高危险性体育项目许可管理办法》", "第七条"),
        ),
        (
            Mat("经营高危险性体育项目申请书", "项目类别、场所地址填写准确"),
            LICENSE,
            Mat("体育场所符合国家标准的说明材料", "附设施设备清单和照片"),
            Mat(
                "社会体育指导人员、救助人员的职业资格证明", "人数符合标准", material_type="copy", evidence="B"
            ),
            Mat("安全保障制度和措施", "包括应急救援预案"),
        ),
        (StepRow("受理", 1, ND), StepRow("实地核查", 7, ND), StepRow("决定", 5, ND), StepRow("发证", 2, ND)),
        ("license", "经营高危险性体育项目许可证"),
        onsite_reason="领取许可证",
        reform="optimize",
        relation="post",
        window="3",
    ),
    # ── 农业农村局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-NY-001",
        "动物防疫条件合格证核发",
        "licensing",
        "agriculture",
        (20, WD),
        (10, WD),
        2,
        2,
        "场所的位置与居民生活区、生活饮用水水源地、学校、医院等公共场所的距离符合规定；有与其规模相适应的污水、污物处理设施，"
        "病害动物无害化处理设施和清洗消毒设施设备。",
        (
            law("《中华人民共和国动物防疫法》", "第二十四条、第二十五条"),
            rule("《动物防疫条件审查办法》（农业农村部令2022年第8号）", "第二十三条"),
        ),
        (
            Mat("动物防疫条件审查申请表", "场所类型、规模填写准确"),
            Mat("场所地理位置图、各功能区布局平面图", "标明与周边敏感场所的距离"),
            Mat("设施设备清单", "包括无害化处理、清洗消毒设施"),
            Mat("管理制度文本", "包括免疫、检疫申报、消毒、无害化处理等制度"),
            Mat("执业兽医或者动物防疫技术人员信息", "人员资格符合要求", material_type="copy", evidence="B"),
        ),
        (StepRow("受理", 1), StepRow("材料审查", 2), StepRow("现场审查", 5), StepRow("发证", 2)),
        ("license", "动物防疫条件合格证"),
        onsite_reason="提交申请时核验原件；领取合格证时签订防疫责任书",
        relation="post",
        exclude=("gaoxin",),
        window="3",
    ),
    ItemSpec(
        "XK-NY-002",
        "农药经营许可",
        "licensing",
        "agriculture",
        (20, WD),
        (10, WD),
        4,
        0,
        "有具备农药和病虫害防治专业知识的经营人员；有与其经营的农药相适应的营业场所和仓储场所；"
        "有可追溯电子信息码扫描识别设备和用于记载农药购进、储存、销售等电子台账的计算机管理系统。",
        (
            regulation("《农药管理条例》", "第二十四条"),
            rule("《农药经营许可管理办法》", "第三条"),
        ),
        (
            Mat("农药经营许可证申请表", "经营范围（是否含限制使用农药）填写准确"),
            REP_ID,
            Mat(
                "经营人员的学历或者培训证明",
                "农学、植保、农药等相关专业学历或者培训合格证明",
                material_type="copy",
            ),
            Mat(
                "营业场所和仓储场所地址、面积、平面图等说明材料及照片",
                "营业场所与仓储场所分开，仓储场所配备通风设施",
            ),
            Mat("计算机管理系统、可追溯电子信息码扫描设备说明", "设备可正常使用"),
            Mat("农药经营管理制度目录", "包括采购、销售、仓储、安全防护等制度"),
        ),
        (StepRow("受理", 1), StepRow("材料审查", 3), StepRow("现场核查", 4), StepRow("决定", 2)),
        ("license", "农药经营许可证"),
        reform="optimize",
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-NY-003",
        "兽药经营许可",
        "licensing",
        "agriculture",
        (30, WD),
        (10, WD),
        3,
        0,
        "有与所经营的兽药相适应的兽药技术人员；有与所经营的兽药相适应的营业场所、设备、仓库设施；有质量管理机构或者人员。",
        (
            regulation("《兽药管理条例》", "第二十二条"),
            rule("《兽药经营质量管理规范》", "第三条"),
        ),
        (
            Mat("兽药经营许可证申请表", "经营范围填写准确"),
            LICENSE,
            Mat("经营场所、仓库平面图及产权或者使用权证明", "仓库面积与经营规模相适应", material_type="copy"),
            Mat(
                "质量管理人员学历证书或者职称证书", "兽医、畜牧等相关专业", material_type="copy", evidence="B"
            ),
            Mat("质量管理制度文件", "包括购进、验收、储存、销售、不良反应报告等制度"),
        ),
        (StepRow("受理", 1), StepRow("审查", 3), StepRow("现场验收", 4), StepRow("决定", 2)),
        ("license", "兽药经营许可证"),
        relation="post",
        window="3",
    ),
    ItemSpec(
        "XK-NY-004",
        "种子生产经营许可",
        "licensing",
        "agriculture",
        (20, WD),
        (10, WD),
        3,
        0,
        "具有与种子生产经营相适应的生产经营设施、设备及专业技术人员，以及法规和国务院农业农村主管部门规定的其他条件。",
        (
            law("《中华人民共和国种子法》", "第三十一条、第三十二条"),
            rule("《农作物种子生产经营许可管理办法》", "第十一条"),
        ),
        (
            Mat("种子生产经营许可证申请表", "生产经营范围、作物种类填写准确"),
            LICENSE,
            Mat(
                "种子检验人员、贮藏保管人员、加工技术人员资质证明",
                "人员数量符合要求",
                material_type="copy",
                evidence="B",
            ),
            Mat("种子检验室、仓库产权或者使用权证明", "检验室仪器设备清单齐全", material_type="copy"),
            Mat(
                "品种审定证书",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("审查", 4), StepRow("现场审查", 3), StepRow("决定", 2)),
        ("license", "农作物种子生产经营许可证"),
        relation="post",
        exclude=("gaoxin",),
        window="3",
    ),
    # ── 医疗保障局 ──────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "GG-YB-001",
        "城乡居民基本医疗保险参保登记",
        "public_service",
        "medical",
        None,
        None,
        4,
        0,
        "未参加职工基本医疗保险的城乡居民（含新生儿、在校学生）。",
        (
            law("《中华人民共和国社会保险法》", "第二十五条"),
            normative("《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）", "第二条"),
        ),
        (
            Mat(
                "城乡居民基本医疗保险参保登记表",
                "线上填报",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat(
                "居民身份证或者户口簿",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "出生医学证明",
                "在线核验",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="新生儿参保的",
            ),
        ),
        IMMEDIATE_STEPS,
        ("other", "参保登记信息"),
        window="7",
        cross_region=True,
        self_service=True,
    ),
    ItemSpec(
        "GG-YB-002",
        "基本医疗保险参保人员异地就医备案",
        "public_service",
        "medical",
        None,
        None,
        4,
        0,
        "参加本统筹区基本医疗保险，因异地长期居住、常驻异地工作或者临时外出就医需要在异地直接结算医疗费用的参保人员。",
        (
            law("《中华人民共和国社会保险法》", "第二十九条"),
            normative(
                "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
                "第三条",
            ),
        ),
        (
            Mat(
                "异地就医备案登记表",
                "线上填报，备案地和备案类型选择准确",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat(
                "社会保障卡或者医保电子凭证",
                "在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "异地长期居住或者工作承诺书",
                "本人签字确认",
                material_type="electronic",
                form="electronic",
                evidence="D",
                copies=0,
            ),
        ),
        IMMEDIATE_STEPS,
        ("filing", "异地就医备案凭证"),
        window="7",
        cross_region=True,
    ),
    # ── 税务局 ──────────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-SW-001",
        "增值税专用发票（增值税税控系统）最高开票限额审批",
        "licensing",
        "tax",
        (20, WD),
        (5, WD),
        4,
        0,
        "已办理税务登记的增值税一般纳税人或者自愿使用增值税专用发票的小规模纳税人，开票需求与经营规模相适应。",
        (
            regulation(
                "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）", "附件第236项"
            ),
            normative(
                "《国家税务总局关于简化增值税发票领用和使用程序有关问题的公告》（国家税务总局公告2014年第19号）",
                "第一条",
            ),
        ),
        (
            Mat("税务行政许可申请表", "纳税人盖章"),
            Mat("增值税专用发票最高开票限额申请单", "申请限额与月开票需求相适应"),
            Mat(
                "经办人身份证件",
                "在线实名认证",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        (StepRow("受理", 1), StepRow("审核（含实地查验）", 3), StepRow("决定", 1)),
        ("approval_document", "准予税务行政许可决定书"),
        window="6",
    ),
    ItemSpec(
        "BA-SW-001",
        "跨区域涉税事项报告",
        "filing",
        "tax",
        None,
        None,
        4,
        0,
        "纳税人跨省（自治区、直辖市和计划单列市）临时从事生产经营活动。",
        (
            normative(
                "《国家税务总局关于创新跨区域涉税事项报验管理制度的通知》（税总发〔2017〕103号）", "第一条"
            ),
            normative(
                "《国家税务总局关于明确跨区域涉税事项报验管理相关问题的公告》（国家税务总局公告2018年第38号）",
                "第一条",
            ),
        ),
        (
            Mat(
                "跨区域涉税事项报告表",
                "经营地点、有效期限填写准确",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat(
                "外出经营合同",
                "合同在有效期内",
                material_type="copy",
                necessity="conditional",
                condition="以合同方式跨区域经营的",
            ),
            Mat(
                "经办人身份证件",
                "在线实名认证",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
        ),
        IMMEDIATE_STEPS,
        ("filing", "跨区域涉税事项报告表（回执）"),
        window="6",
    ),
    # ── 水利局 ──────────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "XK-SL-001",
        "取水许可",
        "licensing",
        "water",
        (45, WD),
        (20, WD),
        3,
        0,
        "取水符合水资源综合规划、流域综合规划、水中长期供求规划和水功能区划，符合用水总量控制指标和取水许可条件。",
        (
            law("《中华人民共和国水法》", "第七条、第四十八条"),
            regulation("《取水许可和水资源费征收管理条例》", "第十二条、第二十一条"),
        ),
        (
            Mat("取水申请书", "取水水源、取水量、用途填写准确"),
            Mat("建设项目水资源论证报告书（表）", "论证单位自主选择，结论明确", source="intermediary"),
            Mat("与第三者利害关系的相关说明", "已征求利害关系人意见"),
            LICENSE,
            Mat(
                "项目批准、核准或者备案文件",
                "在线核验",
                material_type="electronic",
                form="electronic",
                necessity="conditional",
                source="government",
                evidence="A",
                copies=0,
                condition="建设项目取水的",
            ),
        ),
        (
            StepRow("受理", 1),
            StepRow("水资源论证报告书技术审查", 15, special="expert_review", counts=False),
            StepRow("审查", 14),
            StepRow("决定", 5),
        ),
        ("license", "取水许可证（电子证照）"),
        levels=("county", "city"),
        window="2",
        intermediary="建设项目水资源论证报告书（表）编制",
        legal_note="水资源论证报告书技术审查（专家评审）时间不计入审批时限",
    ),
    ItemSpec(
        "XK-SL-002",
        "河道管理范围内建设项目工程建设方案审批",
        "licensing",
        "water",
        (20, WD),
        (10, WD),
        3,
        0,
        "建设项目符合防洪规划、河道整治规划和岸线利用管理规划，不影响河势稳定、防洪安全和第三人合法水事权益。",
        (
            law("《中华人民共和国水法》", "第三十八条"),
            law("《中华人民共和国防洪法》", "第二十七条"),
            regulation("《中华人民共和国河道管理条例》", "第十一条"),
        ),
        (
            Mat("河道管理范围内建设项目申请书", "建设地点、规模填写准确"),
            Mat(
                "建设项目所依据的文件",
                "立项文件或者规划文件",
                material_type="copy",
                source="government",
                evidence="A",
            ),
            Mat("建设项目防洪评价报告", "评价结论明确", source="intermediary"),
            Mat("工程建设方案及位置图", "标明与堤防、河道的关系"),
            LICENSE,
        ),
        (
            StepRow("受理", 1),
            StepRow("审查", 3),
            StepRow("专家评审", 5, special="expert_review", counts=False),
            StepRow("决定", 2),
        ),
        ("approval_document", "河道管理范围内建设项目审批决定书"),
        window="2",
        intermediary="建设项目防洪评价报告编制",
    ),
    ItemSpec(
        "XK-SL-003",
        "生产建设项目水土保持方案审批",
        "licensing",
        "water",
        (20, WD),
        (5, WD),
        4,
        0,
        "在山区、丘陵区、风沙区以及水土保持规划确定的容易发生水土流失的其他区域开办可能造成水土流失的生产建设项目。",
        (
            law("《中华人民共和国水土保持法》", "第二十五条、第二十六条"),
            local("《湖南省实施〈中华人民共和国水土保持法〉办法》", "第十五条"),
        ),
        (
            Mat("生产建设项目水土保持方案审批申请", "建设单位盖章"),
            Mat("水土保持方案报告书（报告表）", "防治措施和投资估算明确", source="intermediary"),
            LICENSE,
        ),
        _steps_3("技术审查", total=5),
        ("approval_document", "水土保持方案批复"),
        window="2",
        intermediary="水土保持方案报告书编制",
    ),
    # ── 发展和改革局 ────────────────────────────────────────────────────────────────────────
    ItemSpec(
        "BA-FG-001",
        "企业投资项目备案",
        "filing",
        "development",
        None,
        None,
        4,
        0,
        "不属于《政府核准的投资项目目录》范围的企业投资项目。",
        (
            regulation("《企业投资项目核准和备案管理条例》", "第三条、第十三条"),
            rule("《企业投资项目核准和备案管理办法》（国家发展改革委令第2号）", "第四十条"),
        ),
        (
            Mat(
                "企业基本情况",
                "通过市场主体登记信息在线核验",
                material_type="electronic",
                form="electronic",
                source="government",
                evidence="A",
                copies=0,
            ),
            Mat(
                "项目名称、建设地点、建设规模、建设内容",
                "在投资项目在线审批监管平台如实填报",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
            Mat("项目总投资额", "与建设规模相适应", material_type="electronic", form="electronic", copies=0),
            Mat(
                "项目符合国家产业政策的声明",
                "企业盖章",
                evidence="D",
                material_type="electronic",
                form="electronic",
                copies=0,
            ),
        ),
        IMMEDIATE_STEPS,
        ("filing", "企业投资项目备案证明"),
        window="2",
    ),
)


# Demo realism: a few items stay drafts, one is suspended, one has a change in progress.
DRAFTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("gaoxin", "XK-ZJ-007"),
        ("datonghu", "XK-SL-003"),
        ("taojiang", "XK-WL-004"),
    }
)
SUSPENDED: dict[tuple[str, str], tuple[str, str]] = {
    ("anhua", "XK-YJ-002"): (
        "烟花爆竹零售网点布局规划修编期间，暂停受理新设零售点申请。",
        "安应急发〔2026〕3号",
    ),
}
CHANGES: dict[tuple[str, str], dict[str, Any]] = {
    ("heshan", "XK-SC-001"): {
        "change_summary": "优化审批流程：窗口即时受理，承诺办结时限由3个工作日压缩为2个工作日",
        "elements": {"promised_limit": 2},
        "steps": (
            StepRow("受理", None, IMMEDIATE),
            StepRow("审查（含现场核查）", 1),
            StepRow("决定", 1),
        ),
    },
}


def unit_applies(spec: ItemSpec, unit_key: str, *, is_city: bool) -> bool:
    """Whether the unit implements the item."""
    if unit_key in spec.exclude:
        return False
    return ("city" in spec.levels) if is_city else ("county" in spec.levels)


def step_rows(steps: Iterable[StepRow]) -> list[dict[str, Any]]:
    steps = list(steps)
    rows = []
    for index, step in enumerate(steps):
        if step.office:
            office, handler = step.office, step.handler or "工作人员"
        elif index == 0:
            office, handler = "综合受理窗口", "窗口受理人员"
        elif index == len(steps) - 1:
            office, handler = "审批股", "分管负责人"
        else:
            office, handler = "业务股室", "审查人员"
        rows.append(
            {
                "name": step.name,
                "office": office,
                "handler_role": step.handler or handler,
                "limit": step.limit,
                "limit_unit": step.unit,
                "special_procedure": step.special,
                "counts_in_limit": step.counts,
            }
        )
    return rows


def version_elements(
    spec: ItemSpec,
    *,
    location: str,
    office_hours: str,
    consult_phone: str,
    complaint_phone: str,
    reconsideration_body: str,
    litigation_body: str,
    delegated: bool = False,
) -> dict[str, Any]:
    """The ItemVersion elements of `spec` as implemented at one place (DOMAIN §2.2)."""
    immediate = spec.promised is None
    case_kind = spec.case_kind or ("immediate" if immediate else "promised")
    visits_free = spec.visits == 0
    delivery = ["electronic", "mail"] if visits_free else ["window", "mail"]
    excluded = [s.name for s in spec.steps if not s.counts]
    if immediate:
        promised_note = "材料齐全、符合法定形式的，当场办结"
    elif excluded:
        promised_note = f"自受理之日起计算；{'、'.join(excluded)}时间不计入办理时限"
    else:
        promised_note = "自受理之日起计算"
    step_names = " → ".join(s.name for s in spec.steps)
    channel = "网上申请或者窗口提交材料" if spec.depth >= 2 else "窗口提交材料"
    return {
        "power_source": "delegated" if delegated else "statutory",
        "joint_departments": spec.joint,
        "case_kind": case_kind,
        "legal_limit": spec.legal[0] if spec.legal else None,
        "legal_limit_unit": spec.legal[1] if spec.legal else WD,
        "legal_limit_note": spec.legal_note or ("" if spec.legal else "无法定时限，按照高效便民的原则办理"),
        "promised_limit": None if immediate else spec.promised[0],
        "promised_limit_unit": IMMEDIATE if immediate else spec.promised[1],
        "promised_limit_note": promised_note,
        "acceptance_conditions": spec.conditions,
        "process_description": f"{channel} → {step_names} → 结果送达",
        "online_available": spec.depth >= 2,
        "online_depth": spec.depth,
        "online_url": ONLINE_URL if spec.depth >= 2 else "",
        "appointment_supported": spec.visits > 0,
        "appointment_daily_quota": 30 if spec.visits > 0 else None,
        "online_payment": bool(spec.fees),
        "express_delivery": "mail" in delivery,
        "self_service_terminal": spec.self_service,
        "onsite_visits": spec.visits,
        "onsite_reason": spec.onsite_reason,
        "location": location,
        "office_hours": office_hours,
        "in_hall": True,
        "cross_region": spec.cross_region,
        "cross_region_scope": "全市通办" if spec.cross_region else "",
        "result_type": spec.result[0],
        "result_name": spec.result[1],
        "delivery_modes": delivery,
        "charges_fee": bool(spec.fees),
        "fee_basis": spec.fee_basis,
        "consult_phone": consult_phone,
        "complaint_phone": complaint_phone,
        "rights_and_obligations": RIGHTS_AND_OBLIGATIONS,
        "reconsideration_body": reconsideration_body,
        "litigation_body": litigation_body,
        "intermediary_service": spec.intermediary,
        "license_relation": spec.relation,
        "reform_mode": spec.reform,
    }


def acceptance_standard(material: Mat) -> str:
    """受理标准 as the guide shows it to applicants (the 审查要点 are for the clerk)."""
    if material.material_type == "electronic":
        if material.source == "government":
            return "通过数据共享在线获取，申请人无需提交"
        return "在线填报或者上传电子文件"
    if material.material_type == "copy":
        return f"复印件{material.copies}份，签字或者盖章确认与原件一致"
    if material.material_type == "original_and_copy":
        return f"原件核验后退回，留存复印件{material.copies}份"
    return f"原件{material.copies}份"


def version_children(spec: ItemSpec) -> dict[str, list[dict[str, Any]]]:
    """The child rows (legal bases, materials, steps, fees, FAQs) of `spec`; empty kinds are left out."""
    children = {
        "legal_bases": [{"document": b.document, "article": b.article, "level": b.level} for b in spec.bases],
        "materials": [
            {
                "name": m.name,
                "material_type": m.material_type,
                "form": m.form,
                "necessity": m.necessity,
                "condition_note": m.condition,
                "source": m.source,
                "source_note": m.source_note,
                "paper_copies": m.copies,
                "paper_spec": "A4" if m.copies else "",
                "acceptance_standard": acceptance_standard(m),
                "review_points": m.review,
                "evidence_level": m.evidence,
            }
            for m in spec.materials
        ],
        "steps": step_rows(spec.steps),
        "fee_items": [
            {
                "name": f.name,
                "standard": f.standard,
                "basis": f.basis,
                "reducible": f.reducible,
                "reduction_basis": f.reduction_basis,
            }
            for f in spec.fees
        ],
        "faqs": [{"question": q, "answer": a} for q, a in spec.faqs],
    }
    return {kind: rows for kind, rows in children.items() if rows}
