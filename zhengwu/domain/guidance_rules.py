"""Smart guidance (智能导办) as pure functions: answers to an item's situation questions → the
materials, conditions, fees, promised limit and routes that apply; and the checks the questions and
rules of a version must pass before it is published.

Vocabulary (DOMAIN §2.6 "Guidance"):

- A **question** has a stable key and ordered options. An option's key is "<question key>.<option
  key>", unique within a version, so a rule can name it without ids (rule sets are shared by items).
  A single-choice question takes exactly one option; a multiple-choice one any subset, none included.
- **Conditional display**: a question whose `depends_on` names an option of an *earlier* question is
  shown only while that option is chosen; answers to hidden questions are ignored.
- A **rule** fires when every option key of its `when` is chosen (AND); several rules with the same
  effect give OR. Effects: add or drop a material (by name), add a condition text, add a fee text,
  replace the fee texts, set the promised limit (working days), route to another item.
- **Materials**: a base material whose necessity is "conditional" (按情形提交) is listed only when a rule
  adds it; every other material is listed unless a rule drops it. A drop wins over an add (and
  `validate` reports the contradiction).
- Several fired `set_limit` rules promise the longest of their limits; the texts of every fired
  `replace_fee` rule replace the base fee texts, then `add_fee` texts are appended.

An **answer set** in `validate` is complete: every shown single-choice question has one option, every
shown multiple-choice question any subset. Rules fire monotonically in the chosen options, so a rule
can fire (and two rules can fire together) exactly when the options they need, plus the options that
show their questions, can be chosen together; those checks are exact. Whether a conditional material
can appear is decided by brute force over the answer sets, exhaustively up to `cap` combinations and
by seeded sampling beyond.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

CONDITIONAL = "conditional"  # Material.necessity of a material listed only when a rule adds it
DEFAULT_CAP = 4096
SAMPLE_SEED = 20260101


class Effect(StrEnum):
    ADD_MATERIAL = "add_material"
    DROP_MATERIAL = "drop_material"
    ADD_CONDITION = "add_condition"
    ADD_FEE = "add_fee"
    REPLACE_FEE = "replace_fee"
    SET_LIMIT = "set_limit"
    ROUTE = "route"


MATERIAL_EFFECTS = frozenset({Effect.ADD_MATERIAL, Effect.DROP_MATERIAL})
TEXT_EFFECTS = frozenset({Effect.ADD_CONDITION, Effect.ADD_FEE, Effect.REPLACE_FEE})


@dataclass(frozen=True)
class OptionSpec:
    key: str  # "<question key>.<option key>"
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    options: tuple[OptionSpec, ...]
    multiple: bool = False
    depends_on: str | None = None  # an option key of an earlier question
    help: str = ""


@dataclass(frozen=True)
class RuleSpec:
    label: str  # how messages name the rule, e.g. "规则集“委托代理”第1条"
    when: frozenset[str]
    effect: Effect
    material: str = ""  # ADD_MATERIAL / DROP_MATERIAL: the material's name
    text: str = ""  # ADD_CONDITION / ADD_FEE / REPLACE_FEE text, or the ROUTE message
    limit: int | None = None  # SET_LIMIT, working days
    target: str = ""  # ROUTE: implementation code of the item to apply for instead


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    form: str = ""
    copies: int = 1
    necessity: str = "required"
    ref: str = ""  # opaque to this module (the caller's row id), carried into the result

    @property
    def conditional(self) -> bool:
        return self.necessity == CONDITIONAL


@dataclass(frozen=True)
class ResultMaterial:
    name: str
    form: str
    copies: int
    necessity: str
    ref: str = ""
    reasons: tuple[str, ...] = ()  # "问题：选项" labels of the answers that added it


@dataclass(frozen=True)
class Route:
    target: str
    message: str


@dataclass(frozen=True)
class GuidanceResult:
    answers: tuple[tuple[str, tuple[str, ...]], ...]  # shown question key → chosen option keys
    shown: tuple[str, ...]  # keys of the questions shown, in order
    unanswered: tuple[str, ...]  # shown single-choice questions without an answer
    materials: tuple[ResultMaterial, ...]
    not_needed: tuple[str, ...]  # names of base materials dropped by a rule
    conditions: tuple[str, ...]
    fees: tuple[str, ...]
    promised_limit: int | None
    limit_changed: bool
    routes: tuple[Route, ...]
    fired: tuple[str, ...]  # labels of the rules that fired

    @property
    def complete(self) -> bool:
        return not self.unanswered


@dataclass
class _Index:
    """Lookups over a list of questions."""

    questions: Sequence[QuestionSpec]
    by_key: dict[str, QuestionSpec] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)
    owner: dict[str, QuestionSpec] = field(default_factory=dict)  # option key → question
    label: dict[str, str] = field(default_factory=dict)  # option key → "问题：选项"

    def __post_init__(self) -> None:
        for index, question in enumerate(self.questions):
            self.by_key.setdefault(question.key, question)
            self.position.setdefault(question.key, index)
            for option in question.options:
                self.owner.setdefault(option.key, question)
                self.label.setdefault(option.key, f"{question.text}：{option.label}")

    def option_label(self, key: str) -> str:
        return self.label.get(key, key)


# ---------------------------------------------------------------------------------------------
# Answers


def answer_errors(
    questions: Sequence[QuestionSpec], answers: Mapping[str, Collection[str]]
) -> dict[str, list[str]]:
    """Question key → Chinese messages about its answer: unknown question or option, two options on
    a single-choice question. An empty dict means the answers can be evaluated."""
    index = _Index(questions)
    errors: dict[str, list[str]] = {}
    for question_key, picked in answers.items():
        question = index.by_key.get(question_key)
        if question is None:
            errors.setdefault(question_key, []).append("问题不存在。")
            continue
        known = {o.key for o in question.options}
        for key in picked:
            if key not in known:
                errors.setdefault(question_key, []).append(f"选项“{key}”不属于问题“{question.text}”。")
        if not question.multiple and len(set(picked)) > 1:
            errors.setdefault(question_key, []).append(f"“{question.text}”为单选题，只能选择一个选项。")
    return errors


def _chosen(
    index: _Index, answers: Mapping[str, Collection[str]]
) -> tuple[list[tuple[str, tuple[str, ...]]], list[str], list[str], set[str]]:
    effective: list[tuple[str, tuple[str, ...]]] = []
    shown: list[str] = []
    unanswered: list[str] = []
    chosen: set[str] = set()
    for question in index.questions:
        if question.depends_on is not None and question.depends_on not in chosen:
            continue
        shown.append(question.key)
        picked = set(answers.get(question.key, ()))
        keys = tuple(o.key for o in question.options if o.key in picked)
        if not question.multiple:
            keys = keys[:1]
            if not keys:
                unanswered.append(question.key)
        if keys:
            effective.append((question.key, keys))
        chosen.update(keys)
    return effective, shown, unanswered, chosen


def _fires(rule: RuleSpec, chosen: Collection[str]) -> bool:
    return bool(rule.when) and all(key in chosen for key in rule.when)


def evaluate(
    questions: Sequence[QuestionSpec],
    rules: Sequence[RuleSpec],
    base_materials: Sequence[MaterialSpec],
    answers: Mapping[str, Collection[str]],
    *,
    base_fees: Sequence[str] = (),
    base_limit: int | None = None,
) -> GuidanceResult:
    """What applies to these answers (question key → option keys). Unknown keys are ignored: check
    `answer_errors` first to refuse them. Answers may be partial; see `GuidanceResult.unanswered`."""
    index = _Index(questions)
    effective, shown, unanswered, chosen = _chosen(index, answers)
    fired = [rule for rule in rules if _fires(rule, chosen)]

    added: dict[str, list[str]] = {}
    dropped: set[str] = set()
    conditions: list[str] = []
    replaced: list[str] = []
    extra_fees: list[str] = []
    limits: list[int] = []
    routes: dict[str, Route] = {}
    for rule in fired:
        if rule.effect is Effect.ADD_MATERIAL:
            because = added.setdefault(rule.material, [])
            because.extend(index.option_label(k) for k in _ordered(index, rule.when))
        elif rule.effect is Effect.DROP_MATERIAL:
            dropped.add(rule.material)
        elif rule.effect is Effect.ADD_CONDITION:
            conditions.append(rule.text)
        elif rule.effect is Effect.ADD_FEE:
            extra_fees.append(rule.text)
        elif rule.effect is Effect.REPLACE_FEE:
            replaced.append(rule.text)
        elif rule.effect is Effect.SET_LIMIT and rule.limit is not None:
            limits.append(rule.limit)
        elif rule.effect is Effect.ROUTE:
            routes.setdefault(rule.target, Route(rule.target, rule.text))

    materials: list[ResultMaterial] = []
    not_needed: list[str] = []
    for material in base_materials:
        if material.name in dropped:
            if not material.conditional:
                not_needed.append(material.name)
            continue
        if material.conditional and material.name not in added:
            continue
        reasons = tuple(dict.fromkeys(added.get(material.name, ()))) if material.conditional else ()
        materials.append(
            ResultMaterial(
                material.name, material.form, material.copies, material.necessity, material.ref, reasons
            )
        )
    fees = [*(replaced if replaced else base_fees), *extra_fees]
    return GuidanceResult(
        answers=tuple(effective),
        shown=tuple(shown),
        unanswered=tuple(unanswered),
        materials=tuple(materials),
        not_needed=tuple(not_needed),
        conditions=tuple(dict.fromkeys(conditions)),
        fees=tuple(dict.fromkeys(fees)),
        promised_limit=max(limits) if limits else base_limit,
        limit_changed=bool(limits),
        routes=tuple(routes.values()),
        fired=tuple(rule.label for rule in fired),
    )


def _ordered(index: _Index, keys: Collection[str]) -> list[str]:
    """Option keys in question order (so messages and reasons read in the order asked)."""

    def position(key: str) -> tuple[int, int, str]:
        question = index.owner.get(key)
        if question is None:
            return (len(index.questions), 0, key)
        option_keys = [o.key for o in question.options]
        return (index.position[question.key], option_keys.index(key), key)

    return sorted(keys, key=position)


# ---------------------------------------------------------------------------------------------
# Validation


def _quoted(labels: Sequence[str]) -> str:
    return "".join(f"“{label}”" for label in labels)


def _structure(index: _Index) -> tuple[list[str], set[str]]:
    """Messages about keys and display conditions, and the keys of questions that can be shown."""
    messages: list[str] = []
    seen_questions: set[str] = set()
    seen_options: set[str] = set()
    reachable: set[str] = set()
    for position, question in enumerate(index.questions):
        if question.key in seen_questions:
            messages.append(f"问题标识“{question.key}”重复。")
        seen_questions.add(question.key)
        if not question.options:
            messages.append(f"问题“{question.text}”没有选项。")
        for option in question.options:
            if option.key in seen_options:
                messages.append(f"问题“{question.text}”的选项标识“{option.key}”重复。")
            seen_options.add(option.key)
        depends = question.depends_on
        if depends is None:
            reachable.add(question.key)
            continue
        parent = index.owner.get(depends)
        if parent is None:
            messages.append(f"问题“{question.text}”的显示条件引用了不存在的选项“{depends}”。")
        elif index.position[parent.key] >= position:
            messages.append(
                f"问题“{question.text}”的显示条件必须是排在它前面的问题的选项"
                f"（“{index.option_label(depends)}”不是）。"
            )
        elif parent.key in reachable:
            reachable.add(question.key)
        else:
            options = [o.label for o in question.options]
            messages.append(
                f"问题“{question.text}”永远不会显示（显示条件“{index.option_label(depends)}”所在的问题不会显示），"
                f"选项{_quoted(options)}不可达。"
            )
    return messages, reachable


def _closure(index: _Index, keys: Collection[str]) -> set[str]:
    """The options `keys` need chosen: themselves and, transitively, those that show their questions."""
    needed: set[str] = set()
    stack = list(keys)
    while stack:
        key = stack.pop()
        if key in needed:
            continue
        needed.add(key)
        question = index.owner.get(key)
        if question is not None and question.depends_on is not None:
            stack.append(question.depends_on)
    return needed


def _clash(index: _Index, needed: Collection[str]) -> tuple[QuestionSpec, list[str]] | None:
    """A single-choice question asked for two options at once, if any."""
    per_question: dict[str, list[str]] = {}
    for key in needed:
        question = index.owner.get(key)
        if question is not None and not question.multiple:
            per_question.setdefault(question.key, []).append(key)
    for question in index.questions:
        keys = per_question.get(question.key, [])
        if len(keys) > 1:
            return question, _ordered(index, keys)
    return None


def _feasible(index: _Index, reachable: set[str], keys: Collection[str]) -> bool:
    needed = _closure(index, keys)
    if any(key not in index.owner or index.owner[key].key not in reachable for key in needed):
        return False
    return _clash(index, needed) is None


def _check_rule(rule: RuleSpec, index: _Index, reachable: set[str], names: set[str]) -> list[str]:
    messages: list[str] = []
    if not rule.when:
        messages.append(f"{rule.label}没有条件，请至少选择一个选项。")
    unknown = sorted(key for key in rule.when if key not in index.owner)
    for key in unknown:
        messages.append(f"{rule.label}引用了不存在的选项“{key}”。")
    if rule.effect in MATERIAL_EFFECTS:
        if not rule.material.strip():
            messages.append(f"{rule.label}未填写材料名称。")
        elif rule.material not in names:
            messages.append(f"{rule.label}引用的材料“{rule.material}”不在本事项的申请材料中。")
    elif rule.effect in TEXT_EFFECTS and not rule.text.strip():
        messages.append(f"{rule.label}未填写内容。")
    elif rule.effect is Effect.SET_LIMIT and (rule.limit is None or rule.limit <= 0):
        messages.append(f"{rule.label}未填写有效的承诺时限（工作日）。")
    elif rule.effect is Effect.ROUTE and not rule.target.strip():
        messages.append(f"{rule.label}未填写转办事项的实施编码。")
    if unknown or not rule.when:
        return messages
    needed = _closure(index, rule.when)
    clash = _clash(index, needed)
    if clash is not None:
        question, keys = clash
        labels = [o.label for o in question.options if o.key in keys]
        messages.append(f"{rule.label}要求同时选择单选题“{question.text}”的{_quoted(labels)}，永远不会生效。")
        return messages
    hidden = _ordered(index, [k for k in rule.when if index.owner[k].key not in reachable])
    if hidden:
        labels = [index.option_label(k) for k in hidden]
        messages.append(f"{rule.label}引用的选项{_quoted(labels)}所在的问题永远不会显示，规则永远不会生效。")
    return messages


def _answer_count(questions: Sequence[QuestionSpec]) -> int:
    total = 1
    for question in questions:
        total *= 2 ** len(question.options) if question.multiple else max(len(question.options), 1)
    return total


def _picks(question: QuestionSpec) -> Iterator[frozenset[str]]:
    keys = [o.key for o in question.options]
    if not question.multiple:
        yield from (frozenset({key}) for key in keys)
        return
    for size in range(len(keys) + 1):
        yield from (frozenset(combo) for combo in itertools.combinations(keys, size))


def _every_answer_set(questions: Sequence[QuestionSpec]) -> Iterator[frozenset[str]]:
    def walk(position: int, chosen: frozenset[str]) -> Iterator[frozenset[str]]:
        if position == len(questions):
            yield chosen
            return
        question = questions[position]
        if (question.depends_on is not None and question.depends_on not in chosen) or not question.options:
            yield from walk(position + 1, chosen)
            return
        for pick in _picks(question):
            yield from walk(position + 1, chosen | pick)

    yield from walk(0, frozenset())


def _sample_answer_set(
    questions: Sequence[QuestionSpec], rng: random.Random, forced: Collection[str] = ()
) -> frozenset[str]:
    chosen: set[str] = set()
    for question in questions:
        if (question.depends_on is not None and question.depends_on not in chosen) or not question.options:
            continue
        keys = [o.key for o in question.options]
        required = [key for key in keys if key in forced]
        if not question.multiple:
            chosen.add(required[0] if required else rng.choice(keys))
        else:
            chosen.update(required)
            chosen.update(key for key in keys if rng.random() < 0.5)
    return frozenset(chosen)


def _materials_shown(rules: Sequence[RuleSpec], conditional: set[str], chosen: frozenset[str]) -> set[str]:
    added = {r.material for r in rules if r.effect is Effect.ADD_MATERIAL and _fires(r, chosen)}
    dropped = {r.material for r in rules if r.effect is Effect.DROP_MATERIAL and _fires(r, chosen)}
    return (added - dropped) & conditional


def validate(
    questions: Sequence[QuestionSpec],
    rules: Sequence[RuleSpec],
    base_materials: Sequence[MaterialSpec],
    *,
    legal_limit: int | None = None,
    cap: int = DEFAULT_CAP,
) -> list[str]:
    """Every problem that should stop a version from being published, in Chinese.

    Checked: duplicate keys, questions without options, display conditions that name unknown or later
    options or can never be met (their questions' options are unreachable); rules naming unknown
    options or materials, missing their text, limit or target, asking two options of one
    single-choice question, or needing a question that is never shown; a promised limit above the
    legal one (`legal_limit`, working days); contradictory rules (one answer set both adds and drops
    a material); conditional materials no answer set brings in. An option no rule mentions is fine.
    """
    index = _Index(questions)
    messages, reachable = _structure(index)
    names = {m.name for m in base_materials}
    for rule in rules:
        messages.extend(_check_rule(rule, index, reachable, names))
        if (
            rule.effect is Effect.SET_LIMIT
            and legal_limit is not None
            and rule.limit is not None
            and rule.limit > legal_limit
        ):
            messages.append(
                f"{rule.label}将承诺时限改为{rule.limit}个工作日，超过法定办结时限{legal_limit}个工作日。"
            )

    live = [r for r in rules if r.when and _feasible(index, reachable, r.when)]
    adds = [r for r in live if r.effect is Effect.ADD_MATERIAL]
    drops = [r for r in live if r.effect is Effect.DROP_MATERIAL]
    for add, drop in itertools.product(adds, drops):
        if add.material != drop.material or not _feasible(index, reachable, add.when | drop.when):
            continue
        witness = [index.option_label(k) for k in _ordered(index, add.when | drop.when)]
        messages.append(
            f"规则相互矛盾：选择{_quoted(witness)}时，{add.label}增加材料“{add.material}”，"
            f"{drop.label}却免交该材料。"
        )

    conditional = {m.name for m in base_materials if m.conditional}
    missing = conditional - {r.material for r in adds}
    pending = conditional - missing
    exhaustive = _answer_count(questions) <= cap
    if pending:
        if exhaustive:
            candidates: Iterator[frozenset[str]] = _every_answer_set(questions)
        else:
            candidates = _samples(questions, adds, cap)
        for chosen in candidates:
            pending -= _materials_shown(live, conditional, chosen)
            if not pending:
                break
    for material in base_materials:
        if material.name in missing or (material.name in pending and exhaustive):
            messages.append(f"按情形提交的材料“{material.name}”在任何回答组合下都不会出现。")
        elif material.name in pending:
            messages.append(
                f"按情形提交的材料“{material.name}”在抽样检查的{cap}种回答组合中都没有出现，请检查规则。"
            )
    return list(dict.fromkeys(messages))


def _samples(
    questions: Sequence[QuestionSpec], adds: Sequence[RuleSpec], cap: int
) -> Iterator[frozenset[str]]:
    """Seeded sampling: first answer sets built around each add rule, then random ones; `cap` in all."""
    rng = random.Random(SAMPLE_SEED)
    index = _Index(questions)
    produced = 0
    for rule in adds:
        for _ in range(8):
            if produced >= cap:
                return
            produced += 1
            yield _sample_answer_set(questions, rng, _closure(index, rule.when))
    while produced < cap:
        produced += 1
        yield _sample_answer_set(questions, rng)
