"""Smart guidance rules: every answer set of the 药品零售企业许可 demo against a hand-written table,
the evaluation semantics one by one, and every validation message in Chinese."""

from __future__ import annotations

import itertools

import pytest

from zhengwu.domain.guidance_rules import (
    Effect,
    MaterialSpec,
    OptionSpec,
    QuestionSpec,
    Route,
    RuleSpec,
    answer_errors,
    evaluate,
    validate,
)


def yes_no(key: str, text: str, **kwargs) -> QuestionSpec:
    return QuestionSpec(key, text, (OptionSpec(f"{key}.no", "否"), OptionSpec(f"{key}.yes", "是")), **kwargs)


def rule(label: str, *when: str, effect: Effect, **kwargs) -> RuleSpec:
    return RuleSpec(label, frozenset(when), effect, **kwargs)


def mat(name: str, necessity: str = "required") -> MaterialSpec:
    return MaterialSpec(name, form="both", copies=1, necessity=necessity)


# ---------------------------------------------------------------------------------------------
# The demo of 药品零售企业许可 (zhengwu/guidance/demo_data.py), written out by hand.

DRUG_QUESTIONS = [
    yes_no("cold", "是否经营冷藏药品"),
    yes_no("chain", "是否为药品零售连锁门店"),
    yes_no("special", "是否经营含特殊药品复方制剂"),
    QuestionSpec(
        "agent",
        "由谁办理",
        (OptionSpec("agent.self", "本人办理"), OptionSpec("agent.proxy", "委托他人代为办理")),
    ),
]
# Letters keep the expectation table readable.
DRUG_MATERIALS = [
    mat("A 申请表"),
    mat("L 营业执照"),
    mat("P 执业药师注册证"),
    mat("F 平面布置图"),
    mat("Q 质量管理文件"),
    mat("X 授权委托书", "conditional"),
    mat("C 冷藏设施验证报告", "conditional"),
    mat("H 连锁总部授权", "conditional"),
    mat("S 特殊药品管理制度", "conditional"),
]
COLD_CONDITION = "经营冷藏药品的，应当配备冷藏设施设备和温湿度自动监测系统。"
DRUG_RULES = [
    rule("规则集“委托代理人办理”第1条", "agent.proxy", effect=Effect.ADD_MATERIAL, material="X 授权委托书"),
    rule("本事项规则第1条", "cold.yes", effect=Effect.ADD_MATERIAL, material="C 冷藏设施验证报告"),
    rule("本事项规则第2条", "cold.yes", effect=Effect.ADD_CONDITION, text=COLD_CONDITION),
    rule("本事项规则第3条", "chain.yes", effect=Effect.ADD_MATERIAL, material="H 连锁总部授权"),
    rule("本事项规则第4条", "chain.yes", effect=Effect.DROP_MATERIAL, material="Q 质量管理文件"),
    rule("本事项规则第5条", "special.yes", effect=Effect.ADD_MATERIAL, material="S 特殊药品管理制度"),
]
# (cold, chain, special, agent) → the letters of the materials, in guide order.
DRUG_EXPECTED = {
    ("no", "no", "no", "self"): "ALPFQ",
    ("no", "no", "no", "proxy"): "ALPFQX",
    ("no", "no", "yes", "self"): "ALPFQS",
    ("no", "no", "yes", "proxy"): "ALPFQXS",
    ("no", "yes", "no", "self"): "ALPFH",
    ("no", "yes", "no", "proxy"): "ALPFXH",
    ("no", "yes", "yes", "self"): "ALPFHS",
    ("no", "yes", "yes", "proxy"): "ALPFXHS",
    ("yes", "no", "no", "self"): "ALPFQC",
    ("yes", "no", "no", "proxy"): "ALPFQXC",
    ("yes", "no", "yes", "self"): "ALPFQCS",
    ("yes", "no", "yes", "proxy"): "ALPFQXCS",
    ("yes", "yes", "no", "self"): "ALPFCH",
    ("yes", "yes", "no", "proxy"): "ALPFXCH",
    ("yes", "yes", "yes", "self"): "ALPFCHS",
    ("yes", "yes", "yes", "proxy"): "ALPFXCHS",
}


def test_the_drug_retail_table_lists_every_answer_set():
    assert set(DRUG_EXPECTED) == set(
        itertools.product(("no", "yes"), ("no", "yes"), ("no", "yes"), ("self", "proxy"))
    )


@pytest.mark.parametrize(("answer", "letters"), sorted(DRUG_EXPECTED.items()))
def test_each_drug_retail_answer_set_gives_the_hand_written_materials_conditions_and_limit(answer, letters):
    cold, chain, special, agent = answer
    answers = {"cold": [f"cold.{cold}"], "chain": [f"chain.{chain}"], "special": [f"special.{special}"]}
    answers["agent"] = [f"agent.{agent}"]
    result = evaluate(DRUG_QUESTIONS, DRUG_RULES, DRUG_MATERIALS, answers, base_limit=7)
    assert "".join(m.name[0] for m in result.materials) == letters
    assert result.not_needed == (("Q 质量管理文件",) if chain == "yes" else ())
    assert result.conditions == ((COLD_CONDITION,) if cold == "yes" else ())
    assert result.promised_limit == 7 and not result.limit_changed
    assert result.fees == () and result.routes == ()
    assert result.complete


def test_the_drug_retail_rules_pass_validation():
    assert validate(DRUG_QUESTIONS, DRUG_RULES, DRUG_MATERIALS, legal_limit=20) == []


def test_an_added_material_says_which_answers_brought_it_in():
    answers = {
        "cold": ["cold.yes"],
        "chain": ["chain.no"],
        "special": ["special.no"],
        "agent": ["agent.proxy"],
    }
    result = evaluate(DRUG_QUESTIONS, DRUG_RULES, DRUG_MATERIALS, answers)
    reasons = {m.name: m.reasons for m in result.materials}
    assert reasons["C 冷藏设施验证报告"] == ("是否经营冷藏药品：是",)
    assert reasons["X 授权委托书"] == ("由谁办理：委托他人代为办理",)
    assert reasons["A 申请表"] == ()


# ---------------------------------------------------------------------------------------------
# Evaluation semantics

FOOD_QUESTIONS = [
    QuestionSpec(
        "premises",
        "经营场所性质",
        (OptionSpec("premises.own", "自有"), OptionSpec("premises.rented", "租赁")),
    ),
    QuestionSpec(
        "scope",
        "经营项目",
        (OptionSpec("scope.cold", "冷食类"), OptionSpec("scope.raw", "生食类")),
        multiple=True,
    ),
    yes_no("online", "是否网络经营"),
    QuestionSpec(
        "channel",
        "网络经营方式",
        (OptionSpec("channel.site", "自建网站"), OptionSpec("channel.platform", "第三方平台")),
        depends_on="online.yes",
    ),
]
FOOD_MATERIALS = [
    mat("申请书"),
    mat("产权证明", "conditional"),
    mat("租赁合同", "conditional"),
    mat("专间说明", "conditional"),
    mat("网站备案", "conditional"),
    mat("网店网址", "conditional"),
]
FOOD_RULES = [
    rule("本事项规则第1条", "premises.own", effect=Effect.ADD_MATERIAL, material="产权证明"),
    rule("本事项规则第2条", "premises.rented", effect=Effect.ADD_MATERIAL, material="租赁合同"),
    rule("本事项规则第3条", "scope.cold", effect=Effect.ADD_MATERIAL, material="专间说明"),
    rule("本事项规则第4条", "scope.raw", effect=Effect.ADD_MATERIAL, material="专间说明"),
    rule("本事项规则第5条", "scope.cold", effect=Effect.SET_LIMIT, limit=5),
    rule("本事项规则第6条", "scope.raw", effect=Effect.SET_LIMIT, limit=8),
    rule("本事项规则第7条", "channel.site", effect=Effect.ADD_MATERIAL, material="网站备案"),
    rule("本事项规则第8条", "channel.platform", effect=Effect.ADD_MATERIAL, material="网店网址"),
]


def names(result) -> list[str]:
    return [m.name for m in result.materials]


def test_several_rules_with_one_effect_are_an_or_and_the_reasons_of_each_are_kept():
    result = evaluate(
        FOOD_QUESTIONS,
        FOOD_RULES,
        FOOD_MATERIALS,
        {"premises": ["premises.own"], "scope": ["scope.cold", "scope.raw"]},
    )
    assert names(result) == ["申请书", "产权证明", "专间说明"]
    assert result.materials[2].reasons == ("经营项目：冷食类", "经营项目：生食类")


def test_the_longest_of_several_limits_is_promised():
    both = evaluate(
        FOOD_QUESTIONS, FOOD_RULES, FOOD_MATERIALS, {"scope": ["scope.cold", "scope.raw"]}, base_limit=3
    )
    assert (both.promised_limit, both.limit_changed) == (8, True)
    none = evaluate(FOOD_QUESTIONS, FOOD_RULES, FOOD_MATERIALS, {"scope": []}, base_limit=3)
    assert (none.promised_limit, none.limit_changed) == (3, False)


def test_a_hidden_question_is_not_shown_and_its_answers_are_ignored():
    hidden = evaluate(
        FOOD_QUESTIONS,
        FOOD_RULES,
        FOOD_MATERIALS,
        {"premises": ["premises.rented"], "online": ["online.no"], "channel": ["channel.site"]},
    )
    assert "channel" not in hidden.shown
    assert names(hidden) == ["申请书", "租赁合同"]
    assert dict(hidden.answers) == {"premises": ("premises.rented",), "online": ("online.no",)}
    shown = evaluate(
        FOOD_QUESTIONS,
        FOOD_RULES,
        FOOD_MATERIALS,
        {"premises": ["premises.rented"], "online": ["online.yes"], "channel": ["channel.site"]},
    )
    assert shown.shown == ("premises", "scope", "online", "channel")
    assert names(shown) == ["申请书", "租赁合同", "网站备案"]


def test_partial_answers_list_the_unanswered_single_choice_questions_but_not_the_multiple_choice_ones():
    result = evaluate(FOOD_QUESTIONS, FOOD_RULES, FOOD_MATERIALS, {})
    assert result.unanswered == ("premises", "online")
    assert not result.complete
    assert names(result) == ["申请书"]


def test_a_drop_wins_over_an_add_and_a_dropped_base_material_is_listed_as_not_needed():
    questions = [yes_no("gov", "是否政府投资")]
    materials = [mat("申请表"), mat("资金承诺书"), mat("资金来源证明", "conditional")]
    rules = [
        rule("本事项规则第1条", "gov.yes", effect=Effect.ADD_MATERIAL, material="资金来源证明"),
        rule("本事项规则第2条", "gov.yes", effect=Effect.DROP_MATERIAL, material="资金承诺书"),
        rule("本事项规则第3条", "gov.yes", effect=Effect.DROP_MATERIAL, material="资金来源证明"),
    ]
    result = evaluate(questions, rules, materials, {"gov": ["gov.yes"]})
    assert names(result) == ["申请表"]
    assert result.not_needed == ("资金承诺书",)


def test_replaced_fees_take_the_place_of_the_base_fees_and_added_fees_follow():
    questions = [yes_no("small", "是否小微企业"), yes_no("rush", "是否加急")]
    rules = [
        rule("本事项规则第1条", "small.yes", effect=Effect.REPLACE_FEE, text="登记费：小微企业免收"),
        rule("本事项规则第2条", "rush.yes", effect=Effect.ADD_FEE, text="工本费：10元"),
    ]
    base = ["登记费：550元/件"]
    plain = evaluate(questions, rules, [], {"small": ["small.no"], "rush": ["rush.no"]}, base_fees=base)
    assert plain.fees == ("登记费：550元/件",)
    both = evaluate(questions, rules, [], {"small": ["small.yes"], "rush": ["rush.yes"]}, base_fees=base)
    assert both.fees == ("登记费：小微企业免收", "工本费：10元")
    assert both.fired == ("本事项规则第1条", "本事项规则第2条")


def test_routes_are_listed_once_per_target_with_their_message():
    questions = [yes_no("food", "是否从事食品经营"), yes_no("cold", "是否冷食")]
    rules = [
        rule("第1条", "food.yes", effect=Effect.ROUTE, target="XK-SC-001", text="还需办理食品经营许可。"),
        rule("第2条", "cold.yes", effect=Effect.ROUTE, target="XK-SC-001", text="冷食类需办理食品经营许可。"),
    ]
    result = evaluate(questions, rules, [], {"food": ["food.yes"], "cold": ["cold.yes"]})
    assert result.routes == (Route("XK-SC-001", "还需办理食品经营许可。"),)


def test_a_rule_needs_every_option_of_its_condition():
    questions = [yes_no("a", "甲"), yes_no("b", "乙")]
    rules = [rule("第1条", "a.yes", "b.yes", effect=Effect.ADD_CONDITION, text="甲乙兼有")]
    assert evaluate(questions, rules, [], {"a": ["a.yes"], "b": ["b.no"]}).conditions == ()
    assert evaluate(questions, rules, [], {"a": ["a.yes"], "b": ["b.yes"]}).conditions == ("甲乙兼有",)


def test_answer_errors_name_unknown_questions_foreign_options_and_two_options_on_a_single_choice():
    errors = answer_errors(
        FOOD_QUESTIONS,
        {"ghost": ["x.y"], "premises": ["premises.own", "premises.rented"], "online": ["scope.cold"]},
    )
    assert errors == {
        "ghost": ["问题不存在。"],
        "premises": ["“经营场所性质”为单选题，只能选择一个选项。"],
        "online": ["选项“scope.cold”不属于问题“是否网络经营”。"],
    }
    assert answer_errors(FOOD_QUESTIONS, {"scope": ["scope.cold", "scope.raw"]}) == {}


# ---------------------------------------------------------------------------------------------
# Validation: every message


def test_the_food_rules_are_valid_and_an_option_no_rule_names_is_not_an_error():
    assert validate(FOOD_QUESTIONS, FOOD_RULES, FOOD_MATERIALS, legal_limit=10) == []
    # online.no is named by no rule: that is fine.
    assert not any("online.no" in rule.when for rule in FOOD_RULES)


def test_duplicate_keys_and_a_question_without_options_are_reported():
    questions = [
        yes_no("a", "甲"),
        QuestionSpec("a", "甲again", (OptionSpec("a2.x", "x"), OptionSpec("a2.x", "x again"))),
        QuestionSpec("empty", "空题", ()),
    ]
    assert validate(questions, [], []) == [
        "问题标识“a”重复。",
        "问题“甲again”的选项标识“a2.x”重复。",
        "问题“空题”没有选项。",
    ]


def test_display_conditions_that_name_an_unknown_or_a_later_option_are_reported():
    questions = [
        QuestionSpec("first", "第一题", (OptionSpec("first.x", "x"),), depends_on="second.y"),
        QuestionSpec("second", "第二题", (OptionSpec("second.y", "y"),)),
        QuestionSpec("third", "第三题", (OptionSpec("third.z", "z"),), depends_on="ghost.q"),
    ]
    assert validate(questions, [], []) == [
        "问题“第一题”的显示条件必须是排在它前面的问题的选项（“第二题：y”不是）。",
        "问题“第三题”的显示条件引用了不存在的选项“ghost.q”。",
    ]


def test_a_question_behind_a_question_that_is_never_shown_has_unreachable_options():
    questions = [
        QuestionSpec("a", "甲", (OptionSpec("a.x", "x"),), depends_on="ghost.q"),
        QuestionSpec("b", "乙", (OptionSpec("b.one", "一"), OptionSpec("b.two", "二")), depends_on="a.x"),
    ]
    assert validate(questions, [], []) == [
        "问题“甲”的显示条件引用了不存在的选项“ghost.q”。",
        "问题“乙”永远不会显示（显示条件“甲：x”所在的问题不会显示），选项“一”“二”不可达。",
    ]


def test_a_rule_naming_an_unknown_option_or_material_or_missing_its_data_is_reported():
    questions = [yes_no("a", "甲")]
    materials = [mat("申请表")]
    rules = [
        rule("本事项规则第1条", "a.yes", "ghost.q", effect=Effect.ADD_CONDITION, text="条件"),
        rule("本事项规则第2条", "a.yes", effect=Effect.ADD_MATERIAL, material="不存在的材料"),
        rule("本事项规则第3条", "a.yes", effect=Effect.DROP_MATERIAL, material=""),
        rule("本事项规则第4条", "a.yes", effect=Effect.ADD_FEE, text=" "),
        rule("本事项规则第5条", "a.yes", effect=Effect.SET_LIMIT, limit=None),
        rule("本事项规则第6条", "a.yes", effect=Effect.ROUTE, text="请改办"),
        rule("本事项规则第7条", effect=Effect.ADD_CONDITION, text="无条件"),
    ]
    assert validate(questions, rules, materials) == [
        "本事项规则第1条引用了不存在的选项“ghost.q”。",
        "本事项规则第2条引用的材料“不存在的材料”不在本事项的申请材料中。",
        "本事项规则第3条未填写材料名称。",
        "本事项规则第4条未填写内容。",
        "本事项规则第5条未填写有效的承诺时限（工作日）。",
        "本事项规则第6条未填写转办事项的实施编码。",
        "本事项规则第7条没有条件，请至少选择一个选项。",
    ]


def test_a_rule_asking_two_options_of_one_single_choice_question_can_never_fire():
    questions = [
        QuestionSpec(
            "area",
            "营业面积",
            (OptionSpec("area.small", "300平方米以下"), OptionSpec("area.large", "300平方米及以上")),
        ),
        QuestionSpec(
            "scope", "经营项目", (OptionSpec("scope.a", "甲"), OptionSpec("scope.b", "乙")), multiple=True
        ),
    ]
    rules = [
        rule("本事项规则第1条", "area.small", "area.large", effect=Effect.ADD_CONDITION, text="不可能"),
        rule("本事项规则第2条", "scope.a", "scope.b", effect=Effect.ADD_CONDITION, text="多选题可以同时选"),
    ]
    assert validate(questions, rules, []) == [
        "本事项规则第1条要求同时选择单选题“营业面积”的“300平方米以下”“300平方米及以上”，永远不会生效。"
    ]


def test_a_rule_whose_options_need_another_answer_of_the_same_single_choice_question_is_impossible_too():
    questions = [
        QuestionSpec(
            "online", "是否网络经营", (OptionSpec("online.no", "否"), OptionSpec("online.yes", "是"))
        ),
        QuestionSpec(
            "channel", "网络经营方式", (OptionSpec("channel.site", "自建网站"),), depends_on="online.yes"
        ),
    ]
    rules = [rule("本事项规则第1条", "online.no", "channel.site", effect=Effect.ADD_CONDITION, text="x")]
    assert validate(questions, rules, []) == [
        "本事项规则第1条要求同时选择单选题“是否网络经营”的“否”“是”，永远不会生效。"
    ]


def test_a_rule_on_an_option_of_a_question_never_shown_is_reported():
    questions = [
        yes_no("a", "甲", depends_on="ghost.q"),
    ]
    rules = [rule("本事项规则第1条", "a.yes", effect=Effect.ADD_CONDITION, text="x")]
    assert (
        validate(questions, rules, [])[-1]
        == "本事项规则第1条引用的选项“甲：是”所在的问题永远不会显示，规则永远不会生效。"
    )


def test_a_promised_limit_above_the_legal_limit_is_reported():
    questions = [yes_no("a", "甲")]
    rules = [rule("本事项规则第1条", "a.yes", effect=Effect.SET_LIMIT, limit=25)]
    assert validate(questions, rules, [], legal_limit=20) == [
        "本事项规则第1条将承诺时限改为25个工作日，超过法定办结时限20个工作日。"
    ]
    assert validate(questions, rules, [], legal_limit=None) == []


def test_rules_that_add_and_drop_one_material_for_the_same_answers_contradict_each_other():
    questions = [yes_no("gov", "是否政府投资"), yes_no("big", "是否重大项目")]
    materials = [mat("申请表"), mat("资金来源证明", "conditional")]
    rules = [
        rule("本事项规则第1条", "gov.yes", effect=Effect.ADD_MATERIAL, material="资金来源证明"),
        rule("本事项规则第2条", "big.yes", effect=Effect.DROP_MATERIAL, material="资金来源证明"),
    ]
    assert validate(questions, rules, materials) == [
        "规则相互矛盾：选择“是否政府投资：是”“是否重大项目：是”时，本事项规则第1条增加材料“资金来源证明”，"
        "本事项规则第2条却免交该材料。"
    ]


def test_rules_that_cannot_fire_together_do_not_contradict_each_other():
    questions = [yes_no("gov", "是否政府投资")]
    materials = [mat("资金来源证明", "conditional")]
    rules = [
        rule("第1条", "gov.yes", effect=Effect.ADD_MATERIAL, material="资金来源证明"),
        rule("第2条", "gov.no", effect=Effect.DROP_MATERIAL, material="资金来源证明"),
    ]
    assert validate(questions, rules, materials) == []


def test_a_conditional_material_no_answer_set_brings_in_is_reported():
    questions = [
        yes_no("a", "甲"),
        QuestionSpec("b", "乙", (OptionSpec("b.only", "唯一选项"),)),
    ]
    materials = [
        mat("无人增加", "conditional"),
        mat("总被删除", "conditional"),
        mat("正常", "conditional"),
    ]
    rules = [
        rule("第1条", "a.yes", effect=Effect.ADD_MATERIAL, material="总被删除"),
        # b.only is chosen in every complete answer set, so this drop always fires.
        rule("第2条", "b.only", effect=Effect.DROP_MATERIAL, material="总被删除"),
        rule("第3条", "a.no", effect=Effect.ADD_MATERIAL, material="正常"),
    ]
    assert validate(questions, rules, materials) == [
        "规则相互矛盾：选择“甲：是”“乙：唯一选项”时，第1条增加材料“总被删除”，第2条却免交该材料。",
        "按情形提交的材料“无人增加”在任何回答组合下都不会出现。",
        "按情形提交的材料“总被删除”在任何回答组合下都不会出现。",
    ]


def test_beyond_the_cap_answer_sets_are_sampled_and_the_message_says_so():
    questions = [yes_no(f"q{n}", f"问题{n}") for n in range(14)]  # 2**14 = 16 384 answer sets
    materials = [mat("可达", "conditional"), mat("总被删除", "conditional")]
    rules = [
        rule("第1条", "q0.yes", "q1.yes", "q2.yes", effect=Effect.ADD_MATERIAL, material="可达"),
        rule("第2条", "q3.yes", effect=Effect.ADD_MATERIAL, material="总被删除"),
        rule("第3条", "q4.yes", effect=Effect.DROP_MATERIAL, material="总被删除"),
        rule("第4条", "q4.no", effect=Effect.DROP_MATERIAL, material="总被删除"),
    ]
    messages = validate(questions, rules, materials, cap=64)
    assert messages[-1] == "按情形提交的材料“总被删除”在抽样检查的64种回答组合中都没有出现，请检查规则。"
    assert not any("可达" in m for m in messages)
    # Exhaustive under a larger cap: the same material is now certainly unreachable.
    exhaustive = validate(questions, rules, materials, cap=2**14)
    assert exhaustive[-1] == "按情形提交的材料“总被删除”在任何回答组合下都不会出现。"
