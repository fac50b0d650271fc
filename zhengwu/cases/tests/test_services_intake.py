"""Intake (行政许可法 §32, §34): the one-time supplement notice, deemed acceptance, refusal, 即办件."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Card, CaseEvent, Clock
from zhengwu.cases.tests.factories import at, make_case, receive_all
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db

IMMEDIATE = {"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"}


def notice(case, county, day: str, items=None):
    materials = list(case.materials.all())
    return services.case_request_supplement(
        case=case, actor=county.clerk, now=at(day), items=items or {materials[0].pk: "缺少签字"}
    )


# -- the one-time supplement notice -----------------------------------------------------------------


def test_the_supplement_notice_lists_every_flagged_material_with_what_is_wrong(county):
    case = make_case(county, now=at("2026-04-28"))
    application, licence = case.materials.all()
    case = notice(case, county, "2026-04-30", items={application.pk: "缺少签字", licence.pk: ""})
    event = CaseEvent.objects.get(case=case, action="request_supplement")
    assert event.data["items"] == [
        {"material": "申请书", "note": "缺少签字"},
        {"material": "营业执照", "note": "未提交"},
    ]
    application.refresh_from_db()
    licence.refresh_from_db()
    assert (application.status, licence.status) == ("faulty", "missing")


def test_a_supplement_notice_listing_nothing_is_refused(county):
    case = make_case(county, now=at("2026-04-28"))
    with pytest.raises(DomainError) as refused:
        services.case_request_supplement(case=case, actor=county.clerk, now=at("2026-04-30"), items={})
    assert refused.value.code == "required"


def test_a_supplement_notice_naming_a_material_of_another_case_is_refused(county):
    case = make_case(county, now=at("2026-04-28"))
    other = make_case(county, now=at("2026-04-28"))
    with pytest.raises(DomainError) as refused:
        notice(case, county, "2026-04-30", items={other.materials.first().pk: "缺"})
    assert refused.value.code == "invalid"


def test_a_supplement_notice_on_the_last_intake_day_is_in_time(county):
    case = make_case(county, now=at("2026-09-18"))
    case = notice(case, county, "2026-09-24")
    assert case.status == "supplement_requested"


def test_a_supplement_notice_after_the_intake_due_date_is_refused_as_deemed_accepted(county):
    case = make_case(county, now=at("2026-09-18"))
    with pytest.raises(DomainError) as refused:
        notice(case, county, "2026-09-28")  # DOMAIN §4.3 C: intake was due 09-24
    assert refused.value.code == "supplement_notice_late"
    assert "视为受理" in refused.value.message
    assert "2026-09-24" in refused.value.message
    case.refresh_from_db()
    assert case.status == "submitted"
    assert {m.status for m in case.materials.all()} == {"pending"}


def test_a_timely_notice_and_supplement_start_the_clocks_on_the_completing_day_example_b(county):
    case = make_case(county, now=at("2026-04-28"), elements={"promised_limit": 10})
    assert Clock.objects.get(case=case, kind="intake").due_date == dt.date(2026, 5, 8)
    case = notice(case, county, "2026-04-30")
    case = services.case_supplement(case=case, actor=county.clerk, now=at("2026-05-08"))
    receive_all(case, county, at("2026-05-08"))
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-05-08"))
    case.refresh_from_db()
    assert case.accepted_on == dt.date(2026, 5, 8)
    assert case.statutory_due == dt.date(2026, 6, 4)
    assert case.promised_due == dt.date(2026, 5, 21)


def test_a_timely_notice_with_materials_arriving_0928_is_due_1030_example_c_variant(county):
    case = make_case(county, now=at("2026-09-18"))
    case = notice(case, county, "2026-09-22")
    case = services.case_supplement(case=case, actor=county.clerk, now=at("2026-09-28"))
    receive_all(case, county, at("2026-09-28"))
    case = services.case_accept(case=case, actor=county.clerk, now=at("2026-09-28"))
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 10, 30)


def test_after_a_supplement_the_flagged_materials_must_be_checked_again_before_acceptance(county):
    case = make_case(county, now=at("2026-04-28"))
    receive_all(case, county, at("2026-04-28"))
    application = case.materials.get(name="申请书")
    case = notice(case, county, "2026-04-30", items={application.pk: "缺少签字"})
    case = services.case_supplement(case=case, actor=county.clerk, now=at("2026-05-06"))
    application.refresh_from_db()
    assert application.status == "pending"
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=case, actor=county.clerk, now=at("2026-05-06"))
    assert refused.value.code == "materials_incomplete" and "申请书" in refused.value.message


def test_an_applicant_must_upload_every_flagged_material_before_supplementing(county):
    from zhengwu.cases.tests.factories import make_citizen
    from zhengwu.catalog.tests.factories import make_item

    citizen = make_citizen()
    case = services.case_create(
        item=make_item(department=county.department),
        applicant=citizen.applicant,
        channel="online",
        now=at("2026-04-28"),
        actor=citizen,
    )
    application, licence = case.materials.all()
    case = notice(case, county, "2026-04-30", items={application.pk: "缺少签字", licence.pk: ""})
    services.case_file_add(
        case=case,
        material=application,
        name="申请书.pdf",
        data=b"%PDF-1.4\n%%EOF\n",
        actor=citizen,
        now=at("2026-05-06"),
    )
    with pytest.raises(DomainError) as refused:
        services.case_supplement(case=case, actor=citizen, now=at("2026-05-06"))
    assert refused.value.fields["materials"] == ["营业执照"]


# -- deemed acceptance (example C) ---------------------------------------------------------------


def test_the_sweep_leaves_an_intake_alone_on_its_last_day(county):
    case = make_case(county, now=at("2026-09-18"))
    services.cases_sweep(now=at("2026-09-24", 23))
    case.refresh_from_db()
    assert case.status == "submitted"
    assert not Card.objects.filter(case=case).exists()


def test_the_sweep_deems_a_late_intake_accepted_as_of_receipt_example_c(county):
    case = make_case(county, now=at("2026-09-18"))
    counts = services.cases_sweep(now=at("2026-09-25", 0))
    assert counts["deemed_accepted"] == 1
    case.refresh_from_db()
    assert case.status == "in_review"
    assert case.deemed_accepted and case.supplement_notice_late
    assert case.accepted_on == dt.date(2026, 9, 18)
    assert case.statutory_due == dt.date(2026, 10, 22)
    assert Clock.objects.get(case=case, kind="intake").status == "stopped"


def test_deemed_acceptance_issues_one_yellow_y3_card(county):
    case = make_case(county, now=at("2026-09-18"))
    services.cases_sweep(now=at("2026-09-25", 0))
    services.cases_sweep(now=at("2026-09-25", 1))
    card = Card.objects.get(case=case, rule="Y3")
    assert card.level == "yellow" and card.issued_on == dt.date(2026, 9, 25)
    case.refresh_from_db()
    assert case.warning == "yellow"


def test_deemed_acceptance_does_not_touch_a_case_awaiting_supplement(county):
    case = make_case(county, now=at("2026-09-18"))
    case = notice(case, county, "2026-09-22")
    services.cases_sweep(now=at("2026-09-28"))
    case.refresh_from_db()
    assert case.status == "supplement_requested"
    assert not case.deemed_accepted


def test_after_deemed_acceptance_a_notice_is_refused(county):
    case = make_case(county, now=at("2026-09-18"))
    services.cases_sweep(now=at("2026-09-25", 0))
    case.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        notice(case, county, "2026-09-28")
    assert "视为受理" in refused.value.message


# -- refusal at intake -----------------------------------------------------------------------------


def test_refusing_at_intake_without_a_reason_is_refused(county):
    case = make_case(county)
    with pytest.raises(DomainError) as refused:
        services.case_refuse_intake(case=case, actor=county.clerk, now=at("2026-06-02"), reason=" ")
    assert refused.value.code == "required"
    assert refused.value.fields == {"reason": ["不予受理必须写明理由。"]}
    case.refresh_from_db()
    assert case.status == "submitted"


def test_refusing_after_a_supplement_is_allowed(county):
    case = make_case(county, now=at("2026-06-01"))
    case = notice(case, county, "2026-06-02")
    case = services.case_supplement(case=case, actor=county.clerk, now=at("2026-06-03"))
    case = services.case_refuse_intake(case=case, actor=county.clerk, now=at("2026-06-03"), reason="仍不符合")
    assert case.status == "not_accepted"


# -- 即办件 (§34) ---------------------------------------------------------------------------------


def test_an_immediate_case_has_no_intake_clock_but_an_immediate_one(county):
    case = make_case(county, now=at("2026-06-01"), elements=IMMEDIATE)
    assert case.case_kind == "immediate"
    assert not Clock.objects.filter(case=case, kind="intake").exists()
    clock = Clock.objects.get(case=case, kind="immediate")
    assert clock.due_date == dt.date(2026, 6, 1)


def test_deciding_an_immediate_case_on_the_spot_grants_it_today(county):
    case = receive_all(make_case(county, now=at("2026-06-01"), elements=IMMEDIATE), county)
    case = services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01", 11))
    assert case.status == "granted"
    assert case.accepted_on == case.decided_on == dt.date(2026, 6, 1)
    assert Clock.objects.get(case=case, kind="immediate").status == "stopped"
    assert Clock.objects.get(case=case, kind="certificate").due_date == dt.date(2026, 6, 15)
    event = CaseEvent.objects.get(case=case, action="decide_on_spot")
    assert (event.from_status, event.to_status, event.actor) == ("submitted", "granted", county.clerk)


def test_an_immediate_case_waiting_for_a_supplement_gets_no_same_day_card(county):
    case = make_case(county, now=at("2026-06-01"), elements=IMMEDIATE)
    material = case.materials.first()
    case = services.case_request_supplement(
        case=case, actor=county.clerk, now=at("2026-06-01", 11), items={material.pk: "缺签字"}
    )
    services.cases_sweep(now=at("2026-06-03"))
    assert not Card.objects.filter(case=case, rule="Y5").exists()
    case = services.case_supplement(case=case, actor=county.clerk, now=at("2026-06-05"))
    restarted = Clock.objects.get(case=case, kind="immediate", status="running")
    assert restarted.start_date == restarted.due_date == dt.date(2026, 6, 5)


def test_deciding_on_the_spot_needs_every_material(county):
    case = make_case(county, now=at("2026-06-01"), elements=IMMEDIATE)
    with pytest.raises(DomainError) as refused:
        services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "materials_incomplete"


def test_a_promised_case_cannot_be_decided_on_the_spot(county):
    case = receive_all(make_case(county), county)
    with pytest.raises(DomainError) as refused:
        services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "not_immediate"


def test_an_immediate_case_left_open_past_its_receipt_day_gets_a_yellow_y5(county):
    case = make_case(county, now=at("2026-06-01"), elements=IMMEDIATE)
    services.cases_sweep(now=at("2026-06-01", 23))
    assert not Card.objects.filter(case=case).exists()
    services.cases_sweep(now=at("2026-06-02", 0))
    services.cases_sweep(now=at("2026-06-02", 9))
    card = Card.objects.get(case=case)
    assert (card.rule, card.level, card.issued_on) == ("Y5", "yellow", dt.date(2026, 6, 2))


def test_an_immediate_case_finished_on_its_receipt_day_gets_no_card(county):
    case = receive_all(make_case(county, now=at("2026-06-01"), elements=IMMEDIATE), county)
    services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01", 16))
    services.cases_sweep(now=at("2026-06-02"))
    assert not Card.objects.filter(case=case).exists()
