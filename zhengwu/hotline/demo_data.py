"""Demo 12345 tickets: a year of appeals over the demo regions and departments, bulk-created.

The mix follows DOMAIN §7 and published 12345 statistics: 咨询 ~45 %, 投诉 ~20 %, 求助 ~15 %, then
建议, 其他, 举报 and 感谢; about 30 % answered on the call (直办); of the dispatched tickets about 5 %
are returned and re-dispatched, 3 % extended, 2 % merged into a master, 2 % reopened (重办) after an
unsatisfied call-back. Each ticket's history is simulated step by step with the clocks of
`zhengwu.domain.sla` and cut at `today`, so recent tickets are still open and a few older ones are
stalled and overdue (with their 督办 level). Every step is journaled as a `TicketEvent`.

Also sets up, when missing, the 12345 centre of the top region (run by its 行政审批服务局), a 派单目录
for common topics in every region, and a few dozen knowledge-base articles.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Length

from zhengwu.catalog.models import ServiceItem
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.domain import sla
from zhengwu.domain.hotline_flow import AT_UNIT, AWAITING_SIGNATURE
from zhengwu.hotline.models import (
    DispatchRule,
    HotlineCentre,
    KnowledgeArticle,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from zhengwu.hotline.services import QUERY_CODE_ALPHABET
from zhengwu.organization.choices import DepartmentKind
from zhengwu.organization.models import Department, Region, User
from zhengwu.workdays.selectors import work_calendar

SEED = 12345
DEFAULT_COUNT = 20000
BATCH = 2000

CATEGORIES = ("consult", "complaint", "help", "suggestion", "other", "report", "praise")
CATEGORY_WEIGHTS = (45, 20, 15, 7, 6, 4, 3)
DIRECT_SHARE = {"consult": 0.62, "help": 0.1, "other": 0.25}  # ≈ 30 % of all tickets
CHANNELS = ("phone", "web", "mailbox", "api")
CHANNEL_WEIGHTS = (74, 15, 8, 3)
SATISFACTION = ("satisfied", "basically", "unsatisfied")
SATISFACTION_WEIGHTS = (80, 13, 7)


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: str
    department: str  # a word of the handling department's name
    basis: str
    cases: tuple[tuple[str, str], ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "城市管理",
        "占道 噪音 垃圾 违建 摊贩",
        "城市管理",
        "城管局三定方案",
        (
            ("夜间施工噪音扰民", "{place}附近工地每晚十一点后仍在施工，噪音很大，影响休息。"),
            ("占道经营堵塞通行", "{place}路口流动摊贩占道经营，早晚高峰行人车辆难以通行。"),
            ("生活垃圾清运不及时", "{place}垃圾站已经三天没有清运，气味很大。"),
        ),
    ),
    Topic(
        "供水供电",
        "停水 停电 水压 燃气",
        "住房和城乡建设",
        "住建局权责清单",
        (
            ("小区停水无通知", "{place}从昨天起停水，没有任何通知，老人小孩生活困难。"),
            ("自来水水压不足", "{place}高层住户水压不足，六楼以上基本无水。"),
        ),
    ),
    Topic(
        "物业管理",
        "物业 小区 电梯 维修基金",
        "住房和城乡建设",
        "物业管理条例",
        (
            ("电梯长期故障", "{place}小区电梯故障一个多月，物业一直不修。"),
            ("物业乱收费", "{place}物业公司额外收取停车管理费，没有依据。"),
        ),
    ),
    Topic(
        "劳动保障",
        "欠薪 工资 社保 劳动合同",
        "人力资源和社会保障",
        "保障农民工工资支付条例",
        (
            ("工地拖欠农民工工资", "在{place}工地做工三个月，老板拖欠工资两万余元。"),
            ("咨询社保转移接续", "外省社保如何转到{place}？需要什么材料？"),
        ),
    ),
    Topic(
        "医保报销",
        "医保 报销 异地就医 门诊",
        "医疗保障",
        "医疗保障局三定方案",
        (
            ("异地就医备案怎么办", "父亲在外地住院，想问异地就医备案的办理方式。"),
            ("门诊慢特病报销比例", "咨询门诊慢特病的报销比例和申请流程。"),
        ),
    ),
    Topic(
        "教育招生",
        "入学 学位 招生 培训 学校",
        "教育",
        "义务教育法",
        (
            ("小学入学划片咨询", "{place}的房子属于哪所小学的学区？"),
            ("校外培训机构退费难", "{place}某培训机构关门，已缴学费无法退还。"),
        ),
    ),
    Topic(
        "食品安全",
        "食品 过期 餐馆 外卖",
        "市场监督管理",
        "食品安全法",
        (
            ("超市销售过期食品", "在{place}超市买到过期牛奶，要求处理。"),
            ("餐馆后厨卫生差", "{place}一家餐馆后厨卫生很差，有老鼠。"),
        ),
    ),
    Topic(
        "消费维权",
        "退款 消费 价格 预付卡",
        "市场监督管理",
        "消费者权益保护法",
        (
            ("健身房预付卡无法退款", "{place}健身房停业，会员卡余额无法退。"),
            ("商品明码标价不实", "{place}商店结账价格与标价不一致。"),
        ),
    ),
    Topic(
        "交通出行",
        "公交 道路 出租车 红绿灯",
        "交通运输",
        "道路运输条例",
        (
            ("建议增开公交线路", "{place}到高铁站没有直达公交，建议增开。"),
            ("道路坑洼需修补", "{place}路段坑洼很多，雨天积水，容易出事故。"),
        ),
    ),
    Topic(
        "环境保护",
        "污染 排污 异味 油烟",
        "生态环境",
        "环境保护法",
        (
            ("企业夜间偷排废水", "{place}附近企业夜间往河里排放废水，颜色发黑。"),
            ("餐饮油烟扰民", "{place}楼下餐馆油烟直排，住户无法开窗。"),
        ),
    ),
    Topic(
        "户籍治安",
        "户口 身份证 治安 养犬",
        "公安",
        "户口登记条例",
        (
            ("新生儿落户咨询", "孩子出生后在{place}落户需要哪些材料？"),
            ("小区流浪犬伤人", "{place}小区流浪犬多，已有老人被咬伤。"),
        ),
    ),
    Topic(
        "不动产登记",
        "房产证 不动产 产权",
        "自然资源",
        "不动产登记暂行条例",
        (("购房多年办不了房产证", "{place}楼盘交房五年仍办不了不动产权证。"),),
    ),
    Topic(
        "卫生健康",
        "医院 疫苗 医疗 诊所",
        "卫生健康",
        "基本医疗卫生与健康促进法",
        (
            ("疫苗接种预约", "{place}社区卫生服务中心如何预约接种疫苗？"),
            ("医院收费不合理", "在{place}医院就诊被重复收费。"),
        ),
    ),
    Topic(
        "农业农村",
        "农田 补贴 种粮 农资",
        "农业农村",
        "农业农村局权责清单",
        (
            ("耕地地力保护补贴未到账", "{place}村民反映今年的耕地地力保护补贴未发放。"),
            ("假农资坑农", "在{place}买的种子发芽率很低，怀疑是假种子。"),
        ),
    ),
    Topic(
        "政务服务",
        "办事 窗口 审批 营业执照",
        "行政审批服务",
        "政务服务管理办法",
        (
            ("窗口办事排队时间长", "{place}政务服务中心窗口排队两个小时。"),
            ("营业执照办理咨询", "在{place}开个体店，营业执照怎么网上办理？"),
        ),
    ),
    Topic(
        "税务",
        "发票 个税 退税",
        "税务",
        "税收征收管理法",
        (("个税汇算退税进度", "个税年度汇算申请退税一个月了还没到账。"),),
    ),
)
TOPIC_WEIGHTS = (16, 9, 9, 9, 6, 7, 6, 5, 6, 5, 5, 4, 5, 3, 3, 2)
PLACES = (
    "桃花仑路",
    "康富路",
    "金花湖",
    "会龙山",
    "龙洲路",
    "梓山湖",
    "银城大道",
    "资江路",
    "秀峰湖",
    "团洲",
    "鹅羊池",
    "迎春路",
)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭肖蔡潘田董袁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红梅建国志文斌海燕玉兰"
RETURN_NOTES = {
    "not_our_duty": "依据本单位三定方案，该事项不属于本单位职责。",
    "incomplete": "诉求地址不详，无法核实。",
    "duplicate": "与此前工单重复。",
}
REPLIES = (
    "经核查，情况属实，已责令相关责任方整改，并将持续跟踪。",
    "已安排工作人员现场处理，问题已解决。",
    "已就政策规定向市民作了详细解释，市民表示理解。",
    "已纳入近期工作计划，预计一个月内完成。",
)


def _knowledge_rows() -> list[tuple[str, str, str, str]]:
    """(title, keywords, answer, department word) — the answers agents read out (直办)."""
    rows = []
    for topic in TOPICS:
        for title, content in topic.cases:
            if "咨询" in title or "怎么" in title or "如何" in content or "预约" in title:
                answer = f"{title}：可通过政务服务网“{topic.name}”专题查询办事指南，或到政务服务中心{topic.department}窗口办理；所需材料以办事指南为准。"
                rows.append((title, topic.keywords, answer, topic.department))
        rows.append(
            (
                f"{topic.name}诉求受理口径",
                topic.keywords,
                f"{topic.name}类诉求依据《{topic.basis}》由{topic.department}部门承办，坐席记录时间、地点和具体情况后派单。",
                topic.department,
            )
        )
    rows += [
        (
            "社保卡补办",
            "社保卡 补办 挂失",
            "携带身份证到政务服务中心社保窗口或合作银行网点补办，当场挂失。",
            "人力资源和社会保障",
        ),
        (
            "居民身份证异地办理",
            "身份证 异地 换领",
            "可在全国任一公安户籍窗口异地申领、换领、补领居民身份证。",
            "公安",
        ),
        (
            "公积金提取",
            "公积金 提取 租房",
            "租房提取公积金可在住房公积金中心网厅办理，每年一次。",
            "住房和城乡建设",
        ),
        (
            "不动产登记查询",
            "不动产 查询 房产",
            "本人携带身份证到不动产登记中心或网上查询名下不动产。",
            "自然资源",
        ),
        ("水电气报装", "报装 水 电 燃气", "可在政务服务网“水电气联合报装”一件事一次申请。", "住房和城乡建设"),
        ("个体工商户注册", "个体 营业执照 注册", "个体工商户登记可全程网办，一般当日办结。", "行政审批服务"),
        (
            "12345受理范围",
            "受理 范围 110",
            "12345受理咨询、求助、投诉、举报、建议；110、119、120、122 紧急事项请拨对应号码。",
            "",
        ),
    ]
    return rows


def _person(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    return name, phone


def _query_code(rng: random.Random) -> str:
    return "".join(rng.choice(QUERY_CODE_ALPHABET) for _ in range(6))


@dataclass
class _Setup:
    top: Region
    centre: Department
    regions: list[Region]
    weights: list[int]
    handlers: dict[tuple[int, str], Department]  # (region id, topic) → department
    staff: dict[int, User | None]
    agent: User | None
    items: dict[int, list[int]] = field(default_factory=dict)


def _department_for(
    word: str, region: Region, by_region: dict[int, list[Department]], parents: dict
) -> Department | None:
    current: Region | None = region
    while current is not None:
        for department in by_region.get(current.pk, []):
            if word in department.name:
                return department
        current = parents.get(current.parent_id)
    return None


def _setup(progress: Callable[[str], None]) -> _Setup | None:
    """Centre, catalogue and knowledge base, created when missing."""
    departments = list(Department.objects.filter(is_active=True).select_related("region"))
    if not departments:
        progress("没有部门数据，请先运行 zhengwu demo。")
        return None
    by_region: dict[int, list[Department]] = defaultdict(list)
    for department in departments:
        by_region[department.region_id].append(department)
    regions_all = {r.pk: r for r in Region.objects.filter(pk__in=by_region)}
    parents = {r.pk: r for r in Region.objects.all()}
    centre_row = (
        HotlineCentre.objects.select_related("region", "department").order_by(Length("region__path")).first()
    )
    if centre_row is None:
        bureaus = [d for d in departments if d.kind == DepartmentKind.APPROVAL_BUREAU] or departments
        bureau = min(bureaus, key=lambda d: (len(d.region.path), d.pk))
        centre_row = HotlineCentre.objects.create(region=bureau.region, department=bureau)
        progress(f"建立12345热线中心：{bureau.name}。")
    top, centre = centre_row.region, centre_row.department
    regions = sorted(
        (r for r in regions_all.values() if r.path.startswith(top.path) and r.level <= top.level + 1),
        key=lambda r: r.path,
    )
    handlers: dict[tuple[int, str], Department] = {}
    for region in regions:
        spare = [d for d in by_region[region.pk] if d.pk != centre.pk] or [centre]
        for n, topic in enumerate(TOPICS):
            department = _department_for(topic.department, region, by_region, parents)
            if department is None:  # an organisation without this department: spread the topics
                department = spare[n % len(spare)]
            handlers[(region.pk, topic.name)] = department
    if not DispatchRule.objects.exists():
        DispatchRule.objects.bulk_create(
            DispatchRule(
                topic=topic.name,
                keywords=topic.keywords,
                region=region,
                department=handlers[(region.pk, topic.name)],
                basis=topic.basis,
            )
            for region in regions
            for topic in TOPICS
        )
        progress(f"派单目录 {len(regions) * len(TOPICS)} 条。")
    if not KnowledgeArticle.objects.exists():
        rows = _knowledge_rows()
        KnowledgeArticle.objects.bulk_create(
            KnowledgeArticle(
                title=title,
                keywords=keywords,
                answer=answer,
                department=_department_for(word, top, by_region, parents) if word else None,
            )
            for title, keywords, answer, word in rows
        )
        progress(f"知识库 {len(rows)} 条。")
    staff: dict[int, User | None] = {}
    for user in User.objects.filter(
        department__isnull=False, applicant__isnull=True, is_active=True
    ).order_by("pk"):
        staff.setdefault(user.department_id, user)
    weights = [10 if r.pk == top.pk else (3 if r.is_functional_zone else 12) for r in regions]
    items: dict[int, list[int]] = defaultdict(list)
    for pk, department_id in ServiceItem.objects.filter(current_version__isnull=False).values_list(
        "pk", "department_id"
    ):
        items[department_id].append(pk)
    return _Setup(top, centre, regions, weights, handlers, staff, staff.get(centre.pk), items)


class _Sim:
    """One ticket's history: steps appended in time order, then cut at `now`."""

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.steps: list[tuple[str, dt.datetime, str, Any, str, dict, dict]] = []

    def add(
        self, action: str, at: dt.datetime, to: str, actor, comment: str = "", data=None, **updates
    ) -> dt.datetime:
        self.steps.append((action, at, to, actor, comment, dict(data or {}), updates))
        return at


def _office(rng: random.Random, day: dt.date, after: dt.datetime) -> dt.datetime:
    """A moment in office hours on `day`, never before `after` (+ a few minutes)."""
    at = dt.datetime.combine(day, dt.time(8, 30), tzinfo=LOCAL_TZ) + dt.timedelta(minutes=rng.randrange(540))
    return max(at, after + dt.timedelta(minutes=rng.randint(5, 40)))


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime, by_date: bool) -> dt.datetime:
    span = max((end - start).total_seconds(), 600)
    at = start + dt.timedelta(seconds=rng.uniform(0.05, 0.9) * span)
    if by_date:
        at = _office(rng, at.astimezone(LOCAL_TZ).date(), start)
        if at > end:
            at = end - dt.timedelta(minutes=rng.randint(10, 300))
            at = max(at, start + dt.timedelta(minutes=5))
    return at


def demo_tickets_generate(
    *,
    today: dt.date,
    count: int = DEFAULT_COUNT,
    seed: int = SEED,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Generate `count` tickets received in the year before `today`; returns how many were created.
    Skipped (0) when tickets exist already."""
    say = progress or (lambda _m: None)
    if Ticket.objects.exists():
        say("已有12345工单，跳过。")
        return 0
    with transaction.atomic():
        setup = _setup(say)
    if setup is None:
        return 0
    rng = random.Random(seed)
    now = dt.datetime.combine(today, dt.time(0, 5), tzinfo=LOCAL_TZ)
    start = today - dt.timedelta(days=365)
    calendars = {r.pk: work_calendar(region=r) for r in setup.regions}
    moments = sorted(
        dt.datetime.combine(start + dt.timedelta(days=rng.randrange(365)), dt.time(0), tzinfo=LOCAL_TZ)
        + dt.timedelta(minutes=int(rng.triangular(0, 24 * 60, 14 * 60)))
        for _ in range(count)
    )
    sequences: dict[tuple[str, dt.date], int] = dict(
        ((prefix, day), last)
        for prefix, day, last in TicketSequence.objects.values_list("prefix", "day", "last")
    )
    sims: list[_Sim] = []
    masters: dict[str, _Sim] = {}
    agent = setup.agent
    for index, received_at in enumerate(moments):
        region = rng.choices(setup.regions, setup.weights)[0]
        topic_index = rng.choices(range(len(TOPICS)), TOPIC_WEIGHTS)[0]
        topic = TOPICS[topic_index]
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        urgency = "normal"
        if category in ("help", "complaint") and rng.random() < 0.05:
            urgency = "critical" if rng.random() < 0.15 else "urgent"
        title, text = rng.choice(topic.cases)
        place = rng.choice(PLACES)
        name, phone = _person(rng)
        day = received_at.date()
        prefix = region.code[:6]
        sequences[(prefix, day)] = sequences.get((prefix, day), 0) + 1
        department = setup.handlers[(region.pk, topic.name)]
        item_ids = setup.items.get(department.pk) if category == "consult" and channel == "web" else None
        ticket = Ticket(
            number=f"RX-{prefix}-{day:%Y%m%d}-{sequences[(prefix, day)]:06d}",
            query_code=_query_code(rng),
            channel=channel,
            category=category,
            urgency=urgency,
            topic=topic.name,
            title=title,
            content=text.format(place=place),
            region=region,
            location=f"{region.name}{place}",
            item_id=rng.choice(item_ids) if item_ids else None,
            caller_name=name,
            caller_phone=phone,
            confidential=rng.random() < 0.06,
            call_back_declined=rng.random() < 0.05,
            received_at=received_at,
            agent=agent if channel == "phone" else None,
            publish_consent=channel == "mailbox" and rng.random() < 0.6,
        )
        sim = _Sim(ticket)
        sim.add(
            "create",
            received_at,
            "received",
            agent if channel == "phone" else None,
            data={"channel": channel},
        )
        sims.append(sim)
        if rng.random() < DIRECT_SHARE.get(category, 0.0) and urgency == "normal":
            _direct(rng, sim, agent)
        elif rng.random() < 0.02 and topic.name in masters:
            _merge(rng, sim, masters[topic.name], agent)
        else:
            _loop(rng, sim, setup, department, calendars[region.pk], agent)
            masters[topic.name] = sim
        if (index + 1) % 5000 == 0:
            say(f"已模拟 {index + 1} 件……")
    created = _write(sims, now, calendars, sequences, say)
    say(f"生成12345工单 {created} 件。")
    return created


def _direct(rng: random.Random, sim: _Sim, agent) -> None:
    t = sim.ticket
    at = t.received_at + dt.timedelta(minutes=rng.randint(3, 15))
    reply = "已按知识库口径答复：" + t.title + "的办理方式和所需材料已告知来电人。"
    sim.add("answer_directly", at, "direct", agent, reply, reply=reply, replied_at=at, closed_at=at)
    if rng.random() < 0.1:
        at += dt.timedelta(days=1, hours=rng.randint(0, 6))
        _call_back(rng, sim, at, agent, allow_unsatisfied=False)


def _merge(rng: random.Random, sim: _Sim, master: _Sim, agent) -> None:
    at = sim.ticket.received_at + dt.timedelta(minutes=rng.randint(10, 90))
    sim.master = master  # type: ignore[attr-defined]
    sim.add("merge", at, "merged", agent, data={"master": master.ticket.number})


def _call_back(
    rng, sim: _Sim, at: dt.datetime, agent, *, allow_unsatisfied: bool = True, force: str = ""
) -> str:
    satisfaction = force or rng.choices(SATISFACTION, SATISFACTION_WEIGHTS)[0]
    if not allow_unsatisfied and satisfaction == "unsatisfied":
        satisfaction = "satisfied"
    resolved = satisfaction != "unsatisfied" or rng.random() < 0.2
    note = {
        "satisfied": "来电人对处理结果满意。",
        "basically": "基本满意。",
        "unsatisfied": "来电人表示问题未解决。",
    }[satisfaction]
    sim.add(
        "call_back",
        at,
        "called_back",
        agent,
        note,
        data={"satisfaction": satisfaction, "resolved": resolved},
        called_back_at=at,
        satisfaction=satisfaction,
        resolved=resolved,
        call_back_note=note,
    )
    return satisfaction


def _clocks(t: Ticket, at: dt.datetime, calendar) -> dict[str, Any]:
    clocks = sla.clocks(sla.sla_for(t.category, t.urgency, complex_=t.is_complex), at, calendar)
    return {
        "dispatched_at": at,
        "sign_due_at": clocks.sign.at,
        "finish_due_at": clocks.finish.at if clocks.finish else None,
        "due_by_date": clocks.sign.by_date,
        "due_provisional": clocks.sign.provisional or bool(clocks.finish and clocks.finish.provisional),
        "signed_at": None,
    }


def _loop(rng: random.Random, sim: _Sim, setup: _Setup, right: Department, calendar, agent) -> None:
    t = sim.ticket
    by_date = t.urgency == "normal"
    if t.category in ("complaint", "report") and by_date and rng.random() < 0.04:
        t.is_complex, t.complex_reason = True, "涉及多个部门，需联合调查。"
    returned = rng.random() < 0.05
    first = right
    if returned:
        others = [d for d in {setup.handlers[(t.region_id, x.name)] for x in TOPICS} if d.pk != right.pk]
        first = rng.choice(others) if others else right
        returned = first.pk != right.pk
    at = t.received_at + dt.timedelta(minutes=rng.randint(5, 60) if not by_date else rng.randint(10, 240))
    clocks = _clocks(t, at, calendar)
    sim.add(
        "dispatch",
        at,
        "dispatched",
        agent,
        data={"department": first.name},
        department=first,
        first_dispatched_at=at,
        **clocks,
    )
    t_unit = first
    if returned:
        ret = _between(rng, at, clocks["sign_due_at"], by_date)
        reason = rng.choice(tuple(RETURN_NOTES))
        sim.add(
            "return",
            ret,
            "returned",
            setup.staff.get(first.pk),
            RETURN_NOTES[reason],
            data={"reason": reason},
            return_reason=reason,
            return_note=RETURN_NOTES[reason],
            return_count=1,
        )
        at = ret + dt.timedelta(minutes=rng.randint(30, 360))
        clocks = _clocks(t, at, calendar)
        sim.add(
            "accept_return",
            at,
            "reassigned",
            agent,
            data={"from": first.name, "department": right.name},
            department=right,
            **clocks,
        )
        t_unit = right
    unit = setup.staff.get(t_unit.pk)
    if rng.random() < 0.05:  # signed late
        sign = clocks["sign_due_at"] + dt.timedelta(hours=rng.randint(1, 30))
    else:
        sign = _between(rng, at, clocks["sign_due_at"], by_date)
    sim.add("sign", sign, "signed", unit, signed_at=sign, sign_overdue=sign > clocks["sign_due_at"])
    at, status, finish_due = sign, "signed", clocks["finish_due_at"]
    if rng.random() < 0.7:
        at = sim.add("start", at + dt.timedelta(minutes=rng.randint(10, 600)), "in_progress", unit)
        status = "in_progress"
    limit = sla.sla_for(t.category, t.urgency, complex_=t.is_complex).finish
    if finish_due is not None and limit is not None and by_date and rng.random() < 0.03:
        amount = rng.randint(1, limit.amount)
        ask = _between(rng, at, finish_due, True)
        sim.add(
            "request_extension",
            ask,
            status,
            unit,
            "需协调多个部门，申请延期。",
            data={"amount": amount},
            extension_state="requested",
            extension_amount=amount,
            extension_reason="需协调多个部门，申请延期。",
        )
        old_local = finish_due.astimezone(LOCAL_TZ)
        new = sla.extended(limit, sla.Due(old_local, old_local.date(), False, True), amount, calendar)
        at = sim.add(
            "approve_extension",
            ask + dt.timedelta(hours=rng.randint(1, 20)),
            "extended",
            agent,
            data={"old_due": finish_due.isoformat(), "new_due": new.at.isoformat()},
            extension_state="approved",
            finish_due_at=new.at,
        )
        finish_due = new.at
    if rng.random() < 0.015:  # stalled: still open at the unit, and overdue by now
        return
    _finish(rng, sim, at, finish_due, by_date, unit, agent)
    last = sim.steps[-1]
    unhappy = last[0] == "call_back" and (last[5]["satisfaction"] == "unsatisfied" or not last[5]["resolved"])
    if unhappy and rng.random() < 0.45:  # 重办 only after a 不满意 / 未解决 call-back (DOMAIN §7)
        at = sim.steps[-1][1] + dt.timedelta(hours=rng.randint(2, 30))
        new_due = sla.due(limit, at, calendar).at if limit else None
        sim.add(
            "reopen",
            at,
            "redo",
            agent,
            "回访不满意，经中心核实重办。",
            redo_count=1,
            finish_due_at=new_due,
            finish_overdue=False,
            replied_at=None,
            closed_at=None,
            called_back_at=None,
            satisfaction="",
            resolved=None,
            chase_level="none",
            extension_state="",
            extension_amount=0,
        )
        at = sim.add("start", at + dt.timedelta(hours=rng.randint(1, 20)), "in_progress", unit)
        _finish(rng, sim, at, new_due, by_date, unit, agent, second=True)


def _finish(rng, sim: _Sim, at, finish_due, by_date: bool, unit, agent, *, second: bool = False) -> None:
    t = sim.ticket
    if finish_due is None:
        reply_at = at + dt.timedelta(hours=rng.randint(1, 30))
    elif rng.random() < 0.07:
        reply_at = finish_due + dt.timedelta(hours=rng.randint(2, 96))
    else:
        reply_at = _between(rng, at, finish_due, by_date)
    reply = "已将感谢转达相关单位和工作人员。" if t.category == "praise" else rng.choice(REPLIES)
    late = finish_due is not None and reply_at > finish_due
    sim.add("reply", reply_at, "replied", unit, reply, reply=reply, replied_at=reply_at, finish_overdue=late)
    close = reply_at + dt.timedelta(hours=rng.randint(1, 20))
    sim.add("close", close, "closed", agent, closed_at=close)
    if t.call_back_declined or rng.random() < 0.05:
        return
    call = close + dt.timedelta(hours=rng.randint(2, 40))
    satisfaction = _call_back(rng, sim, call, agent, force="satisfied" if second else "")
    if satisfaction != "unsatisfied" and rng.random() < 0.15:
        sim.add(
            "evaluate",
            call + dt.timedelta(hours=rng.randint(1, 48)),
            "evaluated",
            agent,
            "处理规范，答复及时。",
            evaluation="处理规范，答复及时。",
        )


def _write(sims: list[_Sim], now: dt.datetime, calendars, sequences, say) -> int:
    """Cut each history at `now`, apply it, bulk-create tickets (masters first), then the events."""
    today = now.date()

    def apply(sim: _Sim) -> list:
        t = sim.ticket
        kept = [s for s in sim.steps if s[1] <= now]
        for _action, _at, to, _actor, _comment, _data, updates in kept:
            t.status = to
            for key, value in updates.items():
                setattr(t, key, value)
        t.version = len(kept)
        t.agent_id = t.agent.pk if t.agent else None
        if t.status in AT_UNIT:
            if t.status in AWAITING_SIGNATURE and t.sign_due_at and t.sign_due_at < now:
                t.sign_overdue = True
            if t.finish_due_at and t.finish_due_at < now:
                t.finish_overdue = True
                level = sla.chase_level(
                    calendars[t.region_id], t.finish_due_at.astimezone(LOCAL_TZ).date(), today
                )
                if level != sla.Chase.NONE:
                    t.chase_level = level.value
                    chase_at = dt.datetime.combine(
                        t.finish_due_at.astimezone(LOCAL_TZ).date() + dt.timedelta(days=1),
                        dt.time(0, 30),
                        tzinfo=LOCAL_TZ,
                    )
                    kept.append(
                        (
                            "chase",
                            chase_at,
                            t.status,
                            None,
                            sla.CHASE_LABELS[level],
                            {"level": level.value},
                            {},
                        )
                    )
        return kept

    histories: dict[int, list] = {}
    own = [s for s in sims if not hasattr(s, "master")]
    merged = [s for s in sims if hasattr(s, "master")]
    for sim in own + merged:
        histories[id(sim)] = apply(sim)
    for sim in merged:
        master = sim.master  # type: ignore[attr-defined]
        if master.ticket.closed_at is not None and master.ticket.closed_at <= now:
            sim.ticket.reply = master.ticket.reply
            sim.ticket.replied_at = master.ticket.replied_at
            sim.ticket.closed_at = master.ticket.closed_at
    created = 0
    for group in (own, merged):
        for lo in range(0, len(group), BATCH):
            chunk = group[lo : lo + BATCH]
            with transaction.atomic():
                for sim in chunk:
                    if hasattr(sim, "master"):
                        sim.ticket.parent_id = sim.master.ticket.pk  # type: ignore[attr-defined]
                Ticket.objects.bulk_create([s.ticket for s in chunk], batch_size=500)
                events = []
                for sim in chunk:
                    status, department = "", None
                    for action, at, to, actor, comment, data, updates in histories[id(sim)]:
                        department = updates.get("department", department)
                        events.append(
                            TicketEvent(
                                ticket_id=sim.ticket.pk,
                                action=action,
                                actor_id=actor.pk if actor else None,
                                actor_name=(actor.full_name or actor.username) if actor else "系统",
                                department_id=department.pk if department else None,
                                at=at,
                                from_status=status,
                                to_status=to,
                                comment=comment,
                                data=data,
                            )
                        )
                        status = to
                TicketEvent.objects.bulk_create(events, batch_size=1000)
            created += len(chunk)
            say(f"已写入 {created} / {len(sims)} 件工单……")
    with transaction.atomic():
        existing = set(TicketSequence.objects.values_list("prefix", "day"))
        TicketSequence.objects.bulk_create(
            [
                TicketSequence(prefix=p, day=d, last=last)
                for (p, d), last in sequences.items()
                if (p, d) not in existing
            ],
            batch_size=1000,
        )
        for (p, d), last in sequences.items():
            if (p, d) in existing:
                TicketSequence.objects.filter(prefix=p, day=d, last__lt=last).update(last=last)
    return created


def demo_summary() -> dict[str, Any]:
    """Counts used by the tests and the command's closing line."""
    qs = Ticket.objects.all()
    return {
        "tickets": qs.count(),
        "events": TicketEvent.objects.count(),
        "last": qs.aggregate(last=Max("received_at"))["last"],
    }
