"""Demo situations (智能导办) for five popular items, seeded by `zhengwu demo` (idempotent).

For every county-level unit that implements one of the items below, the seeding opens a 变更 of the
published version (catalogue service), adds the conditional materials the situations need, the
questions, the shared rule sets and the item's own rules, checks them with `guidance_validate`, and
publishes the new version — the path a real department would take. Where a change is already in
progress (a draft exists), the situations go onto that draft and it stays a draft. A version that
already has questions is left alone, so a second run creates nothing.

Situations follow seed 001 (证照种类、场所性质、场地面积、投资金额 …); the material names, texts and
limits are plausible demo values, not an official 实施清单.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.choices import VersionStatus
from zhengwu.catalog.demo_data import PROXY, Mat, acceptance_standard
from zhengwu.catalog.models import ItemVersion, Material, ServiceItem
from zhengwu.common.errors import DomainError
from zhengwu.guidance import services
from zhengwu.guidance.models import Option, RuleSet
from zhengwu.guidance.selectors import version_has_guidance


@dataclass(frozen=True)
class Ask:
    """A question; `depends_on` is the full key of an option of an earlier question."""

    key: str
    text: str
    options: tuple[tuple[str, str], ...]
    multiple: bool = False
    help: str = ""
    depends_on: str = ""


@dataclass(frozen=True)
class When:
    """A rule; `target` is the base code of the item routed to, in the same unit."""

    when: tuple[str, ...]
    effect: str
    material: str = ""
    text: str = ""
    limit: int | None = None
    target: str = ""


@dataclass(frozen=True)
class Situations:
    base_code: str
    change_summary: str
    questions: tuple[Ask, ...]
    rules: tuple[When, ...]
    materials: tuple[Mat, ...] = ()  # conditional materials the change adds to the version
    rule_sets: tuple[str, ...] = ()


def _conditional(name: str, review: str, condition: str, **kwargs: Any) -> Mat:
    return Mat(name, review, necessity="conditional", condition=condition, **kwargs)


YES_NO = (("no", "否"), ("yes", "是"))
AGENT = Ask(
    "agent",
    "由谁办理",
    (("self", "申请人（法定代表人、经营者）本人办理"), ("proxy", "委托他人代为办理")),
    help="委托他人办理的，需提交授权委托书及受托人身份证件。",
)

RULE_SETS: dict[str, tuple[str, tuple[When, ...]]] = {
    "委托代理人办理": (
        "申请人委托他人办理的，增加授权委托书及受托人身份证件。使用本规则集的事项需有问题“agent”及其选项“proxy”。",
        (When(("agent.proxy",), "add_material", material=PROXY.name),),
    ),
}

FOOD_OWN = _conditional(
    "经营场所产权证明", "产权人与申请人一致，地址与申请书一致", "经营场所为自有的", material_type="copy"
)
FOOD_RENTED = _conditional(
    "经营场所租赁合同及出租方产权证明",
    "租赁合同在有效期内，出租方为产权人或者有权转租",
    "经营场所为租赁的",
    material_type="copy",
)
FOOD_ROOM = _conditional(
    "冷食类、生食类食品制售专间平面图及操作流程",
    "专间面积、设施与制售品种相适应，流程满足生熟分开要求",
    "经营冷食类或者生食类食品制售的",
)
ONLINE_ONLY = {"material_type": "electronic", "form": "electronic", "copies": 0}
FOOD_SITE = _conditional(
    "自建网站的ICP备案信息及网站名称、网址", "网站主办者与申请人一致", "通过自建网站经营的", **ONLINE_ONLY
)
FOOD_PLATFORM = _conditional(
    "入网第三方平台名称及网店网址",
    "平台已取得相应资质，网店名称与申请人一致",
    "通过第三方平台经营的",
    **ONLINE_ONLY,
)

VENUE_WATER = _conditional(
    "游泳场所水质检测报告",
    "检测项目覆盖池水浊度、余氯、pH值等指标，结论为合格",
    "游泳场所",
    source="intermediary",
)
VENUE_STAFF = _conditional(
    "卫生管理组织机构及专（兼）职卫生管理人员名单",
    "明确卫生管理负责人和专（兼）职卫生管理人员",
    "营业面积300平方米及以上的",
)
VENUE_AIR = _conditional(
    "集中空调通风系统卫生检测（评价）报告",
    "检测机构具备资质，结论为合格",
    "使用集中空调通风系统的",
    source="intermediary",
)

BUILD_FUNDS = _conditional(
    "政府投资项目资金来源证明",
    "发展改革或者财政部门的批复文件，资金额度与合同价款相适应",
    "政府投资项目",
    material_type="copy",
    source="government",
)
BUILD_HAZARD = _conditional(
    "危险性较大的分部分项工程清单及安全管理措施",
    "清单完整，专项施工方案编制计划明确",
    "工程投资额5000万元及以上的",
)

SHOP_FAMILY = _conditional(
    "参加经营的家庭成员身份证件及关系证明",
    "户口簿或者结婚证等能证明家庭成员关系的材料",
    "家庭经营的",
    material_type="copy",
)

DRUG_COLD = _conditional(
    "冷藏设施设备及温湿度监测系统验证报告", "验证范围覆盖冷藏柜、温湿度自动监测系统", "经营冷藏药品的"
)
DRUG_CHAIN = _conditional(
    "药品零售连锁总部的门店授权及统一质量管理承诺", "总部持有有效药品经营许可证，授权门店地址一致", "连锁门店"
)
DRUG_SPECIAL = _conditional(
    "特殊管理药品管理制度及专人管理名单",
    "制度覆盖购进、储存、销售登记，专人名单明确",
    "经营含特殊药品复方制剂的",
)

SITUATIONS: tuple[Situations, ...] = (
    Situations(
        "XK-SC-001",
        "梳理办理情形（经营场所、经营项目、网络经营、委托办理），按情形细化申请材料",
        (
            Ask("premises", "经营场所性质", (("own", "自有"), ("rented", "租赁"))),
            Ask(
                "scope",
                "经营项目",
                (("cold", "冷食类食品制售"), ("raw", "生食类食品制售")),
                multiple=True,
                help="都不涉及的不用勾选。",
            ),
            Ask("online", "是否网络经营", YES_NO),
            Ask(
                "channel",
                "网络经营方式",
                (("own_site", "自建网站"), ("platform", "入网第三方平台")),
                depends_on="online.yes",
            ),
            AGENT,
        ),
        (
            When(("premises.own",), "add_material", material=FOOD_OWN.name),
            When(("premises.rented",), "add_material", material=FOOD_RENTED.name),
            When(("scope.cold",), "add_material", material=FOOD_ROOM.name),
            When(("scope.raw",), "add_material", material=FOOD_ROOM.name),
            When(
                ("scope.raw",),
                "add_condition",
                text="制售生食类食品的，应当设置专用操作间，配备专用工具、容器和清洗消毒设施。",
            ),
            When(("scope.cold",), "set_limit", limit=5),
            When(("scope.raw",), "set_limit", limit=5),
            When(
                ("online.yes",),
                "add_condition",
                text="网络经营的，应当在经营活动主页面显著位置公示食品经营许可证。",
            ),
            When(("channel.own_site",), "add_material", material=FOOD_SITE.name),
            When(("channel.platform",), "add_material", material=FOOD_PLATFORM.name),
        ),
        (FOOD_OWN, FOOD_RENTED, FOOD_ROOM, FOOD_SITE, FOOD_PLATFORM),
        ("委托代理人办理",),
    ),
    Situations(
        "XK-WJ-001",
        "梳理办理情形（场所类型、营业面积、集中空调），按情形细化申请材料",
        (
            Ask(
                "venue",
                "场所类型",
                (
                    ("hotel", "住宿场所（宾馆、酒店、旅店）"),
                    ("bath", "沐浴场所"),
                    ("beauty", "美容美发场所"),
                    ("swim", "游泳场所"),
                ),
            ),
            Ask("area", "营业面积", (("small", "300平方米以下"), ("large", "300平方米及以上"))),
            Ask("air", "是否使用集中空调通风系统", YES_NO),
        ),
        (
            When(("venue.swim",), "add_material", material=VENUE_WATER.name),
            When(
                ("venue.swim",),
                "add_condition",
                text="游泳场所应当配备经培训合格的水质处理人员和救生人员。",
            ),
            When(
                ("venue.hotel",),
                "route",
                text="经营旅馆业的，还需向公安机关申请特种行业许可证（旅馆业）。",
                target="XK-GA-001",
            ),
            When(("area.large",), "add_material", material=VENUE_STAFF.name),
            When(("area.large",), "set_limit", limit=5),
            When(("air.yes",), "add_material", material=VENUE_AIR.name),
            When(
                ("air.yes",),
                "add_fee",
                text="集中空调通风系统卫生检测费用：由具备资质的检测机构收取，不属于行政事业性收费",
            ),
        ),
        (VENUE_WATER, VENUE_STAFF, VENUE_AIR),
    ),
    Situations(
        "XK-ZJ-001",
        "梳理办理情形（工程类型、投资金额、资金来源），按情形细化申请材料",
        (
            Ask(
                "kind",
                "工程类型",
                (
                    ("building", "房屋建筑工程"),
                    ("municipal", "市政基础设施工程"),
                    ("rural", "农村村民自建低层住房"),
                ),
            ),
            Ask(
                "invest",
                "工程投资额",
                (
                    ("lt30", "30万元以下（或建筑面积300平方米以下）"),
                    ("mid", "30万元至5000万元"),
                    ("ge5000", "5000万元及以上"),
                ),
            ),
            Ask("funding", "资金来源", (("private", "社会投资"), ("public", "政府投资"))),
        ),
        (
            When(
                ("kind.rural",),
                "route",
                text="农村村民在集体土地上自建低层住房的，无需办理建筑工程施工许可证，请办理乡村建设规划许可证。",
                target="XK-ZR-003",
            ),
            When(
                ("invest.lt30",),
                "add_condition",
                text="工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证；"
                "确需办理的，按本告知单准备材料。",
            ),
            When(("invest.ge5000",), "add_material", material=BUILD_HAZARD.name),
            When(("invest.ge5000",), "set_limit", limit=5),
            When(("funding.public",), "add_material", material=BUILD_FUNDS.name),
            When(("funding.public",), "drop_material", material="建设资金已经落实承诺书"),
        ),
        (BUILD_FUNDS, BUILD_HAZARD),
    ),
    Situations(
        "XK-SC-003",
        "梳理办理情形（经营形式、食品经营、委托办理），按情形细化申请材料",
        (
            Ask("form", "经营形式", (("personal", "个人经营"), ("family", "家庭经营"))),
            Ask("food", "是否从事食品经营", YES_NO, help="仅销售预包装食品的也选“是”。"),
            AGENT,
        ),
        (
            When(("form.family",), "add_material", material=SHOP_FAMILY.name),
            When(
                ("food.yes",),
                "route",
                text="取得营业执照后，从事食品经营还需办理食品经营许可（仅销售预包装食品的办理备案）。",
                target="XK-SC-001",
            ),
        ),
        (SHOP_FAMILY,),
        ("委托代理人办理",),
    ),
    Situations(
        "XK-SC-005",
        "梳理办理情形（冷藏药品、连锁门店、特殊管理药品、委托办理），按情形细化申请材料",
        (
            Ask("cold", "是否经营冷藏药品", YES_NO),
            Ask("chain", "是否为药品零售连锁门店", YES_NO),
            Ask("special", "是否经营含麻黄碱类复方制剂等含特殊药品复方制剂", YES_NO),
            AGENT,
        ),
        (
            When(("cold.yes",), "add_material", material=DRUG_COLD.name),
            When(
                ("cold.yes",),
                "add_condition",
                text="经营冷藏药品的，应当配备与经营规模相适应的冷藏设施设备和温湿度自动监测系统。",
            ),
            When(("chain.yes",), "add_material", material=DRUG_CHAIN.name),
            When(("chain.yes",), "drop_material", material="药品质量管理文件及主要设施设备目录"),
            When(("special.yes",), "add_material", material=DRUG_SPECIAL.name),
        ),
        (DRUG_COLD, DRUG_CHAIN, DRUG_SPECIAL),
        ("委托代理人办理",),
    ),
)

MATERIAL_COPY_EXCLUDE = frozenset({"id", "version", "created_at", "updated_at"})


def _material_row(material: Material) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in Material._meta.concrete_fields:
        if f.name in MATERIAL_COPY_EXCLUDE:
            continue
        value = getattr(material, f.name)
        row[f.name] = value.name if f.name in ("template_file", "sample_file") else value
    return row


def _new_material_row(m: Mat) -> dict[str, Any]:
    return {
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


def _document(version: ItemVersion) -> str:
    """The approving document of the change: the unit's series, number 8 of the year."""
    match = re.match(r"^(.*〔\d{4}〕)\d+号$", version.approving_document or "")
    return f"{match.group(1)}8号" if match else "智能导办情形梳理"


def _rule_sets() -> dict[str, RuleSet]:
    found = {rs.name: rs for rs in RuleSet.objects.filter(name__in=RULE_SETS)}
    for name, (description, rules) in RULE_SETS.items():
        if name in found:
            continue
        rule_set = services.rule_set_create(name=name, description=description)
        for rule in rules:
            services.rule_create(
                rule_set=rule_set, when=rule.when, effect=rule.effect, material_name=rule.material
            )
        found[name] = rule_set
    return found


def _seed_version(version: ItemVersion, spec: Situations, rule_sets: dict[str, RuleSet], actor: Any) -> None:
    item = version.item
    materials = list(version.materials.all())
    have = {m.name for m in materials}
    rows = [_material_row(m) for m in materials] + [
        _new_material_row(m) for m in spec.materials if m.name not in have
    ]
    catalog_services.item_version_update(version=version, actor=actor, materials=rows)

    options: dict[str, Option] = {}
    for ask in spec.questions:
        question = services.question_create(
            version=version,
            key=ask.key,
            text=ask.text,
            kind="multiple" if ask.multiple else "single",
            help=ask.help,
            depends_on=options[ask.depends_on] if ask.depends_on else None,
            options=ask.options,
        )
        for option in question.options.all():
            options[option.full_key] = option
    for name in spec.rule_sets:
        services.rule_set_link(version=version, rule_set=rule_sets[name])

    prefix = item.implementation_code[: -len(spec.base_code) - 1]
    targets = {w.target for w in spec.rules if w.target}
    published = set(
        ServiceItem.objects.filter(
            implementation_code__in=[f"{prefix}-{t}" for t in targets], current_version__isnull=False
        ).values_list("implementation_code", flat=True)
    )
    for rule in spec.rules:
        effect, target = rule.effect, ""
        if rule.target:
            target = f"{prefix}-{rule.target}"
            if target not in published:  # the unit does not implement it: say so instead
                effect, target = "add_condition", ""
        services.rule_create(
            version=version,
            when=rule.when,
            effect=effect,
            material_name=rule.material,
            text=rule.text,
            limit=rule.limit,
            target_code=target,
        )
    problems = services.guidance_validate(version=version)
    if problems:
        raise DomainError(
            "invalid", f"{item.name}（{item.implementation_code}）的演示导办情形有误：" + "；".join(problems)
        )


@transaction.atomic
def load() -> tuple[int, int, str]:
    """Seed the situations; returns (versions given situations now, items concerned, detail)."""
    rule_sets = _rule_sets()
    created = total = 0
    by_code = {spec.base_code: spec for spec in SITUATIONS}
    items = (
        ServiceItem.objects.filter(base_code__in=by_code, current_version__isnull=False)
        .select_related("current_version", "current_version__published_by")
        .order_by("implementation_code")
    )
    for item in items:
        total += 1
        spec = by_code[item.base_code]
        published = item.current_version
        actor = published.published_by
        draft = item.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is None:
            if version_has_guidance(published):
                continue
            draft = catalog_services.item_version_start_change(
                item=item, actor=actor, change_summary=spec.change_summary
            )
            _seed_version(draft, spec, rule_sets, actor)
            catalog_services.item_version_publish(
                version=draft, actor=actor, approving_document=_document(published)
            )
        else:
            if version_has_guidance(draft):
                continue
            _seed_version(draft, spec, rule_sets, actor)
        created += 1
    return created, total, f"{len(SITUATIONS)} 种事项，规则集 {len(rule_sets)} 个"
