"""The demo case generator: a small year of cases for one county, checked against the rules and the services.

The generator never calls the per-case services; these tests hold its rows to what the services (and
the daily sweep) would have written: numbers, clocks and their due dates, cards, event timelines.
The data is built once per module inside a transaction rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Max

from zhengwu.cases import choices as c
from zhengwu.cases import services
from zhengwu.cases.certificates import certificate_verify
from zhengwu.cases.demo_data import demo_cases_generate
from zhengwu.cases.models import Card, Case, CaseEvent, CaseSequence, Certificate, Clock, ClockSegment
from zhengwu.cases.tests.factories import at, make_county, receive_all
from zhengwu.catalog.tests.factories import make_item
from zhengwu.domain import deadlines as dl
from zhengwu.domain.identifiers import validate_id_number, validate_uscc
from zhengwu.organization.models import Applicant
from zhengwu.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
LAST_DAY = dt.date(2026, 11, 29)
CASES = 600
CERTIFICATES = 6
NUMBER = re.compile(r"^(\d{6})-(\d{8})-(\d{6})$")
OPEN = {"submitted", "supplement_requested", "supplemented", "in_review", "pending_decision"}
STEPS = [
    {"name": "受理", "limit": 1, "limit_unit": "working_day"},
    {"name": "审查", "limit": 3, "limit_unit": "working_day"},
    {"name": "决定", "limit": 1, "limit_unit": "working_day"},
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One county with five kinds of item (promised, 即办, joint, natural-day, no legal limit) and a demo year."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cache.clear()
            county = make_county()
            items = {
                "promised": make_item(department=county.department, name="餐饮服务许可"),
                "immediate": make_item(
                    department=county.department,
                    name="个体户登记",
                    elements={
                        "case_kind": "immediate",
                        "promised_limit": 0,
                        "promised_limit_unit": "immediate",
                    },
                ),
                "joint": make_item(
                    department=county.department,
                    name="占道施工审批",
                    elements={"case_kind": "joint", "promised_limit": 10},
                ),
                "natural": make_item(
                    department=county.department,
                    name="资格认定",
                    elements={
                        "legal_limit": 30,
                        "legal_limit_unit": "natural_day",
                        "promised_limit": 15,
                        "promised_limit_unit": "natural_day",
                    },
                ),
                "no_legal_limit": make_item(
                    department=county.department, name="补贴发放", elements={"legal_limit": None}
                ),
            }
            result = demo_cases_generate(count=CASES, today=TODAY, certificates=CERTIFICATES)
            yield county, items, result
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


def segments_of(clock: Clock) -> list[dl.Segment]:
    return [
        dl.Segment(dl.SegmentKind(s.kind), s.start, s.end, s.days, s.reason)
        for s in ClockSegment.objects.filter(clock=clock)
    ]


def test_a_small_run_writes_the_cases_it_reports(demo):
    _, _, result = demo
    assert result.created == CASES == Case.objects.count()
    assert sum(result.statuses.values()) == CASES
    assert result.rows > 10 * CASES
    assert Case.objects.filter(received_on__lt=dt.date(2025, 12, 1)).count() == 0
    assert Case.objects.filter(received_on__gt=LAST_DAY).count() == 0


def test_numbers_follow_the_service_format_are_unique_and_continue_in_the_sequence(demo):
    county, items, _ = demo
    seqs: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for number, received_on, region_code in Case.objects.values_list("number", "received_on", "region__code"):
        prefix, day, seq = NUMBER.match(number).groups()
        assert (prefix, day) == (region_code[:6], f"{received_on:%Y%m%d}")
        seqs[(prefix, received_on)].append(int(seq))
    for key, numbers in seqs.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert CaseSequence.objects.get(prefix=key[0], day=key[1]).last == len(numbers)
    (prefix, busiest), numbers = max(seqs.items(), key=lambda entry: len(entry[1]))
    case = services.case_create(
        item=items["promised"],
        applicant=Applicant.objects.filter(kind="person").first(),
        channel="window",
        now=at(busiest.isoformat()),
        actor=county.clerk,
    )
    assert case.number == f"{prefix}-{busiest:%Y%m%d}-{len(numbers) + 1:06d}"


def test_query_codes_are_six_characters_and_almost_never_repeat(demo):
    codes = list(Case.objects.values_list("query_code", flat=True))
    assert all(re.fullmatch(r"[23456789A-HJ-NP-Z]{6}", code) for code in codes)
    assert len(set(codes)) >= len(codes) - 2


def test_every_accepted_case_has_its_legal_clocks_due_as_the_deadlines_module_says(demo):
    calendar = work_calendar(region=demo[0].region)
    checked = 0
    accepted = Case.objects.filter(accepted_on__isnull=False).exclude(case_kind="immediate")
    for case in accepted.select_related("item_version"):
        version = case.item_version
        expected = {
            kind: budget
            for kind, budget, unit in (
                ("statutory", version.legal_limit, version.legal_limit_unit),
                ("promised", version.promised_limit, version.promised_limit_unit),
            )
            if budget and unit == "working_day"
        }
        clocks = {clock.kind: clock for clock in case.clocks.filter(kind__in=["statutory", "promised"])}
        assert {kind: clock.budget for kind, clock in clocks.items()} == expected, case.number
        for clock in clocks.values():
            assert clock.start_date == case.accepted_on
            segments = segments_of(clock)
            if any(s.is_pause and s.end is None for s in segments):
                assert (clock.due_date, clock.status) == (None, "paused")
                continue
            due, provisional = dl.due_date(
                calendar, budget=clock.budget, start=clock.start_date, segments=segments
            )
            assert (clock.due_date, clock.provisional) == (due, provisional), case.number
            checked += 1
        assert case.promised_due == (clocks["promised"].due_date if "promised" in clocks else None)
        assert case.statutory_due == (clocks["statutory"].due_date if "statutory" in clocks else None)
    assert checked > 300


def test_outcomes_are_spread_like_a_real_hall(demo):
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert statuses["delivered"] > 0.8 * CASES
    assert statuses["not_accepted"] and statuses["withdrawn"]
    assert sum(statuses[s] for s in OPEN) > 0
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    assert {
        "request_supplement",
        "supplement",
        "pause",
        "resume",
        "extend",
        "deny",
        "decide_on_spot",
    } <= actions
    assert Card.objects.filter(rule="Y1").exists() and Card.objects.filter(rule="R1").exists()


def test_cards_sit_only_on_overdue_clocks_and_set_the_warning(demo):
    for card in Card.objects.select_related("clock", "case"):
        clock = card.clock
        assert (card.rule, clock.kind) in {("Y1", "promised"), ("R1", "statutory"), ("R2", "promised")}
        assert clock.due_date is not None and clock.due_date < card.issued_on <= LAST_DAY
        assert clock.stopped_on is None or clock.stopped_on > clock.due_date
        assert card.department_id == card.case.department_id
        if card.rule in ("Y1", "R1"):  # closed when the clock stops, or by an accepted 整改说明
            if card.accepted_by_id is not None:
                assert card.response and card.closed_on <= card.rectify_due
                assert clock.stopped_on is None or card.closed_on < clock.stopped_on
            else:
                assert card.closed_on == clock.stopped_on
        if card.rule == "R2":
            assert (card.closed_on, card.response) == (None, "")
            yellow = Card.objects.get(case=card.case, clock=clock, rule="Y1")
            assert (yellow.response, card.key) == ("", f"{clock.pk}:R2:Y1")
            assert card.issued_on > yellow.rectify_due
            assert clock.stopped_on is None or clock.stopped_on > yellow.rectify_due
    for case in Case.objects.filter(cards__isnull=False).distinct():
        levels = [dl.Level(level) for level in case.cards.values_list("level", flat=True)]
        assert case.warning == dl.max_level(*levels)
    assert not Case.objects.filter(cards__isnull=True).exclude(warning="none").exists()


def test_every_clock_that_ran_past_its_due_date_got_its_card_the_day_after(demo):
    late = 0
    for clock in Clock.objects.filter(
        kind__in=["promised", "statutory"], due_date__lt=LAST_DAY, provisional=False
    ):
        running_after_due = clock.stopped_on is None or clock.stopped_on > clock.due_date
        rule = "Y1" if clock.kind == "promised" else "R1"
        card = Card.objects.filter(clock=clock, rule=rule).first()
        assert (card is not None) == running_after_due, (clock.case.number, clock.kind)
        if card is not None:
            assert card.issued_on == clock.due_date + dt.timedelta(days=1)
            late += 1
    assert late >= 10


def test_the_sweep_on_the_last_day_finds_every_overdue_card_already_issued(demo):
    before = set(Card.objects.values_list("key", flat=True))
    counts = services.cases_sweep(
        now=dt.datetime.combine(LAST_DAY, dt.time(23, 0), tzinfo=at("2026-01-05").tzinfo)
    )
    assert counts["deemed_accepted"] == 0
    new = Card.objects.exclude(key__in=before)
    assert set(new.values_list("rule", flat=True)) <= {"N1"}, list(new.values_list("key", "rule"))


def _events(case: Case, detail: bool = False) -> list[tuple]:
    rows = case.events.order_by("at", "id").values_list(
        "action", "from_status", "to_status", "comment", "data"
    )
    if detail:  # everything but free choices (the delivery mode)
        return [(*row[:4], sorted(row[4])) for row in rows]
    return [row[:3] for row in rows]


def _clocks(case: Case) -> list[tuple[str, int, str]]:
    return sorted(case.clocks.values_list("kind", "budget", "status"))


def test_a_delivered_case_has_the_shape_the_services_give_it(demo):
    county, items, _ = demo
    path = [
        "save_draft",
        "submit",
        "materials_check",
        "accept",
        "step_pass",
        "grant",
        "issue_certificate",
        "deliver",
    ]
    generated = next(
        case
        for case in Case.objects.filter(item=items["promised"], status="delivered").order_by("id")
        if [action for action, _, _ in _events(case)] == path
    )
    case = services.case_create(
        item=items["promised"],
        applicant=generated.applicant,
        channel="window",
        now=at("2026-06-01"),
        actor=county.clerk,
    )
    receive_all(case, county)
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-03"))
    services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-04"))
    case.refresh_from_db()
    case = services.case_deliver(case=case, actor=county.clerk, now=at("2026-06-04"), mode="electronic")
    assert _events(generated, detail=True) == _events(case, detail=True)
    assert generated.version == Case.objects.get(pk=case.pk).version
    assert _clocks(generated) == _clocks(case)
    step_shape = ("order", "name", "limit", "status")
    assert list(generated.steps.values_list(*step_shape)) == list(case.steps.values_list(*step_shape))
    material_shape = ("name", "necessity", "status", "sort_order")
    assert list(generated.materials.values_list(*material_shape)) == list(
        case.materials.values_list(*material_shape)
    )
    assert generated.promised_due is not None and generated.finished_at is not None
    assert (generated.current_step_id, generated.assignee_id, generated.paused) == (None, None, False)


def test_an_immediate_case_is_decided_and_its_clock_stopped_on_the_day_it_arrives(demo):
    _, items, _ = demo
    cases = Case.objects.filter(item=items["immediate"], status="delivered")
    assert cases.exists()
    for case in cases[:50]:
        actions = [action for action, _, _ in _events(case)]
        assert actions[:4] == ["save_draft", "submit", "materials_check", "decide_on_spot"]
        immediate = case.clocks.get(kind="immediate")
        assert (immediate.budget, immediate.stopped_on, immediate.due_date) == (
            0,
            case.received_on,
            case.received_on,
        )
        assert case.accepted_on == case.decided_on == case.received_on
        assert not case.clocks.filter(kind="intake").exists()


def test_a_supplemented_case_starts_its_clocks_on_the_day_the_materials_are_complete(demo):
    supplemented = Case.objects.filter(events__action="supplement").distinct()
    assert supplemented.exists()
    for case in supplemented:
        supplement = case.events.get(action="supplement")
        notice = case.events.get(action="request_supplement")
        assert notice.data["items"] and all(row["note"] for row in notice.data["items"])
        intake = case.clocks.get(kind="intake")
        assert intake.stopped_on == notice.at.astimezone(at("2026-01-05").tzinfo).date() <= intake.due_date
        assert case.accepted_on == supplement.at.astimezone(at("2026-01-05").tzinfo).date()
        for clock in case.clocks.filter(kind__in=["statutory", "promised"]):
            assert clock.start_date == case.accepted_on


def test_pauses_and_extensions_are_ledger_segments(demo):
    _, items, _ = demo
    excluded = ClockSegment.objects.filter(kind="excluded")
    assert excluded.exists()
    assert set(excluded.values_list("reason_code", flat=True)) <= c.EXCLUDED_REASONS
    for segment in excluded.select_related("clock"):
        assert segment.notified_on == segment.start and segment.expected_end is not None
        assert segment.clock.kind in ("statutory", "promised", "step")
    extensions = ClockSegment.objects.filter(kind="extension").select_related("clock__case")
    assert extensions.exists()
    for segment in extensions:
        joint = segment.clock.case.item_id == items["joint"].pk
        assert (segment.clock.kind, segment.days) == ("statutory", 15 if joint else 10)
        assert (
            segment.start
            <= dl.add_workdays(
                work_calendar(region=segment.clock.case.region),
                segment.clock.start_date,
                segment.clock.budget,
            )[0]
        )


def test_recent_certificates_are_signed_and_verify(demo):
    certificates = list(Certificate.objects.select_related("case"))
    assert len(certificates) == CERTIFICATES
    newest_without = Case.objects.filter(
        status="delivered", certificate__isnull=True, events__action="issue_certificate"
    ).aggregate(last=Max("events__at"))["last"]
    for certificate in certificates:
        assert certificate.case.status in ("certified", "delivered")
        assert certificate.content["case_number"] == certificate.case.number
        assert certificate_verify(code=certificate.verification_code, today=TODAY).signature_valid
    assert min(cert.issued_on for cert in certificates) >= newest_without.date() - dt.timedelta(days=1)


def test_applicants_have_valid_identifiers(demo):
    applicants = Applicant.objects.filter(cases__isnull=False).distinct()
    assert applicants.filter(kind="person").exists() and applicants.filter(kind="legal_person").exists()
    for applicant in applicants:
        if applicant.kind == "person":
            validate_id_number(applicant.id_number, today=TODAY)
        else:
            validate_uscc(applicant.id_number)


def test_cases_arrive_on_working_days_and_never_on_holidays(demo):
    calendar = work_calendar(region=demo[0].region)
    days = Counter(Case.objects.values_list("received_on", "channel"))
    for (day, channel), _ in days.items():
        assert day not in calendar.holidays
        if channel != "online":
            assert calendar.is_workday(day)
    weekdays = Counter()
    for (day, _), n in days.items():
        weekdays[day.weekday()] += n
    assert weekdays[0] > weekdays[4] > weekdays[5] + weekdays[6]


def test_running_it_again_creates_nothing_and_reset_builds_afresh(demo):
    before = (Case.objects.count(), Clock.objects.count(), CaseEvent.objects.count(), Card.objects.count())
    again = demo_cases_generate(count=CASES, today=TODAY)
    assert (again.skipped, again.created, again.existing) == (True, 0, CASES)
    assert (
        Case.objects.count(),
        Clock.objects.count(),
        CaseEvent.objects.count(),
        Card.objects.count(),
    ) == before
    fresh = demo_cases_generate(count=40, today=TODAY, certificates=2, reset=True)
    assert fresh.created == Case.objects.count() == 40
    assert Certificate.objects.count() == 2
    assert CaseSequence.objects.aggregate(total=Max("last"))["total"] <= 40
