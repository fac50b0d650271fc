"""The facts of an assessment, gathered from hand-made cases, cards, metrics and manual entries, equal
the values worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from zhengwu.assessment import facts as f
from zhengwu.assessment.selectors import assessed_units
from zhengwu.assessment.services import scheme_parse, shipped_scheme_text
from zhengwu.assessment.tests.conftest import approved_entry, card
from zhengwu.common.errors import DomainError
from zhengwu.domain import scoring
from zhengwu.domain.metrics import Period
from zhengwu.metrics.selectors import department_unit, region_unit
from zhengwu.metrics.services import metrics_rebuild
from zhengwu.organization.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026")


def yiyang():
    return scheme_parse(shipped_scheme_text("yiyang-2020"))


def shanhaiguan():
    return scheme_parse(shipped_scheme_text("shanhaiguan-2020"))


def test_two_red_cards_in_the_period_count_twice_with_their_case_numbers_and_a_voided_one_not_at_all(
    heshan, ziyang
):
    first = card(heshan, rule="R1", level="red", day="2026-04-10")
    second = card(heshan, rule="R2", level="red", day="2026-05-20")
    card(heshan, rule="R1", level="red", day="2026-06-01", voided=True)
    card(heshan, rule="R1", level="red", day="2025-12-31")  # before the period
    card(ziyang, rule="R1", level="red", day="2026-04-10")  # another county
    unit = region_unit(heshan.region)
    metrics_rebuild()  # the cards were written directly: the totals come from the rollups

    cards = f.card_occurrences([unit], YEAR)
    found = cards.occurrences[unit.key]

    assert [o.ref for o in found["cards.red"]] == [first.case.number, second.case.number]
    assert found["cards.yellow"] == []
    # R1 is the statutory clock overrunning: the case is overdue; R2 is not.
    assert [o.ref for o in found["cases.overdue"]] == [first.case.number]
    assert cards.totals[unit.key] == {"cards.red": 2, "cards.yellow": 0, "cases.overdue": 1}


def test_a_region_counts_the_cards_of_every_department_in_its_subtree_and_a_department_only_its_own(heshan):
    town = DepartmentFactory(region=heshan.region, name="赫山区自然资源局")
    own = card(heshan, rule="Y1", level="yellow", day="2026-03-03")
    other = card(heshan, rule="Y1", level="yellow", day="2026-03-04")
    other.department = town
    other.save()
    region, department = region_unit(heshan.region), department_unit(heshan.department)
    metrics_rebuild()

    found = f.card_occurrences([region, department], YEAR).occurrences

    assert [o.ref for o in found[region.key]["cards.yellow"]] == [own.case.number, other.case.number]
    assert [o.ref for o in found[department.key]["cards.yellow"]] == [own.case.number]


def test_the_evidence_lists_the_first_cases_while_the_count_is_the_total(heshan, monkeypatch):
    monkeypatch.setattr(f, "EVIDENCE_LIMIT", 2)
    made = [card(heshan, rule="Y1", level="yellow", day=f"2026-03-0{d}") for d in (2, 3, 4)]
    unit = region_unit(heshan.region)
    metrics_rebuild()

    cards = f.card_occurrences([unit], YEAR)

    assert [o.ref for o in cards.occurrences[unit.key]["cards.yellow"]] == [c.case.number for c in made[:2]]
    assert cards.totals[unit.key]["cards.yellow"] == 3


def test_value_facts_are_the_metric_percentages_as_fractions(heshan, monkeypatch):
    """The metrics (percentages, from the rollups: tested in zhengwu.metrics) 按时办结率 75.00 % and
    实际提速率 62.50 % become 0.75 and 0.625; the engine's rates are fractions."""
    asked = []

    def unit_metrics(units, period, codes):
        asked.append(sorted(codes))
        return {u.key: {"on_time_rate": Decimal("75.00"), "actual_speedup": Decimal("62.50")} for u in units}

    monkeypatch.setattr(f, "unit_metrics", unit_metrics)
    scheme = replace(
        yiyang(),
        categories=(
            scoring.Category(
                "一",
                "效能",
                {"county": Decimal(100), "zone": Decimal(100)},
                (
                    scoring.Item(
                        "x",
                        "按时办结",
                        {"county": Decimal(50), "zone": Decimal(50)},
                        (
                            scoring.Rule(
                                "x1", scoring.RuleKind.RATE, "cases.ontime_rate", target=Decimal("0.9")
                            ),
                        ),
                    ),
                    scoring.Item(
                        "y",
                        "提速",
                        {"county": Decimal(50), "zone": Decimal(50)},
                        (
                            scoring.Rule(
                                "y1", scoring.RuleKind.RATE, "cases.speedup_rate", target=Decimal("0.5")
                            ),
                        ),
                    ),
                ),
            ),
        ),
        extras=(),
    )
    unit = region_unit(heshan.region)

    facts = f.unit_facts(scheme, [unit], YEAR).facts[0]

    assert asked == [["actual_speedup", "on_time_rate"]]
    assert facts.values == {"cases.ontime_rate": Decimal("0.75"), "cases.speedup_rate": Decimal("0.625")}
    assert facts.value_refs["cases.ontime_rate"] == ("按时办结率 75.00%（2026）",)


def test_facts_of_modules_not_built_yet_are_no_data_so_their_items_are_not_assessed(heshan):
    """好差评 is live: its facts come from the reviews (None only while the unit has no review in the
    period); the 12345 hotline is still not built, so hotline.subscore stays no data (N/A)."""
    from zhengwu.cases.tests.factories import make_citizen
    from zhengwu.reviews.tests.factories import granted_case, rate

    unit = region_unit(heshan.region)

    facts = f.unit_facts(yiyang(), [unit], YEAR).facts[0]

    assert facts.values == {"reviews.bad_unrectified": None, "hotline.subscore": None}
    notes = {n["key"]: n["source"] for n in f.unit_facts(yiyang(), [], YEAR).notes}
    assert notes["reviews.bad_unrectified"] == f.SOURCE_NOTES["reviews.bad_unrectified"]
    assert "尚未上线" not in notes["reviews.bad_unrectified"] and "尚未上线" in notes["hotline.subscore"]

    citizen = make_citizen()
    case = granted_case(heshan, citizen=citizen)
    bad = rate(case, citizen, 1, day="2026-04-01")  # due 04-23, never fed back

    facts = f.unit_facts(yiyang(), [unit], YEAR).facts[0]

    assert facts.counts["reviews.bad_unrectified"] == [scoring.Occurrence(bad.number, "整改期限 2026-04-23")]
    assert facts.values == {"hotline.subscore": None}


def test_only_approved_entries_of_the_scheme_period_and_unit_reach_the_engine(
    heshan, ziyang, assessors, frozen
):
    approved_entry(assessors, heshan, item_code="7", kind="missing", count=2, reason="未公开两项要素")
    approved_entry(assessors, heshan, item_code="7", kind="missing", period="2025")
    approved_entry(assessors, ziyang, item_code="7", kind="missing")
    unit = region_unit(heshan.region)

    [entry] = f.manual_entries([unit], YEAR, "yiyang-2020")[unit.key]

    assert (entry.item_code, entry.kind, entry.count, entry.reason, entry.rule) == (
        "7",
        "missing",
        2,
        "未公开两项要素",
        "7a",
    )
    assert (
        len(entry.evidence) == 1
        and entry.evidence[0].startswith("佐证#")
        and entry.evidence[0].endswith("通报.pdf")
    )


def test_counties_take_the_schemes_county_type_and_functional_zones_its_zone_type(heshan, city):
    from zhengwu.organization.tests.factories import RegionFactory

    RegionFactory(code="4309G1000000", name="益阳高新区", parent=city, is_functional_zone=True)
    superuser = type(heshan.clerk).objects.create_superuser("root", password="Zw!test-pass-2026")
    units = {u.name: u for u in assessed_units(user=superuser, kind="region")}

    assert set(units) == {"赫山区", "益阳高新区"}  # county level only: not the city
    assert f.scheme_unit_type(yiyang(), units["赫山区"]) == "county"
    assert f.scheme_unit_type(yiyang(), units["益阳高新区"]) == "zone"
    assert f.scheme_unit_type(shanhaiguan(), units["益阳高新区"]) == "county"
    assert f.scheme_unit_type(shanhaiguan(), department_unit(heshan.department)) == "city_dept"


def test_a_scheme_without_a_department_type_refuses_to_rank_departments(heshan):
    with pytest.raises(DomainError) as refused:
        f.scheme_unit_type(yiyang(), department_unit(heshan.department))
    assert "没有适用于部门的单位类型" in refused.value.message
