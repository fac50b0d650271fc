"""The write paths of bundles (一件事) and the evaluation of a bundle's questions.

A bundle case is built from the cases services only: each child is opened by `case_create` (so it gets
its own number, materials and 5-working-day intake clock) and accepted by `case_accept` (so the same
completeness and permission checks apply). The cases app does not know about bundles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zhengwu.bundles.models import Bundle, BundleCase, BundleCaseChild, BundleMember, BundleSequence
from zhengwu.bundles.selectors import bundle_case_queryset
from zhengwu.bundles.signals import bundle_case_submitted
from zhengwu.cases import services as case_services
from zhengwu.cases.models import Case
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.common.sequences import next_in_sequence
from zhengwu.domain import bundle_rules as br
from zhengwu.domain.case_flow import INTAKE
from zhengwu.organization.models import Applicant, User

# -- answers and guidance ----------------------------------------------------------------------------


def bundle_answers(*, bundle: Bundle, answers: Mapping[Any, Any]) -> dict[str, list[str]]:
    """{question id: [option id, …]} (ints or strings) → {question key: [full option key, …]}.
    Bad ids raise a DomainError whose fields are keyed "answers.<question id>"."""
    if not isinstance(answers, Mapping):
        raise DomainError(
            "invalid_answers", "回答格式应为 {问题编号: [选项编号, …]}。", {"answers": ["格式错误。"]}
        )
    questions = {q.pk: q for q in bundle.questions.all()}
    errors: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for raw_question, raw_options in answers.items():
        field = f"answers.{raw_question}"
        try:
            question = questions.get(int(raw_question))
        except (TypeError, ValueError):
            question = None
        if question is None:
            errors[field] = ["问题不存在或不属于本一件事。"]
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
                option = None
            if option is None:
                errors.setdefault(field, []).append(f"选项 {raw} 不属于问题“{question.text}”。")
            elif option.full_key not in keys:
                keys.append(option.full_key)
        if not question.multiple and len(keys) > 1:
            errors.setdefault(field, []).append(f"“{question.text}”为单选题，只能选择一个选项。")
        out[question.key] = keys
    if errors:
        text = "；".join(m for messages in errors.values() for m in messages)
        raise DomainError("invalid_answers", f"回答有误：{text}", errors)
    return out


def _spec(member: BundleMember) -> br.MemberSpec:
    return br.MemberSpec(
        key=str(member.pk),
        name=member.item.name,
        stage=member.stage,
        order=member.order,
        condition=member.condition,
    )


@dataclass(frozen=True)
class BundleGuidance:
    """One evaluation of a bundle's questions: the members that apply and the merged materials."""

    bundle: Bundle
    answers: dict[str, list[str]]  # question key → full option keys
    members: list[BundleMember]  # selected, by stage then order
    materials: list[br.MergedMaterial]
    unanswered: list[Any]  # single-choice BundleQuestions without an answer

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def stages(self) -> list[int]:
        return br.stages(_spec(m) for m in self.members)


def bundle_guidance(*, bundle: Bundle, answers: Mapping[Any, Any]) -> BundleGuidance:
    """Evaluate answers given as {question id: [option id, …]} on a bundle from `selectors.bundle_get`."""
    by_key = bundle_answers(bundle=bundle, answers=answers)
    members = {str(m.pk): m for m in bundle.members.all()}
    selected = [members[s.key] for s in br.select_members([_spec(m) for m in members.values()], by_key)]
    lists = []
    for member in selected:
        version = member.item.current_version
        lines = (
            [br.MaterialLine(m.name, m.form, m.necessity, m.paper_copies) for m in version.materials.all()]
            if version is not None
            else []
        )
        lists.append((member.item.name, lines))
    unanswered = [q for q in bundle.questions.all() if not q.multiple and not by_key.get(q.key)]
    return BundleGuidance(
        bundle=bundle,
        answers=by_key,
        members=selected,
        materials=br.merge_materials(lists),
        unanswered=unanswered,
    )


def _named(error: DomainError, prefix: str) -> DomainError:
    """The same error (code, fields, HTTP status) with a message that names the child it is about."""
    named = DomainError(error.code, prefix + error.message, error.fields)
    named.status_code = error.status_code
    return named


# -- numbers -------------------------------------------------------------------------------------------


def _next_number(region_code: str, day: dt.date) -> str:
    """YJS-<region code, 6 digits>-<YYYYMMDD>-<daily sequence, 4 digits>, e.g. YJS-430903-20260601-0001."""
    prefix = region_code[:6]
    last = next_in_sequence(BundleSequence, prefix=prefix, day=day)
    return f"YJS-{prefix}-{day:%Y%m%d}-{last:04d}"


# -- submitting, advancing, accepting -------------------------------------------------------------------


def _child_form(member: BundleMember, form_data: Mapping[str, Any]) -> dict[str, Any]:
    mapping = member.field_map or {}
    return {mapping.get(key, key): value for key, value in form_data.items()}


def _open_children(
    bundle_case: BundleCase, members: list[BundleMember], *, actor: User | None, now: dt.datetime
) -> list[Case]:
    cases = []
    for member in members:
        try:
            case = case_services.case_create(
                item=member.item,
                applicant=bundle_case.applicant,
                channel=bundle_case.channel,
                now=now,
                actor=actor,
                form_data=_child_form(member, bundle_case.form_data),
            )
        except DomainError as error:
            raise _named(error, f"“{member.item.name}”不能申报：") from error
        if bundle_case.applicant_account_id and not case.applicant_account_id:
            Case.objects.filter(pk=case.pk).update(applicant_account_id=bundle_case.applicant_account_id)
            case.applicant_account_id = bundle_case.applicant_account_id
        BundleCaseChild.objects.create(bundle_case=bundle_case, case=case, member=member, stage=member.stage)
        cases.append(case)
    return cases


@transaction.atomic
def bundle_case_submit(
    *,
    bundle: Bundle,
    applicant: Applicant,
    answers: Mapping[Any, Any],
    channel: str,
    actor: User | None,
    now: dt.datetime,
    form_data: Mapping[str, Any] | None = None,
) -> BundleCase:
    """One submission: evaluate the answers, record the bundle case and open one child case per selected
    member of the first stage (later stages start in `bundle_case_advance`). All or nothing."""
    if not bundle.active:
        raise DomainError("bundle_inactive", f"“{bundle.name}”已停用，不能申报。")
    guidance = bundle_guidance(bundle=bundle, answers=answers)
    if not guidance.complete:
        questions = guidance.unanswered
        raise DomainError(
            "incomplete",
            "请先回答：" + "、".join(f"“{q.text}”" for q in questions),
            {f"answers.{q.pk}": ["请选择一个选项。"] for q in questions},
        )
    if not guidance.members:
        raise DomainError("nothing_selected", "按您的回答没有需要办理的事项。")
    if actor is not None and actor.applicant_id and actor.applicant_id != applicant.pk:
        raise PermissionDenied("网上申报只能以账号本人为申请人。")
    today = case_services.local_date(now)
    bundle_case = BundleCase.objects.create(
        number=_next_number(bundle.region.code, today),
        bundle=bundle,
        applicant=applicant,
        applicant_account=actor if actor is not None and actor.applicant_id else None,
        channel=channel,
        submitted_at=now,
        answers=guidance.answers,
        form_data=dict(form_data or {}),
    )
    bundle_case.members.set(guidance.members)
    first = guidance.stages[0]
    _open_children(bundle_case, [m for m in guidance.members if m.stage == first], actor=actor, now=now)
    bundle_case_submitted.send(sender=BundleCase, bundle_case=bundle_case)
    return bundle_case


@transaction.atomic
def bundle_case_advance(*, bundle_case: BundleCase, now: dt.datetime) -> list[Case]:
    """Start the next stage when every case of the last started stage has been granted; returns the new
    cases (none when the stage is still open, failed, or there is no later stage). Idempotent."""
    bundle_case = BundleCase.objects.select_for_update().get(pk=bundle_case.pk)
    children = list(bundle_case.children.select_related("case"))
    selected = list(bundle_case.members.select_related("item", "item__region", "item__current_version"))
    if not children:
        return []
    current = max(child.stage for child in children)
    if not br.stage_succeeded([child.case.status for child in children if child.stage == current]):
        return []
    later = sorted({m.stage for m in selected if m.stage > current})
    if not later:
        return []
    started = {child.member_id for child in children}
    members = sorted(
        (m for m in selected if m.stage == later[0] and m.pk not in started), key=lambda m: (m.order, m.pk)
    )
    # A later stage is opened by the system on the applicant's behalf (nobody acts at a window).
    return _open_children(bundle_case, members, actor=None, now=now)


@transaction.atomic
def bundle_case_accept_all(*, bundle_case: BundleCase, actor: User, now: dt.datetime) -> BundleCase:
    """One acceptance at the window: accept every child still in intake through `case_accept`. The first
    child that cannot be accepted (materials incomplete, out of scope …) stops it all and is named."""
    bundle_case = bundle_case_queryset().get(pk=bundle_case.pk)
    waiting = [child for child in bundle_case.children.all() if child.case.status in INTAKE]
    if not waiting:
        raise DomainError("nothing_to_accept", "该一件事没有待受理的办件。")
    for child in waiting:
        try:
            case_services.case_accept(
                case=child.case, actor=actor, now=now, comment=f"一件事 {bundle_case.number} 一次受理"
            )
        except DomainError as error:
            raise _named(error, f"办件 {child.case.number}（{child.case.item.name}）不能受理：") from error
    return bundle_case_queryset().get(pk=bundle_case.pk)


@transaction.atomic
def bundle_case_start_next_stage(*, bundle_case: BundleCase, actor: User, now: dt.datetime) -> list[Case]:
    """A window starts the next stage by hand when it did not start by itself after the grant (a
    member's item was suspended at that moment, say). Same rules as `bundle_case_advance`."""
    if not (actor.has_role(*case_services.INTAKE_ROLES) or actor.is_superuser):
        raise PermissionDenied("您的角色不能启动下一阶段。")
    children = list(bundle_case.children.select_related("case"))
    if not any(case_services.staff_can_act_on(actor, child.case) for child in children):
        raise PermissionDenied("该一件事不在您的数据范围内。")
    started = bundle_case_advance(bundle_case=bundle_case, now=now)
    if not started:
        raise DomainError(
            "nothing_to_start", "当前阶段尚未全部准予许可，或已没有后续阶段，不能启动下一阶段。"
        )
    return started
