"""A 食品经营许可 with situations: the example the guidance tests share."""

from __future__ import annotations

from dataclasses import dataclass

from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.tests.factories import default_children, make_item
from zhengwu.guidance import services
from zhengwu.guidance.models import Option, Question
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory

PROXY = "授权委托书及受托人身份证件"


def food_materials() -> list[dict]:
    base = default_children()["materials"]
    conditional = [
        ("经营场所产权证明", "copy"),
        ("经营场所租赁合同", "copy"),
        ("冷食类、生食类专间说明", "original"),
        ("网店网址", "electronic"),
        (PROXY, "original"),
    ]
    return [
        *base,
        *(
            {
                "name": name,
                "material_type": kind,
                "form": "both",
                "necessity": "conditional",
                "paper_copies": 1,
            }
            for name, kind in conditional
        ),
    ]


@dataclass
class Guided:
    item: ServiceItem
    questions: dict[str, Question]

    def option(self, full_key: str) -> Option:
        question_key, option_key = full_key.split(".")
        return self.questions[question_key].options.get(key=option_key)

    def answers(self, *full_keys: str) -> dict[str, list[int]]:
        """{question id: [option id, …]} as the API and the services take them."""
        out: dict[str, list[int]] = {}
        for key in full_keys:
            option = self.option(key)
            out.setdefault(str(option.question_id), []).append(option.pk)
        return out

    def query(self, *full_keys: str) -> dict[str, list[str]]:
        """The wizard's form fields q<question id>."""
        return {f"q{k}": [str(v) for v in vs] for k, vs in self.answers(*full_keys).items()}


def make_guided_item(
    *, publish: bool = True, department=None, name: str = "食品经营许可", **kwargs
) -> Guided:
    """Questions: 经营场所性质 (own/rented), 经营项目 (multiple: cold/raw), 是否网络经营 (no/yes),
    网络经营方式 (shown after online.yes: platform), 由谁办理 (self/proxy, through the shared rule set)."""
    department = department or DepartmentFactory(region=RegionFactory(code="430903000000", name="赫山区"))
    item = make_item(publish=False, department=department, name=name, materials=food_materials(), **kwargs)
    version = item.versions.get()
    q = {}
    q["premises"] = services.question_create(
        version=version, key="premises", text="经营场所性质", options=[("own", "自有"), ("rented", "租赁")]
    )
    q["scope"] = services.question_create(
        version=version,
        key="scope",
        text="经营项目",
        kind="multiple",
        help="都不涉及的不用勾选。",
        options=[("cold", "冷食类食品制售"), ("raw", "生食类食品制售")],
    )
    q["online"] = services.question_create(
        version=version, key="online", text="是否网络经营", options=[("no", "否"), ("yes", "是")]
    )
    q["channel"] = services.question_create(
        version=version,
        key="channel",
        text="网络经营方式",
        options=[("platform", "入网第三方平台")],
        depends_on=q["online"].options.get(key="yes"),
    )
    q["agent"] = services.question_create(
        version=version, key="agent", text="由谁办理", options=[("self", "本人办理"), ("proxy", "委托代理人")]
    )
    rules = [
        ("premises.own", "add_material", {"material_name": "经营场所产权证明"}),
        ("premises.rented", "add_material", {"material_name": "经营场所租赁合同"}),
        ("scope.cold", "add_material", {"material_name": "冷食类、生食类专间说明"}),
        ("scope.raw", "add_material", {"material_name": "冷食类、生食类专间说明"}),
        ("scope.raw", "add_condition", {"text": "制售生食类食品的，应当设置专用操作间。"}),
        ("scope.raw", "set_limit", {"limit": 8}),
        ("channel.platform", "add_material", {"material_name": "网店网址"}),
        ("online.yes", "add_fee", {"text": "平台服务费：由平台收取，不属于行政收费"}),
    ]
    for when, effect, extra in rules:
        services.rule_create(version=version, when=[when], effect=effect, **extra)
    services.rule_set_link(version=version, rule_set=proxy_rule_set())
    if publish:
        catalog_services.item_version_publish(
            version=version, actor=None, approving_document="测试发〔2026〕2号"
        )
    item.refresh_from_db()
    return Guided(item=item, questions=q)


def proxy_rule_set():
    from zhengwu.guidance.models import RuleSet

    existing = RuleSet.objects.filter(name="委托代理人办理").first()
    if existing is not None:
        return existing
    rule_set = services.rule_set_create(name="委托代理人办理", description="委托他人办理的，增加授权委托书。")
    services.rule_create(rule_set=rule_set, when=["agent.proxy"], effect="add_material", material_name=PROXY)
    return rule_set
