"""Reads of 好差评: reviews and rectifications through the caller's data scope, and the statistics.

Statistics (DOMAIN §6), per window, staff member, department, item or region (with its subtree) and a
period (a review belongs to the period of its `reviewed_on`, a finished case to that of its `decided_on`).
Voided reviews (upheld appeals) are left out of every numerator and denominator:

| figure | formula |
|---|---|
| 评价数 | reviews |
| 主动评价率 | reviews ÷ cases finished in the period |
| 好评率 | reviews graded 5, 4 or 3 ÷ reviews |
| 差评数 / 差评率 | reviews graded 2 or 1 / ÷ reviews |
| 差评整改率 | bad reviews answered (fed back) by their due date ÷ bad reviews due (due date ≤ as-of date, or already answered) |
| 按时整改率 | bad reviews answered by their due date ÷ bad reviews answered |
| 实名差评回访率 | real-name bad reviews called back ÷ real-name bad reviews closed |
| 回访满意度 | satisfied call-backs ÷ call-backs |
| 申诉成立率 | upheld appeals ÷ decided appeals (voided reviews included: that is the point) |

Rates are percentages with two decimals (ROUND_HALF_UP); a zero denominator gives None ("—").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet

from zhengwu.cases.models import Case
from zhengwu.domain.metrics import Period
from zhengwu.organization.models import Region
from zhengwu.organization.selectors import department_scope_q, region_scope_q, sees_everything
from zhengwu.reviews import choices as c
from zhengwu.reviews.models import Rectification, Review

BY = {"department": "部门", "region": "区划", "window": "窗口", "staff": "工作人员", "item": "事项"}
# The field of a review that attributes it to a unit, and its display name.
_REVIEW_KEYS = {
    "department": ("department_id", "department__name"),
    "window": ("window_id", "window__name"),
    "staff": ("staff_id", "staff__full_name"),
    "item": ("item_id", "item__name"),
    "region": ("region__path", None),
}
# The same for a finished case.
_CASE_KEYS = {
    "department": "department_id",
    "window": "window_id",
    "item": "item_id",
    "region": "region__path",
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

RECTIFICATION_RELATED = ("review", "review__case", "review__item", "review__window", "department")


# -- lists -------------------------------------------------------------------------------------------


def _staff(user) -> bool:
    return bool(user.is_authenticated and not user.applicant_id)


def review_list(*, user) -> QuerySet[Review]:
    """Reviews of the departments in the staff member's scope (none for citizens)."""
    if not _staff(user):
        return Review.objects.none()
    return Review.objects.select_related("department", "item", "window", "case", "staff").filter(
        department_scope_q(user, prefix="department__")
    )


def review_list_for_applicant(*, user) -> QuerySet[Review]:
    if not user.is_authenticated or not user.applicant_id:
        return Review.objects.none()
    return Review.objects.select_related("case", "item").filter(reviewer_id=user.applicant_id)


def rectification_list(*, user, state: str = "", overdue: bool = False) -> QuerySet[Rectification]:
    """The rectification queue: bad reviews handled by the departments in the user's scope."""
    if not _staff(user):
        return Rectification.objects.none()
    qs = Rectification.objects.select_related(*RECTIFICATION_RELATED).filter(
        department_scope_q(user, prefix="department__")
    )
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue=True)
    return qs


def rectification_detail_queryset() -> QuerySet[Rectification]:
    return Rectification.objects.select_related(
        *RECTIFICATION_RELATED, "review__staff", "appeal_decided_by"
    ).prefetch_related("events__actor", "files")


def case_review(case: Case) -> Review | None:
    return Review.objects.filter(case=case, kind=c.ServiceKind.CASE).first()


def case_open_for_review(case: Case) -> bool:
    """Whether the applicant may rate this case now: it is concluded and not rated yet (the service
    re-checks, with the review window and the account)."""
    from zhengwu.reviews.services import REVIEWABLE

    return case.status in REVIEWABLE and case_review(case) is None


# -- statistics --------------------------------------------------------------------------------------


def rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """The counts of one unit; the rates are derived."""

    key: object
    name: str
    reviews: int = 0
    good: int = 0
    bad: int = 0
    finished: int = 0
    bad_due: int = 0
    answered: int = 0
    answered_on_time: int = 0
    real_name_closed: int = 0
    called_back: int = 0
    callbacks: int = 0
    callbacks_satisfied: int = 0
    appeals: int = 0
    upheld: int = 0
    grades: dict[int, int] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for grade, n in other.grades.items():
            self.grades[grade] = self.grades.get(grade, 0) + n

    @property
    def active_rate(self) -> Decimal | None:
        return rate(self.reviews, self.finished)

    @property
    def good_rate(self) -> Decimal | None:
        return rate(self.good, self.reviews)

    @property
    def bad_rate(self) -> Decimal | None:
        return rate(self.bad, self.reviews)

    @property
    def rectified_rate(self) -> Decimal | None:
        return rate(self.answered_on_time, self.bad_due)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.answered_on_time, self.answered)

    @property
    def callback_rate(self) -> Decimal | None:
        return rate(self.called_back, self.real_name_closed)

    @property
    def callback_satisfaction(self) -> Decimal | None:
        return rate(self.callbacks_satisfied, self.callbacks)

    @property
    def appeal_upheld_rate(self) -> Decimal | None:
        return rate(self.upheld, self.appeals)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {name: getattr(self, name) for name in COUNT_FIELDS}
        for name in RATE_FIELDS:
            out[name] = getattr(self, name)
        return out


COUNT_FIELDS = (
    "reviews",
    "good",
    "bad",
    "finished",
    "bad_due",
    "answered",
    "answered_on_time",
    "real_name_closed",
    "called_back",
    "callbacks",
    "callbacks_satisfied",
    "appeals",
    "upheld",
)
RATE_FIELDS = (
    "active_rate",
    "good_rate",
    "bad_rate",
    "rectified_rate",
    "on_time_rate",
    "callback_rate",
    "callback_satisfaction",
    "appeal_upheld_rate",
)
FIGURE_LABELS = {
    "reviews": "评价数",
    "finished": "办结件数",
    "active_rate": "主动评价率",
    "good_rate": "好评率",
    "bad": "差评数",
    "bad_rate": "差评率",
    "rectified_rate": "差评整改率",
    "on_time_rate": "按时整改率",
    "callback_rate": "实名差评回访率",
    "callback_satisfaction": "回访满意度",
    "appeal_upheld_rate": "申诉成立率",
}


def _review_aggregates(as_of: dt.date) -> dict[str, Count]:
    live = Q(voided=False)
    bad = live & Q(grade__in=c.BAD_GRADES)
    answered = bad & Q(rectification__answered_on__isnull=False)
    on_time = answered & Q(rectification__answered_on__lte=F("rectification__due_date"))
    closed_real = bad & Q(real_name=True, rectification__state=c.RectificationState.CLOSED)
    return {
        "reviews": Count("id", filter=live),
        "good": Count("id", filter=live & Q(grade__in=c.GOOD_GRADES)),
        "bad": Count("id", filter=bad),
        "bad_due": Count("id", filter=bad & (Q(rectification__due_date__lte=as_of) | Q(answered))),
        "answered": Count("id", filter=answered),
        "answered_on_time": Count("id", filter=on_time),
        "real_name_closed": Count("id", filter=closed_real),
        "called_back": Count("id", filter=closed_real & Q(rectification__called_back_on__isnull=False)),
        "callbacks": Count("id", filter=live & Q(rectification__called_back_on__isnull=False)),
        "callbacks_satisfied": Count(
            "id", filter=live & Q(rectification__callback_result__in=c.SATISFIED_CALLBACKS)
        ),
        "appeals": Count("id", filter=Q(rectification__appeal_upheld__isnull=False)),
        "upheld": Count("id", filter=Q(rectification__appeal_upheld=True)),
        **{f"g{g}": Count("id", filter=live & Q(grade=g)) for g in range(1, 6)},
    }


def _scoped_reviews(user) -> QuerySet[Review]:
    """All reviews for the public page (user None), else those of the staff member's scope."""
    if user is None:
        return Review.objects.all()
    return review_list(user=user)


def _scoped_cases(user) -> QuerySet[Case]:
    if user is None or sees_everything(user):
        return Case.objects.all()
    return Case.objects.filter(department_scope_q(user, prefix="department__"))


def review_stats(
    *,
    by: str,
    period: Period,
    as_of: dt.date,
    user=None,
    regions: Sequence[Region] | None = None,
) -> list[Figures]:
    """Figures per unit of kind `by` in `period` (see the module docstring), best first by count.

    `user` None means every unit (the public page); otherwise the staff member's scope. For `by="region"`
    the units are `regions` (default: the county-level and higher regions of the scope), each with its
    subtree."""
    if by not in BY:
        raise ValueError(by)
    key, name_field = _REVIEW_KEYS[by]
    reviews = _scoped_reviews(user).filter(reviewed_on__range=(period.start, period.end))
    values = [key] + ([name_field] if name_field else [])
    rows = reviews.values(*values).annotate(**_review_aggregates(as_of)).order_by()
    figures: dict[object, Figures] = {}
    for row in rows:
        unit = row[key]
        if unit is None:
            continue
        fig = figures.setdefault(
            unit, Figures(key=unit, name=(row.get(name_field) or "") if name_field else "")
        )
        for name in COUNT_FIELDS:
            if name in row:
                setattr(fig, name, getattr(fig, name) + row[name])
        for g in range(1, 6):
            fig.grades[g] = fig.grades.get(g, 0) + row[f"g{g}"]
    _add_finished(figures, by, period, user)
    if by == "region":
        return _roll_up_regions(figures, regions if regions is not None else _default_regions(user))
    return sorted(figures.values(), key=lambda f: (-f.reviews, str(f.name)))


def _add_finished(figures: dict[object, Figures], by: str, period: Period, user) -> None:
    """The denominator of 主动评价率: cases finished (decided) in the period, per unit. Departments,
    windows and regions read the metric rollups (`finished`, by the handling department's region and the
    intake window), so the figure costs the same for any number of cases; staff (the member who served
    the case first, as a review is attributed) and items are counted from the cases."""
    if by in ("department", "window", "region"):
        _add_finished_from_rollups(figures, by, period, user)
        return
    cases = _scoped_cases(user).filter(decided_on__range=(period.start, period.end))
    if by == "staff":
        # Attributed to the staff member who served the case first (as a review is).
        rows = (
            cases.filter(events__action="submit", events__actor__applicant__isnull=True)
            .values("events__actor_id", "events__actor__full_name")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        for row in rows:
            unit = row["events__actor_id"]
            if unit is None:
                continue
            figures.setdefault(
                unit, Figures(key=unit, name=row["events__actor__full_name"] or "")
            ).finished += row["n"]
        return
    key = _CASE_KEYS[by]
    name = {"item": "item__name"}.get(by)
    rows = cases.values(key, *([name] if name else [])).annotate(n=Count("id")).order_by()
    for row in rows:
        unit = row[key]
        if unit is None:
            continue
        figures.setdefault(unit, Figures(key=unit, name=row.get(name, "") if name else "")).finished += row[
            "n"
        ]


def _add_finished_from_rollups(figures: dict[object, Figures], by: str, period: Period, user) -> None:
    from zhengwu.metrics.selectors import Unit, unit_counts
    from zhengwu.organization.models import Department, Window

    if by == "window":
        windows = Window.objects.all()
        if user is not None and not sees_everything(user):
            windows = windows.filter(department_scope_q(user, prefix="hall__department__"))
        units = [Unit("window", pk, name) for pk, name in windows.values_list("pk", "name")]
    else:
        departments = Department.objects.all()
        if user is not None and not sees_everything(user):
            departments = departments.filter(department_scope_q(user))
        rows = departments.values_list("pk", "name", "region__path")
        units = [Unit("department", pk, name, path) for pk, name, path in rows]
    counts = unit_counts(units, period)
    for unit in units:
        finished = counts[unit.key].get("finished", 0)
        if not finished:
            continue
        key = unit.path if by == "region" else unit.pk
        figures.setdefault(
            key, Figures(key=key, name="" if by == "region" else unit.name)
        ).finished += finished


def _default_regions(user) -> list[Region]:
    qs = Region.objects.filter(level__lte=3)
    if user is not None and not sees_everything(user):
        qs = qs.filter(region_scope_q(user))
    return list(qs.order_by("path")[:100])


def _roll_up_regions(by_path: dict[object, Figures], regions: Iterable[Region]) -> list[Figures]:
    out = []
    for region in regions:
        total = Figures(key=region.pk, name=region.name)
        for path, fig in by_path.items():
            if str(path).startswith(region.path):
                total.add(fig)
        out.append(total)
    return out


def review_totals(figures: Iterable[Figures]) -> Figures:
    """The sum of several units' figures (units must not overlap)."""
    total = Figures(key=None, name="合计")
    for fig in figures:
        total.add(fig)
    return total


def review_monthly(*, period: Period, user=None) -> list[dict[str, object]]:
    """Per month of the period: reviews, good and bad counts (the statistics page's chart)."""
    from django.db.models.functions import TruncMonth

    rows = (
        _scoped_reviews(user)
        .filter(reviewed_on__range=(period.start, period.end), voided=False)
        .annotate(month=TruncMonth("reviewed_on"))
        .values("month")
        .annotate(
            reviews=Count("id"),
            good=Count("id", filter=Q(grade__in=c.GOOD_GRADES)),
            bad=Count("id", filter=Q(grade__in=c.BAD_GRADES)),
        )
        .order_by("month")
    )
    return [
        {"month": f"{row['month']:%Y-%m}", "reviews": row["reviews"], "good": row["good"], "bad": row["bad"]}
        for row in rows
    ]


def bad_review_occurrences(
    *, department_ids: Sequence[int] = (), region_paths: Sequence[str] = (), period: Period
) -> QuerySet[Review]:
    """Non-voided bad reviews of some departments or region subtrees in a period (assessment evidence)."""
    q = Q(pk__in=[])
    if department_ids:
        q |= Q(department_id__in=department_ids)
    for path in region_paths:
        q |= Q(region__path__startswith=path)
    return (
        Review.objects.filter(
            q, voided=False, grade__in=c.BAD_GRADES, reviewed_on__range=(period.start, period.end)
        )
        .select_related("rectification", "department", "region")
        .order_by("reviewed_on", "number")
    )


# -- assessment facts (`zhengwu.assessment.facts`) -----------------------------------------------------

REVIEW_FACTS = frozenset(
    {
        "reviews.bad",
        "reviews.bad_unrectified",
        "reviews.active_rate",
        "reviews.good_rate",
        "reviews.rectified_rate",
    }
)
_RATE_FACTS = {
    "reviews.active_rate": "active_rate",
    "reviews.good_rate": "good_rate",
    "reviews.rectified_rate": "rectified_rate",
}


@dataclass(frozen=True)
class UnitReviewFacts:
    counts: dict[str, list[tuple[str, str]]]  # fact key → (review number, note)
    values: dict[str, Decimal | None]  # fact key → fraction 0–1, None without a denominator
    has_data: bool = True  # False: no review of the unit in the period → every reviews.* fact is N/A


def review_facts(units: Sequence, period: Period) -> dict[str, UnitReviewFacts]:
    """The `reviews.*` facts of assessment units (regions with their subtree, or departments), as of the
    period's end: 差评件数 and 差评整改不到位 (due by the period's end and not answered by the due date)
    with the review numbers as evidence, and 主动评价率 / 好评率 / 差评整改率 as fractions. A unit without
    any review in the period has no data (`has_data` False): its review items are N/A, not full marks."""
    as_of = period.end
    departments = [u.pk for u in units if u.kind == "department"]
    regions = {r.pk: r for r in Region.objects.filter(pk__in=[u.pk for u in units if u.kind == "region"])}
    by_department = (
        {f.key: f for f in review_stats(by="department", period=period, as_of=as_of)} if departments else {}
    )
    by_region = (
        {
            f.key: f
            for f in review_stats(by="region", period=period, as_of=as_of, regions=list(regions.values()))
        }
        if regions
        else {}
    )
    bad = list(
        bad_review_occurrences(
            department_ids=departments, region_paths=[r.path for r in regions.values()], period=period
        ).values_list(
            "number",
            "grade",
            "department_id",
            "region__path",
            "rectification__due_date",
            "rectification__answered_on",
        )
    )
    out: dict[str, UnitReviewFacts] = {}
    for unit in units:
        if unit.kind == "department":
            fig = by_department.get(unit.pk)
            mine = [row for row in bad if row[2] == unit.pk]
        elif unit.kind == "region" and unit.pk in regions:
            fig = by_region.get(unit.pk)
            mine = [row for row in bad if str(row[3]).startswith(regions[unit.pk].path)]
        else:
            fig, mine = None, []
        unrectified = [
            row
            for row in mine
            if row[4] is not None and row[4] <= as_of and (row[5] is None or row[5] > row[4])
        ]
        values: dict[str, Decimal | None] = {}
        for key, attr in _RATE_FACTS.items():
            percent = getattr(fig, attr) if fig is not None else None
            values[key] = None if percent is None else percent / HUNDRED
        out[unit.key] = UnitReviewFacts(
            counts={
                "reviews.bad": [(row[0], f"{row[1]} 分") for row in mine],
                "reviews.bad_unrectified": [(row[0], f"整改期限 {row[4]}") for row in unrectified],
            },
            values=values,
            has_data=bool(mine) or (fig is not None and fig.reviews > 0),
        )
    return out
