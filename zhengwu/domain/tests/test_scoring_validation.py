"""Scheme checking: a malformed scheme is rejected with every problem, in Chinese, naming its place."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from zhengwu.domain.scoring import SchemeError, load_scheme_text, parse_scheme


def valid() -> dict[str, Any]:
    """A small correct scheme: two unit types, two categories, one extras item."""
    return {
        "code": "demo",
        "name": "示例方案",
        "version": "2026.1",
        "scale": 100,
        "unit_types": {"city_dept": "市直部门", "county": "县区"},
        "categories": [
            {
                "code": "一",
                "name": "政务服务标准化建设",
                "points": 40,
                "items": [
                    {
                        "code": "1",
                        "name": "事项标准化",
                        "points": 20,
                        "rules": [{"kind": "per_occurrence", "source": "catalog.inconsistent", "per": -0.5}],
                    },
                    {
                        "code": "2",
                        "name": "办事指南",
                        "points": 20,
                        "rules": [{"kind": "range_judgement", "source": "manual", "min": -2, "max": -0.5}],
                    },
                ],
            },
            {
                "code": "二",
                "name": "一网通办",
                "points": {"city_dept": 60, "county": 60},
                "items": [
                    {
                        "code": "3",
                        "name": "网办深度",
                        "points": 60,
                        "rules": [{"kind": "rate", "source": "catalog.depth3_share", "target": 0.7}],
                    }
                ],
            },
        ],
        "extras": [
            {
                "code": "bonus",
                "name": "创新加分",
                "rules": [{"kind": "bonus", "source": "manual", "min": 1, "max": 2}],
            }
        ],
        "bonus_cap": 5,
    }


def errors_of(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(data)
    return caught.value.messages


def edited(**paths: Any) -> dict[str, Any]:
    """valid() with the values at dotted paths replaced ("categories.0.items.1.points": -5)."""
    data = valid()
    for dotted, value in paths.items():
        *parents, last = dotted.split("__")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is ...:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return data


def test_the_example_scheme_is_valid():
    scheme = parse_scheme(valid())
    assert (scheme.code, scheme.scale, scheme.bonus_cap) == ("demo", Decimal(100), Decimal(5))


def test_missing_required_fields_are_named_with_their_chinese_labels():
    data = valid()
    del data["version"], data["scale"], data["categories"][0]["items"][0]["name"]
    assert errors_of(data) == (
        "考核方案：缺少“version”（版本）",
        "考核方案：缺少“scale”（满分）",
        "类别“（一）政务服务标准化建设” 第 1 项：缺少“name”（名称）",
    )


def test_a_non_positive_item_points_is_named_by_category_and_item():
    data = edited(categories__0__items__1__points=0)
    assert "类别“（一）政务服务标准化建设” 第 2 项“办事指南”：分值必须为正数" in errors_of(data)


def test_an_unknown_rule_kind_lists_the_kinds_that_exist():
    data = edited(categories__0__items__0__rules__0__kind="xyz")
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 1 项“事项标准化” 第 1 条规则：规则类型“xyz”不存在，可选："
        "per_occurrence、range_judgement、per_missing、rate、threshold、tiered、bonus、veto、external_subscore、banded",
    )


def test_points_by_unit_type_must_add_up_to_the_scale_for_every_type():
    data = edited(
        categories__1__points={"city_dept": 60, "county": 55},
        categories__1__items__0__points={"city_dept": 60, "county": 55},
    )
    assert errors_of(data) == ("考核方案：各类别分值之和为 95，与满分 100 不符（县区）",)


def test_item_points_must_add_up_to_their_category_per_unit_type():
    data = edited(categories__1__items__0__points={"city_dept": 60, "county": 50})
    assert errors_of(data) == ("类别“（二）一网通办”：各项分值之和为 50，与类别分值 60 不符（县区）",)


def test_an_unknown_unit_type_and_a_missing_one_are_both_reported():
    data = edited(categories__1__points={"city_dept": 60, "township": 60})
    assert errors_of(data) == (
        "类别“（二）一网通办”：单位类型“township”不存在，可选：city_dept、county",
        "类别“（二）一网通办”：缺少单位类型“县区”（county）的分值",
        "考核方案：各类别分值之和为 40，与满分 100 不符（县区）",
    )


def test_an_unknown_fact_key_is_rejected():
    data = edited(categories__0__items__0__rules__0__source="cards.blue")
    (message,) = errors_of(data)
    assert message.startswith(
        "类别“（一）政务服务标准化建设” 第 1 项“事项标准化” 第 1 条规则：数据项“cards.blue”不存在，可选：cards.red、"
    )


def test_a_rule_must_read_the_kind_of_source_its_kind_needs():
    data = edited(categories__1__items__0__rules__0__source="cards.red")
    assert errors_of(data) == (
        "类别“（二）一网通办” 第 1 项“网办深度” 第 1 条规则：规则类型“rate”须读取数值类数据项，不能读取“cards.red”",
    )


def test_a_range_whose_minimum_exceeds_its_maximum_is_rejected():
    data = edited(categories__0__items__1__rules__0__min=-0.5, categories__0__items__1__rules__0__max=-2)
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 2 项“办事指南” 第 1 条规则：下限 -0.5 大于上限 -2",
    )


def test_tier_shares_must_lie_between_zero_and_one():
    data = edited(
        categories__0__items__1__rules=[
            {"kind": "tiered", "source": "manual", "tiers": {"好": 1.2, "差": -0.1}}
        ]
    )
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 2 项“办事指南” 第 1 条规则：等次“好”的得分比例 1.2 须在 0 到 1 之间",
        "类别“（一）政务服务标准化建设” 第 2 项“办事指南” 第 1 条规则：等次“差”的得分比例 -0.1 须在 0 到 1 之间",
    )


def test_duplicate_item_codes_name_both_places():
    data = edited(categories__1__items__0__code="1")
    assert errors_of(data) == (
        "类别“（二）一网通办” 第 1 项“网办深度”：编码“1”与类别“（一）政务服务标准化建设” 第 1 项“事项标准化”重复",
    )


def test_duplicate_category_and_rule_codes_are_rejected():
    data = valid()
    data["categories"][1]["code"] = "一"
    data["categories"][0]["items"][0]["rules"].append(
        {"code": "1.1", "kind": "per_occurrence", "source": "cards.red", "per": -1}
    )
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 1 项“事项标准化” 第 2 条规则：规则编码“1.1”在本项中重复",
        "类别“（一）一网通办”：类别编码“一”与类别“（一）政务服务标准化建设”重复",
    )


def test_a_misspelt_field_is_reported_instead_of_ignored():
    data = edited(
        categories__0__items__0__rules=[{"kind": "per_occurrence", "source": "cards.red", "pre": -1}]
    )
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 1 项“事项标准化” 第 1 条规则：未知字段“pre”，可用字段：cap、code、kind、label、per、source",
        "类别“（一）政务服务标准化建设” 第 1 项“事项标准化” 第 1 条规则：缺少“per”（每次分值）",
    )


def test_a_field_of_another_rule_kind_is_named_as_such():
    data = edited(categories__0__items__0__rules__0__target=0.7)
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 1 项“事项标准化” 第 1 条规则：规则类型“per_occurrence”不使用字段“target”",
    )


def test_bonus_rules_belong_to_the_extras_and_extras_carry_no_points():
    data = valid()
    data["categories"][0]["items"][1]["rules"] = [{"kind": "bonus", "source": "manual", "per": 1}]
    data["extras"][0]["points"] = 3
    assert errors_of(data) == (
        "类别“（一）政务服务标准化建设” 第 2 项“办事指南”：加分规则只能放在加减分项目（extras）中",
        "加减分项目 第 1 项“创新加分”：加减分项目不占分值，不能填写“points”",
    )


def test_every_problem_is_reported_at_once_not_just_the_first():
    data = copy.deepcopy(valid())
    data["categories"][0]["items"][0]["rules"][0]["kind"] = "xyz"
    data["categories"][0]["items"][1]["points"] = -5
    data["categories"][1]["items"][0]["rules"][0]["source"] = "cards.red"
    data["bonus_cap"] = -1
    messages = errors_of(data)
    for fragment in (
        "“bonus_cap”（加分上限）不能为负数",
        "规则类型“xyz”不存在",
        "第 2 项“办事指南”：分值必须为正数",
        "各项分值之和为 15，与类别分值 40 不符（市直部门）",
        "各项分值之和为 15，与类别分值 40 不符（县区）",
        "规则类型“rate”须读取数值类数据项",
    ):
        assert sum(fragment in m for m in messages) == 1, fragment
    assert len(messages) == 6


def test_malformed_yaml_names_the_line():
    with pytest.raises(SchemeError) as caught:
        load_scheme_text("code: demo\nname: [示例\n")
    (message,) = caught.value.messages
    assert message.startswith("YAML 格式错误（第 3 行第 1 列）：")


def test_yaml_whose_top_level_is_not_a_mapping_is_rejected():
    with pytest.raises(SchemeError, match="YAML 的顶层必须是键值对"):
        load_scheme_text("- 一\n- 二\n")


def test_the_error_text_lists_every_message():
    with pytest.raises(SchemeError) as caught:
        parse_scheme(edited(version=..., scale=...))
    assert (
        str(caught.value) == "考核方案有误：\n考核方案：缺少“version”（版本）\n考核方案：缺少“scale”（满分）"
    )
