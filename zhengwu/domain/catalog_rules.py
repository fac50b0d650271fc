"""Validation rules of a service-item version (DOMAIN §2.7), as pure functions.

The catalogue app turns a version into an `ItemFacts` and asks `check_item`; every violation
names the field it is about, in Chinese, so a page, the API and the Excel import can all show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The §45 procedures whose time may be excluded from the statutory clock.
EXCLUDABLE_PROCEDURES = frozenset(
    {"hearing", "tender", "auction", "inspection", "testing", "quarantine", "appraisal", "expert_review"}
)

FIELD_LABELS = {
    "name": "事项名称",
    "department": "实施主体",
    "legal_limit": "法定办结时限",
    "promised_limit": "承诺办结时限",
    "promised_limit_unit": "承诺时限单位",
    "case_kind": "办件类型",
    "steps": "办理环节",
    "onsite_visits": "到办事现场次数",
    "onsite_reason": "必须现场办理原因",
    "online_depth": "网上办理深度",
    "express_delivery": "支持物流快递",
    "fee_basis": "收费依据",
    "fee_items": "收费项目",
    "online_payment": "支持网上支付",
    "legal_bases": "设定依据",
    "acceptance_conditions": "受理条件",
    "materials": "申请材料",
    "process_description": "办理流程",
    "location": "办理地点",
    "office_hours": "办理时间",
    "consult_phone": "咨询电话",
    "complaint_phone": "监督投诉电话",
    "delivery_modes": "送达方式",
}


@dataclass(frozen=True)
class StepFacts:
    name: str
    limit: int | None
    limit_unit: str
    special_procedure: str = ""
    counts_in_limit: bool = True


@dataclass(frozen=True)
class LegalBasisFacts:
    document: str
    article: str


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know about one item version."""

    name: str
    item_type_key: str
    licensing: bool
    case_kind: str
    legal_limit: int | None
    legal_limit_unit: str
    promised_limit: int | None
    promised_limit_unit: str
    onsite_visits: int
    onsite_reason: str
    online_depth: int
    express_delivery: bool
    charges_fee: bool
    fee_basis: str
    fee_item_count: int
    online_payment: bool
    acceptance_conditions: str = ""
    process_description: str = ""
    location: str = ""
    office_hours: str = ""
    consult_phone: str = ""
    complaint_phone: str = ""
    delivery_modes: tuple[str, ...] = ()
    material_count: int = 0
    steps: tuple[StepFacts, ...] = ()
    legal_bases: tuple[LegalBasisFacts, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Violation:
    field: str
    message: str


def _limit_text(value: int | None, unit: str) -> str:
    names = {"working_day": "个工作日", "natural_day": "个自然日", "hour": "小时", "immediate": "即办"}
    if unit == "immediate":
        return "即办"
    return f"{value}{names.get(unit, unit)}"


def check_limits(facts: ItemFacts) -> list[Violation]:
    """Rules 1–3: the promise lies within the law; 即办件 ⇔ immediate unit; steps fit the promise."""
    out: list[Violation] = []
    immediate_kind = facts.case_kind == "immediate"
    immediate_unit = facts.promised_limit_unit == "immediate"
    if immediate_kind and not immediate_unit:
        out.append(Violation("promised_limit_unit", "即办件的承诺时限单位必须为“即办”（承诺时限为 0）。"))
    if immediate_unit and not immediate_kind:
        out.append(Violation("case_kind", "承诺时限为“即办”的事项，办件类型必须为即办件。"))
    if immediate_kind and facts.promised_limit not in (None, 0):
        out.append(Violation("promised_limit", "即办件的承诺办结时限必须为 0。"))
    if not immediate_unit and facts.promised_limit is None:
        out.append(Violation("promised_limit", "承诺件必须填写承诺办结时限。"))
    if not immediate_unit and facts.promised_limit == 0:
        out.append(Violation("promised_limit", "承诺办结时限必须大于 0；当场办结的事项应设为即办件。"))

    if facts.legal_limit is not None and facts.promised_limit is not None and not immediate_unit:
        if facts.legal_limit_unit == facts.promised_limit_unit:
            if facts.promised_limit > facts.legal_limit:
                out.append(
                    Violation(
                        "promised_limit",
                        f"承诺办结时限（{_limit_text(facts.promised_limit, facts.promised_limit_unit)}）"
                        f"不得超过法定办结时限（{_limit_text(facts.legal_limit, facts.legal_limit_unit)}）。",
                    )
                )
        elif facts.legal_limit_unit != "immediate":
            out.append(
                Violation(
                    "promised_limit_unit",
                    "承诺时限与法定时限的单位不同，无法比较：请使用相同单位，或法定时限留空（无法定时限）。",
                )
            )

    if facts.promised_limit and facts.promised_limit_unit == "working_day":
        counted = [s for s in facts.steps if s.counts_in_limit and s.limit_unit == "working_day" and s.limit]
        total = sum(s.limit or 0 for s in counted)
        if total > facts.promised_limit:
            out.append(
                Violation(
                    "steps",
                    f"各办理环节时限之和（{total}个工作日）超过承诺办结时限（{facts.promised_limit}个工作日）。",
                )
            )
    for index, step in enumerate(facts.steps, start=1):
        if not step.counts_in_limit and step.special_procedure not in EXCLUDABLE_PROCEDURES:
            out.append(
                Violation(
                    "steps",
                    f"第{index}个环节“{step.name}”不计入法定时限，必须对应行政许可法第四十五条规定的特别程序"
                    "（听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审）。",
                )
            )
    return out


def check_visits(facts: ItemFacts) -> list[Violation]:
    """Rule 4: visits and online depth agree."""
    out: list[Violation] = []
    if facts.onsite_visits != 0 and not facts.onsite_reason.strip():
        out.append(Violation("onsite_reason", "到办事现场次数不为 0 时，必须填写必须现场办理原因。"))
    if facts.online_depth == 4 and facts.onsite_visits != 0:
        out.append(
            Violation("onsite_visits", "网上办理深度为四级（全程网办）的事项，到办事现场次数必须为 0。")
        )
    if facts.online_depth == 3 and facts.onsite_visits > 1:
        out.append(
            Violation("onsite_visits", "网上办理深度为三级（在线申办）的事项，到办事现场次数不得超过 1 次。")
        )
    if facts.onsite_visits == 0 and facts.online_depth < 4 and not facts.express_delivery:
        out.append(Violation("express_delivery", "零跑动事项网上办理深度不足四级时，必须支持物流快递送达。"))
    return out


def check_fees(facts: ItemFacts) -> list[Violation]:
    """Rule 5: a fee has a basis, at least one fee item and online payment; no fee, no payment."""
    out: list[Violation] = []
    if facts.charges_fee:
        if not facts.fee_basis.strip():
            out.append(Violation("fee_basis", "收费事项必须填写收费依据。"))
        if facts.fee_item_count < 1:
            out.append(Violation("fee_items", "收费事项至少需要一个收费项目。"))
        if not facts.online_payment:
            out.append(Violation("online_payment", "收费事项必须支持网上支付。"))
    elif facts.online_payment:
        out.append(Violation("online_payment", "不收费事项的网上支付应为“不支持”。"))
    return out


def check_legal_basis(facts: ItemFacts) -> list[Violation]:
    """Rule 8: a licensing item cites at least one document with its article."""
    if not facts.licensing:
        return []
    if any(b.document.strip() and b.article.strip() for b in facts.legal_bases):
        return []
    return [Violation("legal_bases", "行政许可事项至少需要一条写明文件名称和条款的设定依据。")]


def check_guide_fields(facts: ItemFacts) -> list[Violation]:
    """Rule 7: a published guide carries the core fields."""
    required = {
        "acceptance_conditions": facts.acceptance_conditions,
        "process_description": facts.process_description,
        "location": facts.location,
        "office_hours": facts.office_hours,
        "consult_phone": facts.consult_phone,
        "complaint_phone": facts.complaint_phone,
    }
    out = [
        Violation(name, f"{FIELD_LABELS[name]}为办事指南必填项。")
        for name, value in required.items()
        if not value.strip()
    ]
    if facts.material_count == 0:
        out.append(Violation("materials", "申请材料为办事指南必填项，至少需要一项材料。"))
    if not facts.delivery_modes:
        out.append(Violation("delivery_modes", "结果送达方式为办事指南必填项。"))
    return out


def check_item(facts: ItemFacts) -> list[Violation]:
    """Every rule a version must pass before it is published."""
    if not facts.name.strip():
        return [Violation("name", "事项名称不能为空。")]
    return [
        *check_limits(facts),
        *check_visits(facts),
        *check_fees(facts),
        *check_legal_basis(facts),
        *check_guide_fields(facts),
    ]


def violations_by_field(violations: list[Violation]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for violation in violations:
        grouped.setdefault(violation.field, []).append(violation.message)
    return grouped


def format_guide_limit(case_kind: str, value: int | None, unit: str) -> str:
    """How a guide shows a limit: 即办件 → "当场办结", else "N个工作日"."""
    if case_kind == "immediate" or unit == "immediate":
        return "当场办结"
    if value is None:
        return "无法定时限"
    return _limit_text(value, unit)


def material_key(name: str) -> str:
    """A material or certificate name compared loosely: blanks dropped, full-width brackets folded. The
    same material asked by two items of a bundle, or a material and the certificate that provides it,
    have the same key."""
    return "".join(name.split()).replace("（", "(").replace("）", ")")
