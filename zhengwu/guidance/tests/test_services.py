"""Guidance services: drafts only, rule sets freeze once used, validation before publish, copying
into a 变更, evaluation by ids, and numbered 一次性告知单."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import DomainError
from zhengwu.guidance import services
from zhengwu.guidance.models import GuidanceNotice, Question, Rule
from zhengwu.guidance.selectors import guidance_data
from zhengwu.guidance.tests.factories import PROXY, make_guided_item, proxy_rule_set
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


def test_questions_options_and_rules_of_a_published_version_cannot_be_changed():
    guided = make_guided_item()
    version = guided.item.current_version
    premises = guided.questions["premises"]
    attempts = [
        lambda: services.question_create(version=version, key="extra", text="新问题"),
        lambda: services.question_update(question=premises, text="改过的问题"),
        lambda: services.question_delete(question=guided.questions["agent"]),
        lambda: services.option_create(question=premises, key="lent", label="借用"),
        lambda: services.option_update(option=guided.option("premises.own"), label="自有房产"),
        lambda: services.option_delete(option=guided.option("premises.own")),
        lambda: services.rule_create(
            version=version, when=["premises.own"], effect="add_condition", text="x"
        ),
        lambda: services.rule_update(rule=Rule.objects.filter(version=version).first(), text="改"),
        lambda: services.rule_delete(rule=Rule.objects.filter(version=version).first()),
        lambda: services.rule_set_unlink(version=version, rule_set=proxy_rule_set()),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "immutable"
        assert error.value.message == "第1版已发布，导办情形不能修改；请先发起变更生成新草稿。"
    assert premises.options.count() == 2 and Question.objects.filter(version=version).count() == 5


def test_a_rule_set_used_by_a_published_version_is_frozen_and_changed_through_a_copy():
    make_guided_item()
    frozen = proxy_rule_set()
    with pytest.raises(DomainError, match="已被已发布的事项版本使用，不能修改"):
        services.rule_create(rule_set=frozen, when=["agent.proxy"], effect="add_condition", text="须本人签字")
    with pytest.raises(DomainError, match="请复制为新规则集后修改"):
        services.rule_set_update(rule_set=frozen, description="新说明")
    copy = services.rule_set_copy(rule_set=frozen, name="委托代理人办理（2026版）")
    services.rule_create(rule_set=copy, when=["agent.proxy"], effect="add_condition", text="须本人签字")
    assert list(copy.rules.values_list("effect", flat=True)) == ["add_material", "add_condition"]
    assert frozen.rules.count() == 1


def test_keys_and_rules_are_checked_when_they_are_written():
    item = make_item(publish=False)
    version = item.versions.get()
    services.question_create(
        version=version, key="agent", text="由谁办理", options=[("self", "本人"), ("proxy", "代理")]
    )
    cases = [
        (
            lambda: services.question_create(version=version, key="agent", text="重复"),
            "问题标识“agent”已存在。",
        ),
        (
            lambda: services.question_create(version=version, key="Bad Key", text="x"),
            "问题标识须以小写字母开头，由小写字母、数字和下划线组成，不超过32个字符。",
        ),
        (
            lambda: services.rule_create(version=version, when=[], effect="add_condition", text="x"),
            "请至少选择一个条件选项。",
        ),
        (
            lambda: services.rule_create(version=version, when=["agent"], effect="add_condition", text="x"),
            "选项标识应写作“问题标识.选项标识”：agent。",
        ),
        (
            lambda: services.rule_create(
                version=version, when=["agent.boss"], effect="add_condition", text="x"
            ),
            "本事项版本没有这些选项：agent.boss。",
        ),
        (
            lambda: services.rule_create(
                version=version, when=["agent.proxy"], effect="add_material", material_name="不存在的材料"
            ),
            "本事项的申请材料中没有“不存在的材料”。",
        ),
        (
            lambda: services.rule_create(version=version, when=["agent.proxy"], effect="add_fee"),
            "请填写内容。",
        ),
        (
            lambda: services.rule_create(version=version, when=["agent.proxy"], effect="set_limit", limit=0),
            "请填写大于 0 的承诺时限（工作日）。",
        ),
        (
            lambda: services.rule_create(version=version, when=["agent.proxy"], effect="route"),
            "请填写转办事项的实施编码。",
        ),
        (
            lambda: services.rule_create(when=["agent.proxy"], effect="add_fee", text="x"),
            "规则必须属于一个事项版本或一个规则集（二者选一）。",
        ),
    ]
    for attempt, message in cases:
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.message == message


def test_a_display_condition_cannot_be_removed_while_a_question_depends_on_it():
    guided = make_guided_item(publish=False)
    with pytest.raises(DomainError, match="问题“网络经营方式”以该选项为显示条件"):
        services.option_delete(option=guided.option("online.yes"))
    with pytest.raises(DomainError, match="问题“网络经营方式”以该选项为显示条件"):
        services.question_delete(question=guided.questions["online"])


def test_validation_lists_the_problems_in_chinese_and_guidance_check_refuses_to_let_them_through():
    guided = make_guided_item(publish=False)
    version = guided.item.versions.get()
    assert services.guidance_validate(version=version) == []
    services.rule_create(
        version=version, when=["online.yes"], effect="drop_material", material_name="网店网址"
    )
    services.rule_create(version=version, when=["premises.own"], effect="set_limit", limit=30)
    services.rule_create(
        version=version, when=["premises.rented"], effect="route", target_code="NO-SUCH-ITEM", text="x"
    )
    messages = services.guidance_validate(version=version)
    assert messages == [
        "本事项规则第10条将承诺时限改为30个工作日，超过法定办结时限20个工作日。",
        "规则相互矛盾：选择“是否网络经营：是”“网络经营方式：入网第三方平台”时，本事项规则第7条增加材料“网店网址”，"
        "本事项规则第9条却免交该材料。",
        "按情形提交的材料“网店网址”在任何回答组合下都不会出现。",
        "转办事项“NO-SUCH-ITEM”不存在或尚未发布。",
    ]
    with pytest.raises(DomainError) as error:
        services.guidance_check(version=version)
    assert error.value.code == "validation_failed"
    assert error.value.fields == {"guidance": messages}
    assert error.value.message.startswith("智能导办校验未通过：本事项规则第10条")


def test_publishing_a_version_with_broken_guidance_is_refused_by_the_catalogue():
    guided = make_guided_item(publish=False)
    version = guided.item.versions.get()
    services.rule_create(version=version, when=["premises.own"], effect="set_limit", limit=30)
    with pytest.raises(DomainError, match="智能导办校验未通过"):
        catalog_services.item_version_publish(
            version=version, actor=None, approving_document="测试发〔2026〕2号"
        )
    version.refresh_from_db()
    assert version.status == "draft"


def test_a_version_without_guidance_has_nothing_to_validate():
    item = make_item(publish=False)
    assert services.guidance_validate(version=item.versions.get()) == []


def test_a_change_copies_the_situations_into_the_new_draft():
    guided = make_guided_item()
    draft = catalog_services.item_version_start_change(
        item=guided.item, actor=None, change_summary="调整材料"
    )
    copy = guidance_data(draft)
    assert [q.key for q in copy.questions] == ["premises", "scope", "online", "channel", "agent"]
    channel = next(q for q in copy.questions if q.key == "channel")
    assert channel.depends_on.question.version_id == draft.pk and channel.depends_on.full_key == "online.yes"
    assert copy.rules[0].label == "规则集“委托代理人办理”第1条"
    assert len(copy.rules) == len(guidance_data(guided.item.current_version).rules) == 9
    assert services.guidance_validate(version=draft) == []
    with pytest.raises(DomainError, match="目标版本已有导办情形"):
        services.guidance_copy(source=guided.item.current_version, target=draft)
    # The draft is editable, the published version untouched.
    services.option_create(
        question=channel.__class__.objects.get(pk=channel.pk), key="site", label="自建网站"
    )
    assert guided.questions["channel"].options.count() == 1


def test_answers_by_id_give_the_result_of_the_situation():
    guided = make_guided_item()
    answer = services.guidance_answer(
        version=guided.item.current_version,
        answers=guided.answers(
            "premises.rented", "scope.raw", "online.yes", "channel.platform", "agent.proxy"
        ),
    )
    snapshot = services.guidance_snapshot(answer)
    assert [m["name"] for m in snapshot["materials"]] == [
        "申请书",
        "营业执照",
        "经营场所租赁合同",
        "冷食类、生食类专间说明",
        "网店网址",
        PROXY,
    ]
    assert snapshot["complete"] and snapshot["unanswered"] == []
    assert snapshot["conditions"] == ["制售生食类食品的，应当设置专用操作间。"]
    assert snapshot["fees"] == ["平台服务费：由平台收取，不属于行政收费"]
    assert (snapshot["promised_limit"], snapshot["promised_limit_text"], snapshot["limit_changed"]) == (
        8,
        "8个工作日",
        True,
    )
    assert [a["question"] for a in snapshot["answers"]] == [
        "经营场所性质",
        "经营项目",
        "是否网络经营",
        "网络经营方式",
        "由谁办理",
    ]
    assert snapshot["materials"][2]["reasons"] == ["经营场所性质：租赁"]


def test_bad_answers_raise_field_errors_keyed_by_question_id():
    guided = make_guided_item()
    premises = guided.questions["premises"]
    online_yes = guided.option("online.yes")
    answers = {
        str(premises.pk): [guided.option("premises.own").pk, guided.option("premises.rented").pk],
        "999999": [1],
        "abc": [1],
        str(guided.questions["scope"].pk): [online_yes.pk, "x"],
    }
    with pytest.raises(DomainError) as error:
        services.guidance_answer(version=guided.item.current_version, answers=answers)
    assert error.value.code == "invalid_answers"
    assert error.value.fields == {
        f"answers.{premises.pk}": ["“经营场所性质”为单选题，只能选择一个选项。"],
        "answers.999999": ["问题不存在或不属于本事项。"],
        "answers.abc": ["问题编号必须是整数。"],
        f"answers.{guided.questions['scope'].pk}": [
            f"选项 {online_yes.pk} 不属于问题“经营项目”。",
            "选项编号必须是整数。",
        ],
    }


def test_notices_are_numbered_per_region_and_day_and_keep_the_answers_and_result():
    guided = make_guided_item()
    version = guided.item.current_version
    answers = guided.answers("premises.own", "online.no", "agent.self")
    first = services.guidance_notice_create(version=version, answers=answers, today=DAY)
    second = services.guidance_notice_create(version=version, answers=answers, today=DAY)
    next_day = services.guidance_notice_create(
        version=version, answers=answers, today=DAY + dt.timedelta(days=1)
    )
    other = make_guided_item(
        department=DepartmentFactory(region=RegionFactory(code="430902000000", name="资阳区"))
    )
    elsewhere = services.guidance_notice_create(
        version=other.item.current_version,
        answers=other.answers("premises.own", "online.no", "agent.self"),
        today=DAY,
    )
    assert [first.number, second.number, next_day.number, elsewhere.number] == [
        "GD-430903-20260601-0001",
        "GD-430903-20260601-0002",
        "GD-430903-20260602-0001",
        "GD-430902-20260601-0001",
    ]
    assert first.issued_on == DAY and first.channel == "portal" and first.item == guided.item
    assert first.answers == {"premises": ["premises.own"], "online": ["online.no"], "agent": ["agent.self"]}
    assert [m["name"] for m in first.snapshot["materials"]] == ["申请书", "营业执照", "经营场所产权证明"]
    assert GuidanceNotice.objects.count() == 4


def test_a_notice_needs_every_shown_single_choice_question_answered():
    guided = make_guided_item()
    with pytest.raises(DomainError) as error:
        services.guidance_notice_create(
            version=guided.item.current_version,
            answers=guided.answers("premises.own", "online.yes"),
            today=DAY,
        )
    assert error.value.code == "incomplete"
    assert error.value.message == "请先回答：“网络经营方式”、“由谁办理”"
    assert set(error.value.fields) == {
        f"answers.{guided.questions['channel'].pk}",
        f"answers.{guided.questions['agent'].pk}",
    }
    assert not GuidanceNotice.objects.exists()


def test_no_notice_for_a_draft_or_a_suspended_item():
    draft = make_guided_item(publish=False)
    with pytest.raises(DomainError, match="只能为已发布的事项版本出具一次性告知单"):
        services.guidance_notice_create(version=draft.item.versions.get(), answers={}, today=DAY)
    guided = make_guided_item()
    catalog_services.item_suspend(
        item=guided.item, actor=None, reason="整改", approving_document="测试〔2026〕3号"
    )
    with pytest.raises(DomainError, match="当前不受理申请"):
        services.guidance_notice_create(version=guided.item.current_version, answers={}, today=DAY)
