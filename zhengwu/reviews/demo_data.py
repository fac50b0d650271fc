"""Demo 好差评: a year of reviews over the existing demo cases, bulk-created.

About 60 % of the cases decided in the year are rated, 4 % of them badly (2 or 1). Every bad review gets
a rectification that has lived its life up to `today`: it is verified within two days, then rectified
(most), explained (no legal basis) or appealed (a supervisor upholds half of the appeals: the review is
voided); the reviewer gets the answer mostly within the 15-working-day clock, sometimes late; real-name
reviewers are called back; then it is closed (often in batches, days later). A few units never act (stale, overdue). So the old bad
reviews are closed and the recent ones are spread over every open state, each with its history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

from django.db import transaction

from zhengwu.cases.models import Case, CaseEvent
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.domain import deadlines as dl
from zhengwu.domain.masking import mask_phone
from zhengwu.reviews import choices as c
from zhengwu.reviews.models import Rectification, RectificationEvent, Review
from zhengwu.reviews.services import rectify_days
from zhengwu.workdays.selectors import work_calendar

SEED = 2026
SHARE_REVIEWED = 0.6
GRADES = (5, 4, 3, 2, 1)
WEIGHTS = (0.56, 0.28, 0.12, 0.025, 0.015)
CHANNELS = ("web", "app", "mini_program", "sms", "qr", "hall_device")
STALE = 0.08  # bad reviews whose unit never gets past its current step
APPEALED = 0.12
EXPLAINED = 0.15
BAD_COMMENTS = (
    "办事效率有待提高",
    "窗口排队时间太长",
    "一次性告知不到位，跑了两趟",
    "材料要求前后说法不一",
    "工作人员态度生硬",
    "网上申报页面操作复杂",
)
GOOD_COMMENTS = ("", "", "", "办事效率高", "工作人员很耐心", "网上办理很方便")
STAFF_NAME = "演示工作人员"


def _plan(rng: random.Random, real_name: bool) -> list[tuple[str, int, str]]:
    """The steps of one rectification as (action, days after the review, new state)."""
    day = rng.randint(0, 3)
    steps = [("verify", day, "verifying")]
    path = rng.random()
    if path < APPEALED:
        day += rng.randint(1, 5)
        steps.append(("appeal", day, "appealed"))
        day += rng.randint(3, 15)  # the supervisor decides within 5 wd, not always
        if rng.random() < 0.5:
            steps.append(("uphold_appeal", day, "closed"))
            return steps
        steps.append(("reject_appeal", day, "rectifying"))
    elif path < APPEALED + EXPLAINED:
        day += rng.randint(2, 8)
        steps.append(("explain", day, "explaining"))
    else:
        day += rng.randint(2, 10)
        steps.append(("rectify", day, "rectifying"))
    late = rng.random() < 0.1
    day += rng.randint(18, 30) if late else rng.randint(3, 12)
    steps.append(("feed_back", day, "fed_back"))
    if real_name:
        day += rng.randint(2, 12)
        steps.append(("call_back", day, "callback"))
    day += rng.randint(1, 15)  # closing is an administrative step, often done in batches
    steps.append(("close", day, "closed"))
    return steps


def demo_reviews_generate(today: dt.date, progress: Callable[[str], None] = lambda _m: None) -> int:
    """Rate a share of the cases decided in the year before `today`; returns the number of reviews.
    Skipped (0) when reviews exist already."""
    if Review.objects.exists():
        progress("已有评价，跳过。")
        return 0
    rng = random.Random(SEED)
    start = today - dt.timedelta(days=365)
    decided = Case.objects.filter(decided_on__range=(start, today))
    cases = list(
        decided.values_list(
            "pk",
            "decided_on",
            "item_id",
            "department_id",
            "region_id",
            "window_id",
            "channel",
            "applicant_id",
            "contact_phone",
        )
    )
    progress(f"近一年办结办件 {len(cases)} 件，按约 {SHARE_REVIEWED:.0%} 生成评价……")
    staff = dict(
        CaseEvent.objects.filter(
            case__in=decided, action="submit", actor__isnull=False, actor__applicant__isnull=True
        ).values_list("case_id", "actor_id")
    )
    rows = []
    for pk, decided_on, item, department, region, window, channel, applicant, phone in cases:
        if rng.random() > SHARE_REVIEWED:
            continue
        grade = rng.choices(GRADES, WEIGHTS)[0]
        real = rng.random() < 0.7
        day = min(decided_on + dt.timedelta(days=rng.randint(0, 10)), today)
        rows.append(
            Review(
                number=f"PJ{day:%Y%m%d}{pk:08X}",
                kind=c.ServiceKind.CASE,
                channel=rng.choice(CHANNELS),
                visit_key=f"case:{pk}",
                case_id=pk,
                item_id=item,
                department_id=department,
                region_id=region,
                window_id=window,
                staff_id=staff.get(pk),
                grade=grade,
                dimension_set=c.DimensionSet.ONLINE if channel == "online" else c.DimensionSet.OFFLINE,
                scores={},
                real_name=real,
                reviewer_id=applicant if real else None,
                contact_masked=mask_phone(phone) if real else "",
                reviewed_on=day,
                comment=rng.choice(BAD_COMMENTS) if grade <= 2 else rng.choice(GOOD_COMMENTS),
            )
        )
    with transaction.atomic():
        Review.objects.bulk_create(rows, batch_size=2000)
        grades = Counter(r.grade for r in rows)
        progress(
            f"评价 {len(rows)} 条（非常满意 {grades[5]}、满意 {grades[4]}、基本满意 {grades[3]}、"
            f"不满意 {grades[2]}、非常不满意 {grades[1]}）"
        )
        made = _rectifications(rng, today)
    states = Counter(r.state for r in made)
    labels = dict(c.RectificationState.choices)
    progress(
        f"差评整改 {len(made)} 件："
        + "、".join(f"{labels[s]} {states[s]}" for s in c.RectificationState.values)
        + f"；超期 {sum(r.overdue for r in made)} 件，申诉成立 {sum(bool(r.appeal_upheld) for r in made)} 件"
    )
    return len(rows)


def _rectifications(rng: random.Random, today: dt.date) -> list[Rectification]:
    """A rectification per bad review, moved along its plan up to `today`, with its events."""
    bad = list(Review.objects.filter(grade__lte=2).select_related("region").order_by("reviewed_on", "pk"))
    calendars: dict[int, object] = {}
    budget = rectify_days()
    rects, plans, voided = [], [], []
    for review in bad:
        calendar = calendars.setdefault(review.region_id, work_calendar(region=review.region))
        due, provisional = dl.add_workdays(calendar, review.reviewed_on, budget)  # type: ignore[arg-type]
        plan = _plan(rng, review.real_name)
        if rng.random() < STALE:
            plan = plan[: rng.randint(0, 2)]
        done = [(a, review.reviewed_on + dt.timedelta(days=d), s) for a, d, s in plan]
        done = [step for step in done if step[1] <= today]
        dates = {action: day for action, day, _state in done}
        state = done[-1][2] if done else "received"
        upheld = "uphold_appeal" in dates
        rejected = "reject_appeal" in dates
        appealed = "appeal" in dates
        answered_on = dates.get("feed_back")
        if upheld:
            voided.append(review.pk)
        rects.append(
            Rectification(
                review=review,
                department_id=review.department_id,
                state=state,
                version=len(done),
                start_date=review.reviewed_on,
                budget=budget,
                due_date=due,
                provisional=provisional,
                overdue=(answered_on or today) > due and not upheld,
                warning="overdue" if (answered_on or today) > due and not upheld else "none",
                measures="加强窗口人员培训，优化办事流程，一次性告知材料清单"
                if "rectify" in dates or rejected
                else "",
                explanation="所提要求缺乏法定依据，已向评价人解释说明" if "explain" in dates else "",
                answer="已按意见整改并告知评价人" if answered_on else "",
                answered_on=answered_on,
                appeal_reason="评价内容与办理事实不符，属误评" if appealed else "",
                appeal_decision=("经复核属误评，申诉成立" if upheld else "经复核申诉理由不成立，继续整改")
                if upheld or rejected
                else "",
                appeal_upheld=True if upheld else (False if rejected else None),
                callback_result=rng.choice(("satisfied",) * 8 + ("basically_satisfied", "dissatisfied"))
                if "call_back" in dates
                else "",
                callback_note="电话回访评价人" if "call_back" in dates else "",
                called_back_on=dates.get("call_back"),
                closed_on=dates.get("close") or dates.get("uphold_appeal"),
            )
        )
        plans.append(done)
    Rectification.objects.bulk_create(rects, batch_size=2000)
    Review.objects.filter(pk__in=voided).update(voided=True, void_reason="申诉成立：经复核属误评")
    events = []
    for rect, done in zip(rects, plans, strict=True):
        opened = dt.datetime.combine(rect.start_date, dt.time(9), tzinfo=LOCAL_TZ)
        events.append(_event(rect, "open", opened, "", "received", "差评自动转办理单位", "系统"))
        previous = "received"
        for action, day, state in done:
            when = dt.datetime.combine(day, dt.time(10), tzinfo=LOCAL_TZ)
            events.append(_event(rect, action, when, previous, state, "", STAFF_NAME))
            previous = state
    RectificationEvent.objects.bulk_create(events, batch_size=2000)
    return rects


def _event(rect, action, at, old, new, comment, name) -> RectificationEvent:
    return RectificationEvent(
        rectification=rect,
        action=action,
        actor_name=name,
        at=at,
        from_state=old,
        to_state=new,
        comment=comment,
    )
