"""Demo bundles (一件事) for every region whose catalogue holds their items, seeded by `zhengwu demo`.

Members are looked up by item name within the region; a member whose item the region does not
implement is left out, and a bundle with fewer than two members is not created. Idempotent: a bundle
is found by its code "<region6>-<key>" and left alone when it exists. Demo values, not an official list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from zhengwu.bundles.choices import BundleKind
from zhengwu.bundles.models import Bundle, BundleMember, BundleOption, BundleQuestion, BundleStage
from zhengwu.catalog.models import ServiceItem
from zhengwu.organization.models import Region


@dataclass(frozen=True)
class Member:
    item: str  # item name in the catalogue
    stage: int = 1
    condition: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BundleSpec:
    key: str
    name: str
    description: str
    members: tuple[Member, ...]
    questions: tuple[Question, ...] = ()
    kind: str = BundleKind.GENERAL
    time_target: int | None = None  # working days, submission to the last member's result
    stages: tuple[tuple[str, int | None], ...] = ()  # (name, time target) of stage 1, 2, …


YES_NO = (("yes", "是"), ("no", "否"))

BUNDLES: tuple[BundleSpec, ...] = (
    BundleSpec(
        "restaurant",
        "我要开餐馆",
        "个体餐馆开业涉及的登记、许可一次告知、一表申请：先办营业执照，取得后并联办理食品经营许可等。",
        (
            Member("个体工商户设立登记", 1),
            Member("食品经营许可", 2),
            Member("公共场所卫生许可", 2, "venue.yes"),
            Member("户外广告设施设置许可", 2, "sign.yes"),
        ),
        (
            Question("venue", "营业场所是否属于需办理卫生许可的公共场所（如设有茶座、歌舞等）？", YES_NO),
            Question("sign", "是否设置户外招牌或广告设施？", YES_NO),
        ),
    ),
    BundleSpec(
        "company",
        "企业开办",
        "营业执照、公章刻制、发票申领一次办：领取营业执照后并联办理公章刻制备案和发票相关事项。",
        (
            Member("企业设立登记", 1),
            Member("公章刻制备案", 2),
            Member("增值税专用发票（增值税税控系统）最高开票限额审批", 2, "invoice.yes"),
        ),
        (Question("invoice", "是否需要开具增值税专用发票？", YES_NO),),
        kind=BundleKind.BUSINESS_STARTUP,
        time_target=3,
        stages=(("营业执照", 1), ("公章刻制和发票申领", 2)),
    ),
    BundleSpec(
        "newborn",
        "新生儿出生一件事",
        "出生医学证明、户口登记、医保参保、社保卡申领一次办。",
        (
            Member("出生医学证明签发", 1),
            Member("户口迁移", 2),
            Member("城乡居民基本医疗保险参保登记", 2),
            Member("社会保障卡申领", 2, "card.yes"),
        ),
        (Question("card", "是否同时为新生儿申领社会保障卡？", YES_NO),),
    ),
    BundleSpec(
        "retirement",
        "退休一件事",
        "养老保险待遇、医保、社保卡和高龄津贴等一次告知、并联办理。",
        (
            Member("城乡居民基本养老保险参保登记", 1),
            Member("社会保障卡申领", 1),
            Member("基本医疗保险参保人员异地就医备案", 1, "abroad.yes"),
            Member("高龄津贴发放", 1, "age.eighty"),
        ),
        (
            Question("abroad", "退休后是否长期在外地居住？", YES_NO),
            Question("age", "申请人年龄", (("eighty", "80周岁及以上"), ("under", "80周岁以下"))),
        ),
    ),
    BundleSpec(
        "resale",
        "二手房转移登记及水电气过户",
        "二手房转移登记和抵押登记一窗办理；水电气过户由供水、供电、燃气企业凭登记结果联动办理（演示数据暂不含企业事项）。",
        (Member("不动产转移登记", 1), Member("不动产抵押权登记", 2, "loan.yes")),
        (Question("loan", "购房是否办理按揭贷款？", YES_NO),),
    ),
    BundleSpec(
        "construction",
        "工程建设项目审批（社会投资一般项目）",
        "立项用地规划许可、工程建设许可、施工许可、竣工验收四个阶段，阶段内并联审批，前一阶段全部办结后进入下一阶段；"
        "全流程审批时间目标 80 个工作日（演示目标值，各地以本地改革方案为准）。",
        (
            Member("企业投资项目备案", 1),
            Member("建设用地规划许可证核发", 1),
            Member("建设项目环境影响报告表审批", 1, "eia.report"),
            Member("生产建设项目水土保持方案审批", 1, "soil.yes"),
            Member("建设工程规划许可证核发", 2),
            Member("建筑工程施工许可证核发", 3),
            Member("占用挖掘城市道路审批", 3, "road.yes"),
            Member("城镇污水排入排水管网许可", 4),
            Member("房屋建筑和市政基础设施工程竣工验收备案", 4),
        ),
        (
            Question(
                "eia",
                "按《建设项目环境影响评价分类管理名录》，项目应编制哪类环评文件？",
                (("report", "环境影响报告表"), ("register", "环境影响登记表（备案即可）")),
            ),
            Question(
                "soil", "项目征占地面积是否在 0.5 公顷以上或者挖填土石方总量在 1000 立方米以上？", YES_NO
            ),
            Question("road", "施工是否需要占用、挖掘城市道路？", YES_NO),
        ),
        kind=BundleKind.CONSTRUCTION,
        time_target=80,
        stages=(("立项用地规划许可", 20), ("工程建设许可", 20), ("施工许可", 15), ("竣工验收", 25)),
    ),
)


@transaction.atomic
def load() -> tuple[int, int, str]:
    """Create the demo bundles; returns (created, total, detail)."""
    names = {m.item for spec in BUNDLES for m in spec.members}
    items: dict[tuple[int, str], ServiceItem] = {}
    for item in ServiceItem.objects.filter(name__in=names, current_version__isnull=False).order_by("pk"):
        items.setdefault((item.region_id, item.name), item)
    regions = Region.objects.filter(pk__in={region_id for region_id, _ in items})
    created = total = 0
    for region in regions.order_by("code"):
        for sort_order, spec in enumerate(BUNDLES, start=1):
            members = [(m, items[(region.pk, m.item)]) for m in spec.members if (region.pk, m.item) in items]
            if len(members) < 2:
                continue
            total += 1
            code = f"{region.code[:6]}-{spec.key}"
            if Bundle.objects.filter(code=code).exists():
                continue
            bundle = Bundle.objects.create(
                code=code,
                name=spec.name,
                description=spec.description,
                region=region,
                sort_order=sort_order,
                kind=spec.kind,
                time_target=spec.time_target,
            )
            BundleStage.objects.bulk_create(
                BundleStage(bundle=bundle, number=number, name=name, time_target=target)
                for number, (name, target) in enumerate(spec.stages, start=1)
            )
            for q_order, question in enumerate(spec.questions, start=1):
                row = BundleQuestion.objects.create(
                    bundle=bundle, key=question.key, text=question.text, sort_order=q_order
                )
                for o_order, (key, label) in enumerate(question.options, start=1):
                    BundleOption.objects.create(question=row, key=key, label=label, sort_order=o_order)
            for order, (member, item) in enumerate(members, start=1):
                BundleMember.objects.create(
                    bundle=bundle, item=item, order=order, stage=member.stage, condition=member.condition
                )
            created += 1
    return created, total, f"{len(BUNDLES)} 种一件事"
