"""Bundles (一件事): which member items apply, one deduplicated material list, the derived status and due date.

A bundle groups several service items (我要开餐馆 = 个体工商户设立登记 + 食品经营许可 + …). Its own
questions select the members that apply; the materials of the selected items are merged so that a
material needed by several items is asked for once; the bundle case's status and due date are derived
from its child cases. Pure Python: no Django, no database, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from zhengwu.domain.case_flow import FINISHED, INTAKE, Status
from zhengwu.domain.catalog_rules import material_key

# -- selecting members -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSpec:
    """A member item of a bundle. `condition` is the full key "<question>.<option>" of a bundle option
    that must be chosen for the member to apply; empty means it always applies. `stage` 1 starts at
    submission; stage n+1 starts once every case of stage n is granted (B after A's result)."""

    key: str
    name: str = ""
    stage: int = 1
    order: int = 0
    condition: str = ""


def chosen_keys(answers: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """{question key: [full option key, …]} → the set of chosen full option keys."""
    return frozenset(key for keys in answers.values() for key in keys)


def select_members(members: Sequence[MemberSpec], answers: Mapping[str, Iterable[str]]) -> list[MemberSpec]:
    """The members that apply to the answers, by stage then order (unconditional members always)."""
    chosen = chosen_keys(answers)
    selected = [m for m in members if not m.condition or m.condition in chosen]
    return sorted(selected, key=lambda m: (m.stage, m.order))


def stages(members: Iterable[MemberSpec]) -> list[int]:
    """The distinct stage numbers of `members`, ascending."""
    return sorted({m.stage for m in members})


# -- merging materials -----------------------------------------------------------------------------

# The strictest necessity wins when several items ask for the same material.
NECESSITY_RANK: Final[Mapping[str, int]] = {"required": 3, "deferrable": 2, "conditional": 1}


@dataclass(frozen=True)
class MaterialLine:
    """One material of one item's list (as its guide or guidance result gives it)."""

    name: str
    form: str
    necessity: str
    copies: int = 1


@dataclass(frozen=True)
class MergedMaterial:
    """One line of the bundle's list: the material once, naming every item that needs it."""

    name: str
    form: str
    necessity: str
    copies: int
    items: tuple[str, ...] = field(default=())

    @property
    def shared(self) -> bool:
        return len(self.items) > 1


def merge_materials(lists: Sequence[tuple[str, Sequence[MaterialLine]]]) -> list[MergedMaterial]:
    """(item name, its materials) pairs → one list in first-seen order. Lines with the same name (blanks
    and full-width brackets ignored) and the same form are one line: the strictest necessity and the
    largest number of copies win, and every item that needs it is named once."""
    merged: dict[tuple[str, str], MergedMaterial] = {}
    for item, lines in lists:
        for line in lines:
            key = (material_key(line.name), line.form)
            current = merged.get(key)
            if current is None:
                merged[key] = MergedMaterial(line.name, line.form, line.necessity, line.copies, (item,))
                continue
            stricter = NECESSITY_RANK.get(line.necessity, 0) > NECESSITY_RANK.get(current.necessity, 0)
            merged[key] = MergedMaterial(
                current.name,
                current.form,
                line.necessity if stricter else current.necessity,
                max(current.copies, line.copies),
                current.items if item in current.items else (*current.items, item),
            )
    return list(merged.values())


# -- the bundle's status and due date ----------------------------------------------------------------


class BundleStatus(StrEnum):
    NOT_STARTED = "not_started"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    AWAITING_INTAKE = "awaiting_intake"
    IN_PROGRESS = "in_progress"
    WAITING_NEXT_STAGE = "waiting_next_stage"
    FINISHED = "finished"
    PARTLY_FINISHED = "partly_finished"


BUNDLE_STATUS_LABELS: Final[Mapping[BundleStatus, str]] = {
    BundleStatus.NOT_STARTED: "未申报",
    BundleStatus.SUPPLEMENT_REQUESTED: "待补正",
    BundleStatus.AWAITING_INTAKE: "待受理",
    BundleStatus.IN_PROGRESS: "办理中",
    BundleStatus.WAITING_NEXT_STAGE: "待办理下一阶段",
    BundleStatus.FINISHED: "已办结",
    BundleStatus.PARTLY_FINISHED: "已办结（部分事项未获准）",
}

# A child in one of these statuses has the result a later stage waits for.
SUCCESS: Final = frozenset({Status.GRANTED, Status.CERTIFIED, Status.DELIVERED})


def stage_succeeded(child_statuses: Collection[str]) -> bool:
    """Whether every case of a stage has been granted (certified and delivered count too)."""
    return bool(child_statuses) and all(s in SUCCESS for s in child_statuses)


def bundle_status(child_statuses: Collection[str], *, pending_members: int = 0) -> BundleStatus:
    """The bundle case's status from its children's, in order of what the applicant must do first:
    any child waiting for a supplement → 待补正; any still in intake → 待受理; any open → 办理中.
    When every child is finished: members of a later stage still to start → 待办理下一阶段 (if every
    child succeeded; otherwise the later stage can never start and the bundle is finished), all granted
    → 已办结, some refused, denied, withdrawn or terminated → 已办结（部分事项未获准）."""
    statuses = [Status(s) for s in child_statuses]
    if not statuses:
        return BundleStatus.NOT_STARTED
    if any(s == Status.SUPPLEMENT_REQUESTED for s in statuses):
        return BundleStatus.SUPPLEMENT_REQUESTED
    if any(s in INTAKE or s == Status.DRAFT for s in statuses):
        return BundleStatus.AWAITING_INTAKE
    if any(s not in FINISHED for s in statuses):
        return BundleStatus.IN_PROGRESS
    succeeded = all(s in SUCCESS or s == Status.ARCHIVED for s in statuses)
    if pending_members and stage_succeeded(statuses):
        return BundleStatus.WAITING_NEXT_STAGE
    return BundleStatus.FINISHED if succeeded and not pending_members else BundleStatus.PARTLY_FINISHED


def bundle_due(child_dues: Iterable[dt.date | None]) -> dt.date | None:
    """The bundle is due when its last child is: the latest known due date (None when none is known)."""
    known = [d for d in child_dues if d is not None]
    return max(known) if known else None


# -- end-to-end time against the bundle's targets (企业开办, 工程建设项目审批) ---------------------------


@dataclass(frozen=True)
class ChildTiming:
    """When one child case of a stage was received and finished (None while open)."""

    stage: int
    received: dt.date | None
    finished: dt.date | None


@dataclass(frozen=True)
class StageTiming:
    """One stage: from its first child's receipt to its last child's end (or `today` while open)."""

    number: int
    name: str
    started: dt.date | None
    finished: dt.date | None  # None while a child of the stage is open, or before the stage starts
    used: int | None  # working days, day zero = `started`; None before the stage starts
    target: int | None

    @property
    def over(self) -> bool:
        return self.used is not None and self.target is not None and self.used > self.target


@dataclass(frozen=True)
class BundleTiming:
    """The whole bundle: working days used from submission to the last child's end, against the target."""

    submitted: dt.date
    finished: dt.date | None
    used: int
    target: int | None
    target_date: dt.date | None
    stages: tuple[StageTiming, ...]

    @property
    def over(self) -> bool:
        return self.target is not None and self.used > self.target

    @property
    def remaining(self) -> int | None:
        return None if self.target is None else self.target - self.used


def bundle_timing(
    children: Sequence[ChildTiming],
    *,
    submitted: dt.date,
    today: dt.date,
    finished: bool,
    target: int | None,
    stages: Sequence[tuple[int, str, int | None]],
    count: Callable[[dt.date, dt.date], int],
    add: Callable[[dt.date, int], dt.date],
) -> BundleTiming:
    """Working days used by the bundle and each stage, counted like every clock (DOMAIN §3.3: day zero is
    the start, a same-day finish uses 0). `count(a, b)` counts working days a < d ≤ b and `add(a, n)` is
    the n-th working day after a (the region's calendar). `stages` are (number, name, target) of every
    stage the bundle case has selected members in; `finished` says the bundle is done (no later stage
    can start), so its end is the last child's. An open bundle or stage is measured up to `today`."""
    rows = []
    for number, name, stage_target in sorted(stages):
        mine = [c for c in children if c.stage == number]
        received = [c.received for c in mine if c.received is not None]
        started = min(received) if received else None
        done = bool(mine) and all(c.finished is not None for c in mine)
        end = max(c.finished for c in mine if c.finished is not None) if done else None
        used = None if started is None else count(started, end or today)
        rows.append(StageTiming(number, name, started, end, used, stage_target))
    ends = [c.finished for c in children if c.finished is not None]
    end = max(ends) if finished and ends else None
    return BundleTiming(
        submitted=submitted,
        finished=end,
        used=count(submitted, end or today),
        target=target,
        target_date=None if target is None else add(submitted, target),
        stages=tuple(rows),
    )
