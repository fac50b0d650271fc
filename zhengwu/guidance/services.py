"""The write paths of smart guidance, its evaluation, and the 一次性告知单.

Questions, options, a version's own rules and its rule-set links change on a *draft* version only
(`ItemVersion.is_editable`); a rule set changes only while no published or retired version uses it.
The rules themselves are evaluated by the pure `zhengwu.domain.guidance_rules`.

Hooks for the catalogue (kept out of `zhengwu/catalog/services.py` on purpose, see docs/architecture.md):
- `guidance_check(version=…)` raises a DomainError listing every guidance problem: call it in
  `item_version_publish` next to `version_check`.
- `guidance_copy(source=…, target=…)` copies the situations into the draft a 变更 opens: call it in
  `item_version_start_change` after `_copy_children`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from zhengwu.catalog import choices as cc
from zhengwu.catalog.models import ItemVersion, ServiceItem
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.common.sequences import next_in_sequence
from zhengwu.domain import guidance_rules as gr
from zhengwu.domain.catalog_rules import format_guide_limit
from zhengwu.guidance import choices as c
from zhengwu.guidance.models import GuidanceNotice, NoticeSequence, Option, Question, Rule, RuleSet
from zhengwu.guidance.selectors import GuidanceData, guidance_data, published_items_by_code

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
OPTION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}\.[a-z0-9][a-z0-9_]{0,31}$")


def _invalid(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: [message]})


def _clean_key(value: str, label: str) -> str:
    value = (value or "").strip()
    if not KEY_PATTERN.match(value):
        raise _invalid("key", f"{label}须以小写字母开头，由小写字母、数字和下划线组成，不超过32个字符。")
    return value


def _clean_text(value: str, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(field, f"{label}不能为空。", "required")
    if len(value) > max_length:
        raise _invalid(field, f"{label}不得超过{max_length}个字符。")
    return value


def _draft(version: ItemVersion) -> ItemVersion:
    """Re-read and lock the version; refuse unless it is a draft."""
    version = ItemVersion.objects.select_for_update(of=("self",)).select_related("item").get(pk=version.pk)
    if not version.is_editable:
        raise DomainError(
            "immutable",
            f"第{version.number}版{version.get_status_display()}，导办情形不能修改；请先发起变更生成新草稿。",
        )
    return version


def _editable_rule_set(rule_set: RuleSet) -> RuleSet:
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.versions.exclude(status=cc.VersionStatus.DRAFT).exists():
        raise DomainError(
            "immutable",
            f"规则集“{rule_set.name}”已被已发布的事项版本使用，不能修改；请复制为新规则集后修改。",
        )
    return rule_set


def _next_order(queryset) -> int:
    return (queryset.aggregate(m=Max("sort_order"))["m"] or 0) + 1


# ---------------------------------------------------------------------------------------------
# Questions and options


@transaction.atomic
def question_create(
    *,
    version: ItemVersion,
    key: str,
    text: str,
    kind: str = c.QuestionKind.SINGLE,
    help: str = "",
    depends_on: Option | None = None,
    sort_order: int | None = None,
    options: Sequence[tuple[str, str]] = (),
) -> Question:
    """A question at the end of the version's list (or at `sort_order`), with `options` as (key, label)."""
    version = _draft(version)
    key = _clean_key(key, "问题标识")
    if Question.objects.filter(version=version, key=key).exists():
        raise _invalid("key", f"问题标识“{key}”已存在。", "duplicate")
    if kind not in c.QuestionKind.values:
        raise _invalid("kind", "题型无效。")
    if depends_on is not None and depends_on.question.version_id != version.pk:
        raise _invalid("depends_on", "显示条件必须是本事项版本中的选项。")
    question = Question.objects.create(
        version=version,
        key=key,
        text=_clean_text(text, "text", "问题", 128),
        kind=kind,
        help=(help or "").strip()[:255],
        depends_on=depends_on,
        sort_order=sort_order if sort_order is not None else _next_order(version.guidance_questions),
    )
    for option_key, label in options:
        option_create(question=question, key=option_key, label=label)
    return question


QUESTION_FIELDS = frozenset({"text", "kind", "help", "depends_on", "sort_order"})


@transaction.atomic
def question_update(*, question: Question, **changes: Any) -> Question:
    """Change text, kind, help, display condition or position (the key stays: rules name it)."""
    _draft(question.version)
    unknown = set(changes) - QUESTION_FIELDS
    if unknown:
        raise DomainError("invalid", f"不能修改的字段：{'、'.join(sorted(unknown))}。")
    question = Question.objects.select_for_update().get(pk=question.pk)
    if "text" in changes:
        question.text = _clean_text(changes["text"], "text", "问题", 128)
    if "kind" in changes:
        if changes["kind"] not in c.QuestionKind.values:
            raise _invalid("kind", "题型无效。")
        question.kind = changes["kind"]
    if "help" in changes:
        question.help = (changes["help"] or "").strip()[:255]
    if "depends_on" in changes:
        depends_on: Option | None = changes["depends_on"]
        if depends_on is not None and (
            depends_on.question.version_id != question.version_id or depends_on.question_id == question.pk
        ):
            raise _invalid("depends_on", "显示条件必须是本事项版本中其他问题的选项。")
        question.depends_on = depends_on
    if "sort_order" in changes:
        question.sort_order = int(changes["sort_order"])
    question.save()
    return question


def _refuse_if_depended_on(options: Iterable[Option]) -> None:
    dependent = Question.objects.filter(depends_on__in=list(options)).first()
    if dependent is not None:
        raise DomainError(
            "protected", f"问题“{dependent.text}”以该选项为显示条件，请先修改该问题的显示条件。"
        )


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _draft(question.version)
    _refuse_if_depended_on(question.options.all())
    question.delete()


@transaction.atomic
def option_create(*, question: Question, key: str, label: str, sort_order: int | None = None) -> Option:
    _draft(question.version)
    key = _clean_key(key, "选项标识")
    if Option.objects.filter(question=question, key=key).exists():
        raise _invalid("key", f"问题“{question.text}”已有选项标识“{key}”。", "duplicate")
    return Option.objects.create(
        question=question,
        key=key,
        label=_clean_text(label, "label", "选项", 128),
        sort_order=sort_order if sort_order is not None else _next_order(question.options),
    )


@transaction.atomic
def option_update(*, option: Option, label: str | None = None, sort_order: int | None = None) -> Option:
    _draft(option.question.version)
    option = Option.objects.select_for_update().get(pk=option.pk)
    if label is not None:
        option.label = _clean_text(label, "label", "选项", 128)
    if sort_order is not None:
        option.sort_order = sort_order
    option.save()
    return option


@transaction.atomic
def option_delete(*, option: Option) -> None:
    _draft(option.question.version)
    _refuse_if_depended_on([option])
    option.delete()


# ---------------------------------------------------------------------------------------------
# Rules and rule sets


@transaction.atomic
def rule_set_create(*, name: str, description: str = "") -> RuleSet:
    name = _clean_text(name, "name", "规则集名称", 64)
    if RuleSet.objects.filter(name=name).exists():
        raise _invalid("name", f"规则集“{name}”已存在。", "duplicate")
    return RuleSet.objects.create(name=name, description=(description or "").strip())


@transaction.atomic
def rule_set_update(*, rule_set: RuleSet, name: str | None = None, description: str | None = None) -> RuleSet:
    rule_set = _editable_rule_set(rule_set)
    if name is not None:
        name = _clean_text(name, "name", "规则集名称", 64)
        if RuleSet.objects.filter(name=name).exclude(pk=rule_set.pk).exists():
            raise _invalid("name", f"规则集“{name}”已存在。", "duplicate")
        rule_set.name = name
    if description is not None:
        rule_set.description = description.strip()
    rule_set.save()
    return rule_set


@transaction.atomic
def rule_set_copy(*, rule_set: RuleSet, name: str) -> RuleSet:
    """A new, unlinked rule set with the same rules: how a rule set in use is changed."""
    copy = rule_set_create(name=name, description=rule_set.description)
    rules = [_copied_rule(rule, rule_set=copy) for rule in rule_set.rules.all()]
    Rule.objects.bulk_create(rules)
    return copy


def _copied_rule(rule: Rule, *, rule_set: RuleSet | None = None, version: ItemVersion | None = None) -> Rule:
    return Rule(
        rule_set=rule_set,
        version=version,
        when=list(rule.when),
        effect=rule.effect,
        material_name=rule.material_name,
        text=rule.text,
        limit=rule.limit,
        target_code=rule.target_code,
        sort_order=rule.sort_order,
    )


@dataclass(frozen=True)
class _RuleFields:
    when: list[str]
    effect: str
    material_name: str
    text: str
    limit: int | None
    target_code: str


def _clean_rule(
    *,
    version: ItemVersion | None,
    when: Iterable[str],
    effect: str,
    material_name: str,
    text: str,
    limit: int | None,
    target_code: str,
) -> _RuleFields:
    if isinstance(when, str):
        when = [when]
    keys = list(dict.fromkeys(str(k).strip() for k in when if str(k).strip()))
    if not keys:
        raise _invalid("when", "请至少选择一个条件选项。", "required")
    bad = [k for k in keys if not OPTION_KEY_PATTERN.match(k)]
    if bad:
        raise _invalid("when", f"选项标识应写作“问题标识.选项标识”：{'、'.join(bad)}。")
    if effect not in c.Effect.values:
        raise _invalid("effect", "规则效果无效。")
    material_name = (material_name or "").strip()
    text = (text or "").strip()
    target_code = (target_code or "").strip()
    if effect in (c.Effect.ADD_MATERIAL, c.Effect.DROP_MATERIAL) and not material_name:
        raise _invalid("material_name", "请填写材料名称。", "required")
    if effect in (c.Effect.ADD_CONDITION, c.Effect.ADD_FEE, c.Effect.REPLACE_FEE) and not text:
        raise _invalid("text", "请填写内容。", "required")
    if effect == c.Effect.SET_LIMIT and (limit is None or int(limit) <= 0):
        raise _invalid("limit", "请填写大于 0 的承诺时限（工作日）。", "required")
    if effect == c.Effect.ROUTE and not target_code:
        raise _invalid("target_code", "请填写转办事项的实施编码。", "required")
    if len(text) > 500:
        raise _invalid("text", "内容不得超过500个字符。")
    if version is not None:
        known = {
            f"{q}.{o}"
            for q, o in Option.objects.filter(question__version=version).values_list("question__key", "key")
        }
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise _invalid("when", f"本事项版本没有这些选项：{'、'.join(unknown)}。")
        if material_name and not version.materials.filter(name=material_name).exists():
            raise _invalid("material_name", f"本事项的申请材料中没有“{material_name}”。")
    return _RuleFields(
        when=keys,
        effect=effect,
        material_name=material_name if effect in (c.Effect.ADD_MATERIAL, c.Effect.DROP_MATERIAL) else "",
        text=text,
        limit=int(limit) if effect == c.Effect.SET_LIMIT and limit is not None else None,
        target_code=target_code if effect == c.Effect.ROUTE else "",
    )


@transaction.atomic
def rule_create(
    *,
    when: Iterable[str],
    effect: str,
    version: ItemVersion | None = None,
    rule_set: RuleSet | None = None,
    material_name: str = "",
    text: str = "",
    limit: int | None = None,
    target_code: str = "",
    sort_order: int | None = None,
) -> Rule:
    """A rule of a draft version (`version=`) or of a rule set no published version uses (`rule_set=`)."""
    if (version is None) == (rule_set is None):
        raise DomainError("invalid", "规则必须属于一个事项版本或一个规则集（二者选一）。")
    if version is not None:
        version = _draft(version)
        siblings = Rule.objects.filter(version=version)
    else:
        assert rule_set is not None
        rule_set = _editable_rule_set(rule_set)
        siblings = Rule.objects.filter(rule_set=rule_set)
    fields = _clean_rule(
        version=version,
        when=when,
        effect=effect,
        material_name=material_name,
        text=text,
        limit=limit,
        target_code=target_code,
    )
    return Rule.objects.create(
        version=version,
        rule_set=rule_set,
        sort_order=sort_order if sort_order is not None else _next_order(siblings),
        **asdict(fields),
    )


def _rule_owner_editable(rule: Rule) -> None:
    if rule.version_id is not None:
        _draft(rule.version)
    else:
        _editable_rule_set(rule.rule_set)


@transaction.atomic
def rule_update(*, rule: Rule, **changes: Any) -> Rule:
    """Change any of when / effect / material_name / text / limit / target_code / sort_order."""
    rule = Rule.objects.select_for_update(of=("self",)).select_related("version", "rule_set").get(pk=rule.pk)
    _rule_owner_editable(rule)
    allowed = {"when", "effect", "material_name", "text", "limit", "target_code", "sort_order"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError("invalid", f"不能修改的字段：{'、'.join(sorted(unknown))}。")
    current = {name: getattr(rule, name) for name in allowed - {"sort_order"}}
    current.update({k: v for k, v in changes.items() if k != "sort_order"})
    fields = _clean_rule(version=rule.version, **current)
    for name, value in asdict(fields).items():
        setattr(rule, name, value)
    if "sort_order" in changes:
        rule.sort_order = int(changes["sort_order"])
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule: Rule) -> None:
    _rule_owner_editable(rule)
    rule.delete()


@transaction.atomic
def rule_set_link(*, version: ItemVersion, rule_set: RuleSet) -> None:
    version = _draft(version)
    rule_set.versions.add(version)


@transaction.atomic
def rule_set_unlink(*, version: ItemVersion, rule_set: RuleSet) -> None:
    version = _draft(version)
    rule_set.versions.remove(version)


@transaction.atomic
def guidance_copy(*, source: ItemVersion, target: ItemVersion) -> int:
    """Copy questions, options, own rules and rule-set links of `source` into the draft `target`
    (which has none yet). Returns the number of questions copied."""
    target = _draft(target)
    if Question.objects.filter(version=target).exists() or Rule.objects.filter(version=target).exists():
        raise DomainError("invalid_state", "目标版本已有导办情形，不能再复制。")
    data = guidance_data(source)
    new_options: dict[int, Option] = {}
    for question in data.questions:  # in order, so a display condition's option is already copied
        copy = Question.objects.create(
            version=target,
            key=question.key,
            text=question.text,
            kind=question.kind,
            help=question.help,
            depends_on=new_options.get(question.depends_on_id) if question.depends_on_id else None,
            sort_order=question.sort_order,
        )
        for option in question.options.all():
            new_options[option.pk] = Option.objects.create(
                question=copy, key=option.key, label=option.label, sort_order=option.sort_order
            )
    Rule.objects.bulk_create(
        [_copied_rule(r.rule, version=target) for r in data.rules if r.rule.version_id == source.pk]
    )
    for rule_set in RuleSet.objects.filter(versions=source):
        rule_set.versions.add(target)
    return len(data.questions)


# ---------------------------------------------------------------------------------------------
# Evaluation


def _specs(data: GuidanceData) -> tuple[list[gr.QuestionSpec], list[gr.RuleSpec], list[gr.MaterialSpec]]:
    questions = [
        gr.QuestionSpec(
            key=q.key,
            text=q.text,
            options=tuple(gr.OptionSpec(o.full_key, o.label) for o in q.options.all()),
            multiple=q.multiple,
            depends_on=q.depends_on.full_key if q.depends_on_id else None,
            help=q.help,
        )
        for q in data.questions
    ]
    rules = [
        gr.RuleSpec(
            label=r.label,
            when=frozenset(str(k) for k in (r.rule.when or [])),
            effect=gr.Effect(r.rule.effect),
            material=r.rule.material_name,
            text=r.rule.text,
            limit=r.rule.limit,
            target=r.rule.target_code,
        )
        for r in data.rules
    ]
    materials = [
        gr.MaterialSpec(name=m.name, form=m.form, copies=m.paper_copies, necessity=m.necessity, ref=str(m.pk))
        for m in data.materials
    ]
    return questions, rules, materials


def _legal_limit_in_working_days(version: ItemVersion) -> int | None:
    if version.legal_limit_unit == cc.LimitUnit.WORKING_DAY:
        return version.legal_limit
    return None


def guidance_validate(*, version: ItemVersion, data: GuidanceData | None = None) -> list[str]:
    """Every guidance problem of a version, in Chinese; [] when it has none (or no guidance at all)."""
    data = data or guidance_data(version)
    if not data.questions and not data.rules:
        return []
    questions, rules, materials = _specs(data)
    messages = gr.validate(
        questions, rules, materials, legal_limit=_legal_limit_in_working_days(data.version)
    )
    targets = {
        r.rule.target_code for r in data.rules if r.rule.effect == c.Effect.ROUTE and r.rule.target_code
    }
    if targets:
        known = published_items_by_code(targets)
        messages += [f"转办事项“{code}”不存在或尚未发布。" for code in sorted(targets - known.keys())]
    return messages


def guidance_check(*, version: ItemVersion) -> None:
    """The publish hook: raise when `guidance_validate` finds anything."""
    messages = guidance_validate(version=version)
    if messages:
        raise DomainError(
            "validation_failed", "智能导办校验未通过：" + "；".join(messages), {"guidance": messages}
        )


@dataclass(frozen=True)
class GuidanceAnswer:
    """One evaluation: the data it read, the answers (question key → option keys) and the result."""

    data: GuidanceData
    answers: dict[str, list[str]]
    result: gr.GuidanceResult
    routes: dict[str, ServiceItem]  # published route targets by implementation code

    @property
    def version(self) -> ItemVersion:
        return self.data.version


def _answers_by_key(data: GuidanceData, answers: Mapping[Any, Any]) -> dict[str, list[str]]:
    """{question id: [option id, …]} (ids as ints or strings) → {question key: [option key, …]}."""
    if not isinstance(answers, Mapping):
        raise _invalid("answers", "回答格式应为 {问题编号: [选项编号, …]}。")
    questions = {q.pk: q for q in data.questions}
    errors: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for raw_question, raw_options in answers.items():
        field = f"answers.{raw_question}"
        try:
            question = questions.get(int(raw_question))
        except (TypeError, ValueError):
            errors[field] = ["问题编号必须是整数。"]
            continue
        if question is None:
            errors[field] = ["问题不存在或不属于本事项。"]
            continue
        if raw_options is None:
            raw_options = []
        elif isinstance(raw_options, str | int):
            raw_options = [raw_options]
        options = {o.pk: o for o in question.options.all()}
        keys: list[str] = []
        for raw in raw_options:
            try:
                option = options.get(int(raw))
            except (TypeError, ValueError):
                errors.setdefault(field, []).append("选项编号必须是整数。")
                continue
            if option is None:
                errors.setdefault(field, []).append(f"选项 {raw} 不属于问题“{question.text}”。")
                continue
            if option.full_key not in keys:
                keys.append(option.full_key)
        if not question.multiple and len(keys) > 1:
            errors.setdefault(field, []).append(f"“{question.text}”为单选题，只能选择一个选项。")
        out[question.key] = keys
    if errors:
        text = "；".join(m for messages in errors.values() for m in messages)
        raise DomainError("invalid_answers", f"回答有误：{text}", errors)
    return out


def guidance_answer(
    *, version: ItemVersion, answers: Mapping[Any, Any], data: GuidanceData | None = None
) -> GuidanceAnswer:
    """Evaluate answers given as {question id: [option id, …]}; bad ids raise a DomainError whose
    fields are keyed "answers.<question id>"."""
    data = data or guidance_data(version)
    by_key = _answers_by_key(data, answers)
    questions, rules, materials = _specs(data)
    v = data.version
    base_fees = [f"{f.name}：{f.standard}" for f in data.fee_items] if v.charges_fee else []
    result = gr.evaluate(
        questions,
        rules,
        materials,
        by_key,
        base_fees=base_fees,
        base_limit=v.promised_limit,
    )
    routes = published_items_by_code(r.target for r in result.routes)
    return GuidanceAnswer(data=data, answers=by_key, result=result, routes=routes)


def _limit_text(answer: GuidanceAnswer) -> str:
    v = answer.version
    if answer.result.limit_changed:
        return f"{answer.result.promised_limit}个工作日"
    return format_guide_limit(v.case_kind, v.promised_limit, v.promised_limit_unit)


def guidance_snapshot(answer: GuidanceAnswer) -> dict[str, Any]:
    """The result as JSON: what the API returns, the pages show and a notice keeps."""
    v = answer.version
    item = v.item
    result = answer.result
    questions = {q.key: q for q in answer.data.questions}
    options = {o.full_key: o for q in answer.data.questions for o in q.options.all()}
    materials = {str(m.pk): m for m in answer.data.materials}
    form_labels = dict(cc.MaterialForm.choices)
    necessity_labels = dict(cc.Necessity.choices)
    type_labels = dict(cc.MaterialType.choices)
    return {
        "item": {
            "implementation_code": item.implementation_code,
            "name": item.name,
            "department": item.department.name,
            "version": v.number,
        },
        "answers": [
            {
                "question_id": questions[key].pk,
                "question_key": key,
                "question": questions[key].text,
                "options": [{"id": options[k].pk, "key": k, "label": options[k].label} for k in chosen],
            }
            for key, chosen in result.answers
        ],
        "complete": result.complete,
        "unanswered": [
            {"question_id": questions[key].pk, "question": questions[key].text} for key in result.unanswered
        ],
        "materials": [
            {
                "material_id": materials[m.ref].pk,
                "name": m.name,
                "material_type_label": str(type_labels.get(materials[m.ref].material_type, "")),
                "form": m.form,
                "form_label": str(form_labels.get(m.form, m.form)),
                "copies": m.copies,
                "necessity": m.necessity,
                "necessity_label": str(necessity_labels.get(m.necessity, m.necessity)),
                "acceptance_standard": materials[m.ref].acceptance_standard,
                "has_template": bool(materials[m.ref].template_file),
                "reasons": list(m.reasons),
            }
            for m in result.materials
        ],
        "not_needed": list(result.not_needed),
        "acceptance_conditions": v.acceptance_conditions,
        "conditions": list(result.conditions),
        "fees": list(result.fees),
        "promised_limit": result.promised_limit,
        "promised_limit_text": _limit_text(answer),
        "limit_changed": result.limit_changed,
        "legal_limit_text": format_guide_limit("promised", v.legal_limit, v.legal_limit_unit),
        "onsite_visits": v.onsite_visits,
        "onsite_reason": v.onsite_reason,
        "online_depth": v.online_depth,
        "online_depth_label": str(v.get_online_depth_display()),
        "online_url": v.online_url,
        "location": v.location,
        "office_hours": v.office_hours,
        "consult_phone": v.consult_phone,
        "routes": [
            {
                "implementation_code": r.target,
                "name": answer.routes[r.target].name if r.target in answer.routes else "",
                "message": r.message,
            }
            for r in result.routes
        ],
    }


# ---------------------------------------------------------------------------------------------
# 一次性告知单


def _next_notice_number(region_code: str, day: dt.date) -> str:
    """GD-<region code, 6 digits>-<YYYYMMDD>-<daily sequence, 4 digits>, e.g. GD-430903-20261130-0007."""
    prefix = region_code[:6]
    last = next_in_sequence(NoticeSequence, prefix=prefix, day=day)
    return f"GD-{prefix}-{day:%Y%m%d}-{last:04d}"


@transaction.atomic
def guidance_notice_create(
    *,
    version: ItemVersion,
    answers: Mapping[Any, Any],
    channel: str = c.NoticeChannel.PORTAL,
    actor: Any = None,
    today: dt.date | None = None,
    data: GuidanceData | None = None,
) -> GuidanceNotice:
    """Store a numbered 一次性告知单 for a complete answer set on a published, active item."""
    version = ItemVersion.objects.select_related("item", "item__region", "item__department").get(
        pk=version.pk
    )
    if version.status != cc.VersionStatus.PUBLISHED:
        raise DomainError("invalid_state", "只能为已发布的事项版本出具一次性告知单。")
    if version.item.status != cc.LifecycleStatus.ACTIVE:
        raise DomainError("invalid_state", f"事项“{version.item.name}”当前不受理申请，不能出具一次性告知单。")
    if channel not in c.NoticeChannel.values:
        raise _invalid("channel", "渠道无效。")
    data = data if data is not None and data.version.pk == version.pk else guidance_data(version)
    answer = guidance_answer(version=version, answers=answers, data=data)
    if not answer.data.questions:
        raise DomainError("not_configured", "本事项尚未梳理办理情形，请直接查看办事指南。")
    if not answer.result.complete:
        questions = {q.key: q for q in answer.data.questions}
        unanswered = [questions[k] for k in answer.result.unanswered]
        raise DomainError(
            "incomplete",
            "请先回答：" + "、".join(f"“{q.text}”" for q in unanswered),
            {f"answers.{q.pk}": ["请选择一个选项。"] for q in unanswered},
        )
    day = today or clock.today()
    return GuidanceNotice.objects.create(
        number=_next_notice_number(version.item.region.code, day),
        item=version.item,
        version=version,
        issued_on=day,
        channel=channel,
        answers={key: list(keys) for key, keys in answer.result.answers},
        snapshot=guidance_snapshot(answer),
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
