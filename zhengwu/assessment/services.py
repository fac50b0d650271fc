"""The write paths of assessments: scheme versions, manual entries (two-person rule) and evaluation runs.

Every write runs in one transaction and records who did it and when on the row itself (there is no
global audit log yet). Published runs are frozen: publishing is a compare-and-set from draft, and
nothing else writes a run afterwards (`Evaluation.save` refuses too).

The scoring itself is `zhengwu.domain.scoring` (pure); the facts come from `zhengwu.assessment.facts`.
`evaluation_compute` scores without saving anything (the CLI uses it); `evaluation_run` saves a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.db.models import Max

from zhengwu.assessment import permissions
from zhengwu.assessment.choices import EntryStatus, EvaluationStatus, UnitKind
from zhengwu.assessment.facts import unit_facts
from zhengwu.assessment.models import Evaluation, EvidenceFile, ManualEntry, Scheme
from zhengwu.assessment.selectors import assessed_units
from zhengwu.audit.services import record
from zhengwu.common import filestore
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.uploads import inspect_upload
from zhengwu.domain import scoring
from zhengwu.domain.metrics import Period
from zhengwu.metrics.selectors import Unit, period_parse

SHIPPED_DIR = Path(__file__).resolve().parent / "schemes"
MAX_EVIDENCE_FILES = 10
MAX_SCHEME_BYTES = 512 * 1024


class Conflict(DomainError):
    status_code = 409


# -- schemes ----------------------------------------------------------------------------------------


def shipped_names() -> list[str]:
    """The names of the schemes shipped with the system (`schemes/<name>.yaml`)."""
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml"))


def shipped_scheme_text(name: str) -> str:
    if name not in shipped_names():
        raise NotFound(f"没有名为“{name}”的内置考核方案，可选：{'、'.join(shipped_names())}。")
    return (SHIPPED_DIR / f"{name}.yaml").read_text(encoding="utf-8")


def scheme_parse(text: str) -> scoring.Scheme:
    """A checked scheme from YAML text, or DomainError("invalid_scheme") listing every problem in
    Chinese, each naming its place (field "scheme")."""
    if len(text.encode("utf-8")) > MAX_SCHEME_BYTES:
        raise DomainError(
            "invalid_scheme",
            "考核方案文件过大（上限 512 KB）。",
            {"scheme": ["考核方案文件过大（上限 512 KB）"]},
        )
    _refuse_aliases(text)
    try:
        return scoring.load_scheme_text(text)
    except scoring.SchemeError as error:
        messages = list(error.messages)
        raise DomainError(
            "invalid_scheme", "考核方案有误：" + "；".join(messages), {"scheme": messages}
        ) from None


def _refuse_aliases(text: str) -> None:
    """YAML anchors and aliases (&a, *a) let a small file stand for an enormous scheme; schemes are
    written out in full. A syntax error is left to the parser, which names its place."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line = token.start_mark.line + 1
                message = f"第 {line} 行：考核方案不支持 YAML 锚点和别名（& 与 *），请直接写出内容。"
                raise DomainError("invalid_scheme", "考核方案有误：" + message, {"scheme": [message]})
    except yaml.YAMLError:
        return


def scheme_of(row: Scheme) -> scoring.Scheme:
    """The engine's scheme for a stored version."""
    return scoring.load_scheme_text(row.source_text)


@transaction.atomic
def scheme_import(*, text: str, actor, shipped: bool = False) -> Scheme:
    """Store a scheme version and make it the active one of its code.

    The same text again is a no-op (returns the stored version). A new `version` of an existing code
    becomes its next revision; the same version with other content is refused: rules that change
    get a new version, and a stored version is never edited."""
    if not shipped:
        permissions.require_view(actor)
    scheme = scheme_parse(text)
    existing = Scheme.objects.filter(code=scheme.code, version=scheme.version).first()
    if existing is not None:
        if existing.source_text == text or (shipped and existing.is_shipped):
            return existing
        message = (
            f"方案“{scheme.code}”已有版本“{scheme.version}”且内容不同。规则一改即出新版本："
            f"请修改文件中的 version 后再上传。"
        )
        raise DomainError("scheme_version_exists", message, {"scheme": [message]})
    revision = (Scheme.objects.filter(code=scheme.code).aggregate(m=Max("revision"))["m"] or 0) + 1
    # A shipped scheme loaded late never displaces a version somebody uploaded.
    active = not (shipped and revision > 1)
    if active:
        Scheme.objects.filter(code=scheme.code, active=True).update(active=False)
    try:
        with transaction.atomic():
            return Scheme.objects.create(
                code=scheme.code,
                name=scheme.name,
                version=scheme.version,
                revision=revision,
                source_text=text,
                parsed=scheme.to_dict(),
                is_shipped=shipped,
                active=active,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise Conflict("conflict", "该方案版本刚被他人上传，请刷新后重试。") from None


def schemes_ensure_shipped() -> None:
    """Load the shipped schemes that are not stored yet (idempotent, by code and version). One query
    when they all are: a file is parsed only when its text is not stored."""
    texts = set(Scheme.objects.filter(is_shipped=True).values_list("source_text", flat=True))
    for name in shipped_names():
        text = shipped_scheme_text(name)
        if text in texts:
            continue
        scheme = scheme_parse(text)
        if not Scheme.objects.filter(code=scheme.code, version=scheme.version).exists():
            scheme_import(text=text, actor=None, shipped=True)


# -- manual entries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _unit_for(actor, kind: str, unit_id: int) -> Unit:
    for unit in assessed_units(user=actor, kind=kind):
        if unit.pk == unit_id:
            return unit
    raise NotFound("参评单位不存在或不在您的数据范围内。")


def _entry_rule(
    scheme: scoring.Scheme, item_code: str, kind: str, rule_code: str, errors: dict[str, list[str]]
) -> scoring.Rule | None:
    item = scheme.item(item_code)
    if item is None:
        errors.setdefault("item_code", []).append(f"考核项“{item_code}”不在方案“{scheme.name}”中。")
        return None
    try:
        manual_kind = scoring.ManualKind(kind)
    except ValueError:
        errors.setdefault("kind", []).append(f"录入类型“{kind}”无效，可选：{'、'.join(scoring.ManualKind)}。")
        return None
    label = scoring.MANUAL_KIND_LABELS[manual_kind]
    candidates = [
        r for r in item.rules if r.kind == scoring.MANUAL_FEEDS[manual_kind] and r.source == scoring.MANUAL
    ]
    if rule_code:
        candidates = [r for r in candidates if r.code == rule_code]
    if not candidates:
        named = f"编码为“{rule_code}”的" if rule_code else ""
        errors.setdefault("kind", []).append(
            f"考核项“{item.code} {item.name}”没有{named}可录入“{label}”的人工规则。"
        )
        return None
    if len(candidates) > 1:
        codes = "、".join(f"{r.code}（{r.label}）" for r in candidates)
        errors.setdefault("rule_code", []).append(f"该项有多条可录入“{label}”的规则，请选择其一：{codes}。")
        return None
    return candidates[0]


def _check_amount(
    rule: scoring.Rule,
    kind: str,
    points: Decimal | None,
    tier: str,
    count: int,
    errors: dict[str, list[str]],
) -> None:
    def num(value: Decimal | None) -> str:
        return "" if value is None else format(value.normalize(), "f")

    ranged = kind == scoring.ManualKind.JUDGEMENT or (kind == scoring.ManualKind.BONUS and rule.per is None)
    if count < 1:
        errors.setdefault("count", []).append("次数须为正整数。")
    if ranged:
        if points is None:
            errors.setdefault("points", []).append(f"请填写分值（{num(rule.min)} 至 {num(rule.max)}）。")
        elif rule.min is not None and rule.max is not None and not rule.min <= points <= rule.max:
            errors.setdefault("points", []).append(
                f"分值 {num(points)} 超出允许范围 [{num(rule.min)}, {num(rule.max)}]。"
            )
        if count != 1:
            errors.setdefault("count", []).append("酌定分值每条只记一次，次数须为 1。")
    elif kind == scoring.ManualKind.TIER:
        if rule.tier_share(tier) is None:
            tiers = "、".join(name for name, _ in rule.tiers)
            errors.setdefault("tier", []).append(f"等次“{tier}”无效，可选：{tiers}。")
    elif points is not None and kind != scoring.ManualKind.VETO:
        errors.setdefault("points", []).append(
            f"按次计分的分值由方案规定（每次 {num(rule.per)} 分），不应填写分值。"
        )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError("invalid", "分值必须是数字。", {"points": ["分值必须是数字。"]}) from None
    if not number.is_finite() or abs(number) >= 10000:
        raise DomainError("invalid", "分值无效。", {"points": ["分值无效。"]})
    return number


def manual_entry_create(
    *,
    scheme_code: str,
    period: str,
    unit_kind: str,
    unit_id: int,
    item_code: str,
    kind: str,
    reason: str,
    files: Sequence[Upload],
    actor,
    points: Any = None,
    tier: str = "",
    count: int = 1,
    rule_code: str = "",
) -> ManualEntry:
    """Enter a deduction, bonus, judgement, tier, veto or missing element with its evidence files.
    It waits for a second person's approval before it counts."""
    permissions.require_enter(actor)
    scheme_row = Scheme.objects.filter(code=scheme_code, active=True).first()
    if scheme_row is None:
        raise DomainError("invalid", f"考核方案“{scheme_code}”不存在。", {"scheme_code": ["方案不存在"]})
    scheme = scheme_of(scheme_row)
    label = period_parse(period).label
    unit = _unit_for(actor, unit_kind, int(unit_id))
    errors: dict[str, list[str]] = {}
    amount = _decimal(points)
    reason = (reason or "").strip()
    if not reason:
        errors.setdefault("reason", []).append("请填写理由。")
    if not files:
        errors.setdefault("files", []).append("请上传至少一份佐证材料。")
    if len(files) > MAX_EVIDENCE_FILES:
        errors.setdefault("files", []).append(f"佐证材料最多 {MAX_EVIDENCE_FILES} 份。")
    rule = _entry_rule(scheme, item_code, kind, rule_code, errors)
    if rule is not None:
        _check_amount(rule, kind, amount, tier, count, errors)
    if errors:
        raise DomainError(
            "invalid", "录入有误：" + "；".join(m for ms in errors.values() for m in ms), errors
        )
    infos = [inspect_upload(name=f.name, data=f.data) for f in files]
    keys = [filestore.store(f.data) for f in files]
    with transaction.atomic():
        entry = ManualEntry.objects.create(
            scheme_code=scheme.code,
            period=label,
            unit_kind=unit.kind,
            unit_id=unit.pk,
            unit_name=unit.name,
            item_code=item_code,
            rule_code=rule.code if rule is not None else "",
            kind=kind,
            points=amount,
            tier=tier if kind == scoring.ManualKind.TIER else "",
            count=count,
            reason=reason,
            status=EntryStatus.PENDING,
            entered_by=actor,
        )
        EvidenceFile.objects.bulk_create(
            [
                EvidenceFile(
                    entry=entry,
                    storage_key=key,
                    original_name=info.original_name,
                    kind=info.kind,
                    mime=info.mime,
                    size=info.size,
                )
                for key, info in zip(keys, infos, strict=True)
            ]
        )
    return entry


def _review(*, entry: ManualEntry, actor, status: str, note: str, now: dt.datetime) -> ManualEntry:
    permissions.require_enter(actor)
    if entry.entered_by_id == actor.pk:
        raise DomainError(
            "two_person_rule",
            "录入人不能审核自己录入的记录，须由另一名考核员或监管员审核。",
        )
    _unit_for(actor, entry.unit_kind, entry.unit_id)
    with transaction.atomic():
        changed = ManualEntry.objects.filter(pk=entry.pk, status=EntryStatus.PENDING).update(
            status=status, reviewed_by=actor, reviewed_at=now, review_note=note[:500], updated_at=now
        )
        if not changed:
            raise Conflict("conflict", "该记录已被审核，请刷新后查看。")
        record(
            "assessment.entry_approve" if status == EntryStatus.APPROVED else "assessment.entry_reject",
            actor=actor,
            obj=entry,
            detail={"status": status, "note": note[:500]},
        )
    entry.refresh_from_db()
    return entry


def manual_entry_approve(*, entry: ManualEntry, actor, now: dt.datetime, note: str = "") -> ManualEntry:
    """A second 考核员 or 监管员 approves the entry; from now on it counts in runs."""
    return _review(entry=entry, actor=actor, status=EntryStatus.APPROVED, note=(note or "").strip(), now=now)


def manual_entry_reject(*, entry: ManualEntry, actor, note: str, now: dt.datetime) -> ManualEntry:
    """A second 考核员 or 监管员 sends the entry back, with a reason; it never counts."""
    note = (note or "").strip()
    if not note:
        raise DomainError("invalid", "退回须填写理由。", {"note": ["请填写退回理由。"]})
    return _review(entry=entry, actor=actor, status=EntryStatus.REJECTED, note=note, now=now)


# -- evaluations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """An evaluation computed, not saved."""

    evaluation: scoring.Evaluation
    period: Period
    units: list[Unit]
    notes: list[dict[str, str]]

    def results(self) -> dict[str, Any]:
        data = self.evaluation.to_dict()
        codes = {unit_code(u): u.key for u in self.units}
        for unit in data["units"]:
            unit["unit_key"] = codes.get(unit["unit"], "")
        data["period_start"] = self.period.start.isoformat()
        data["period_end"] = self.period.end.isoformat()
        data["tie_rule"] = (
            "总分从高到低排名；总分相同者名次相同，下一名次顺延（1、2、2、4），并列单位按单位编码排列。"
        )
        return data

    def to_dict(self) -> dict[str, Any]:
        """The published form: results, the rule set and the data notes."""
        return {**self.results(), "rules": self.evaluation.scheme.to_dict(), "data_notes": self.notes}


def unit_code(unit: Unit) -> str:
    """A stable code for a unit, by which ties are listed: a region's 区划代码, "dept-000042" for a
    department."""
    if unit.kind == UnitKind.REGION:
        return unit.path.rstrip("/").rsplit("/", 1)[-1]
    return f"dept-{unit.pk:06d}"


def evaluation_compute(*, scheme: scoring.Scheme, period: Period, units: Sequence[Unit]) -> Computed:
    """Score the units for the period without saving anything."""
    if not units:
        raise DomainError("no_units", "数据范围内没有可考核的单位。", {"units": ["没有可考核的单位"]})
    bundle = unit_facts(scheme, units, period)
    facts = [
        scoring.UnitFacts(
            unit=unit_code(unit),
            unit_type=f.unit_type,
            name=f.name,
            counts=f.counts,
            values=f.values,
            manual=f.manual,
            value_refs=f.value_refs,
        )
        for unit, f in zip(units, bundle.facts, strict=True)
    ]
    try:
        evaluation = scoring.evaluate(scheme, facts, period=period.label)
    except scoring.FactsError as error:
        messages = list(error.messages)
        raise DomainError(
            "assessment_facts", "考核数据有误：" + "；".join(messages), {"facts": messages}
        ) from None
    return Computed(evaluation, period, list(units), bundle.notes)


def _save_run(
    *, row: Scheme, computed: Computed, unit_kind: str, actor, previous: Evaluation | None, comparison: list
) -> Evaluation:
    return Evaluation.objects.create(
        scheme=row,
        period=computed.period.label,
        period_start=computed.period.start,
        period_end=computed.period.end,
        unit_kind=unit_kind,
        unit_keys=[u.key for u in computed.units],
        status=EvaluationStatus.DRAFT,
        results=computed.results(),
        rules=row.parsed,
        data_notes=computed.notes,
        created_by=actor,
        previous=previous,
        comparison=comparison,
    )


def evaluation_run(*, scheme: Scheme, period: str, unit_kind: str, actor) -> Evaluation:
    """Score the viewer's units of `unit_kind` for the period with this scheme version; a draft.
    The facts are read first, then the run is written in one short transaction."""
    permissions.require_view(actor)
    parsed_period = period_parse(period)
    units = assessed_units(user=actor, kind=unit_kind)
    computed = evaluation_compute(scheme=scheme_of(scheme), period=parsed_period, units=units)
    with transaction.atomic():
        return _save_run(
            row=scheme, computed=computed, unit_kind=unit_kind, actor=actor, previous=None, comparison=[]
        )


def evaluation_publish(*, evaluation: Evaluation, actor, now: dt.datetime) -> Evaluation:
    """Publish a draft with its rule set; from now on it is frozen."""
    permissions.require_publish(actor)
    if evaluation.status == EvaluationStatus.PUBLISHED:
        raise DomainError("evaluation_frozen", "考核结果已发布，不能再次发布或修改。")
    with transaction.atomic():
        changed = Evaluation.objects.filter(pk=evaluation.pk, status=EvaluationStatus.DRAFT).update(
            status=EvaluationStatus.PUBLISHED, published_by=actor, published_at=now, updated_at=now
        )
        if not changed:
            raise Conflict("conflict", "该考核结果已被他人发布，请刷新后查看。")
        record("assessment.publish", actor=actor, obj=evaluation)
    evaluation.refresh_from_db()
    return evaluation


def _as_engine(evaluation: Evaluation, scheme: scoring.Scheme) -> scoring.Evaluation:
    """A stored run read back as the engine's result, enough for `scoring.compare`."""

    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    units = []
    for u in evaluation.results["units"]:
        items = tuple(
            scoring.ItemResult(
                code=i["item"],
                name=i["name"],
                category=i.get("category", ""),
                score=dec(i["score"]),
                max=Decimal(i["max"]),
                na=i["na"],
            )
            for i in u["items"]
        )
        units.append(
            scoring.UnitResult(
                unit=u["unit"],
                name=u["name"],
                unit_type=u["unit_type"],
                base=Decimal(u["base"]),
                bonus=Decimal(u["bonus"]),
                total=Decimal(u["total"]),
                rank=u["rank"],
                vetoed=u["vetoed"],
                veto_reason=u.get("veto_reason", ""),
                items=items,
            )
        )
    return scoring.Evaluation(scheme, evaluation.period, tuple(units))


def evaluation_rerun(*, evaluation: Evaluation, actor) -> Evaluation:
    """Score the same scheme version, period and units again (after corrections): a new draft linked
    to the run it repeats, holding per unit what changed."""
    permissions.require_view(actor)
    scheme = scheme_of(evaluation.scheme)
    period = period_parse(evaluation.period)
    visible = {u.key: u for u in assessed_units(user=actor, kind=evaluation.unit_kind)}
    missing = [key for key in evaluation.unit_keys if key not in visible]
    if missing:
        raise NotFound("考核结果不存在或不在您的数据范围内。")
    units = [visible[key] for key in evaluation.unit_keys]
    computed = evaluation_compute(scheme=scheme, period=period, units=units)
    changes = scoring.compare(_as_engine(evaluation, scheme), computed.evaluation)
    comparison = [{**change.to_dict(), "changed": change.changed} for change in changes]
    with transaction.atomic():
        return _save_run(
            row=evaluation.scheme,
            computed=computed,
            unit_kind=evaluation.unit_kind,
            actor=actor,
            previous=evaluation,
            comparison=comparison,
        )
