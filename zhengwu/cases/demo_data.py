"""Demo cases for `zhengwu demo`: a year of 办件 across the units of 益阳市, generated in bulk.

The generator lays out each case's whole history on the working-day calendar in memory — receipt,
intake (accept, 一次性告知补正 and the supplement, refusal), the review steps copied from the item's
process, §45 pauses, the one §42 extension, the decision, the certificate and its delivery — then
cuts it at the last simulated day and writes what the services would have left in the tables: the
case row with its materialised due dates and warning, material checklist, steps, clocks with their
segment ledgers (due dates from `zhengwu.domain.deadlines`), the event timeline, and the red/yellow
cards the daily sweep would have issued. Nothing goes through the per-case services: 30,000 cases
would take minutes that way. `zhengwu/cases/tests/test_demo.py` checks the shapes against them.

Choices (see also README, 演示数据):

- One year ending yesterday (with today = 2026-11-30: 2025-12-01 → 2026-11-29). Receipts on working
  days only (online ones also on ordinary weekends, never on holidays), weekday-heavy (Monday the
  busiest), items weighted by a Zipf law over their base code, units by size.
- Outcomes, as shares of all cases: ~8 % 补正 (the legal clocks start on the day the materials are
  complete), ~2 % refused (不予受理, or 不予许可 after review), ~2 % §45 pauses (`excluded`
  segments), ~1 % extensions (+10, joint handling +15), ~3 % decided after the promise (Y1; a third
  of them after the statutory limit too, R1), ~1 % withdrawn; the rest on time. 即办件 (about 40 %
  of the volume) are decided on the spot and only refused or withdrawn — a supplement request
  leaves their same-day clock running, which the sweep would punish with Y5 — so the other cases
  carry the other outcomes. Items limited in natural days have no clock to run late or pause;
  those outcomes fall back to on time.
- Whatever is unfinished at the end of the last day stays open, as it is: about 2 % of the cases
  (in review, awaiting a decision, a supplement or intake, paused). A fixed ~5 % would need either
  receipts bunched in the last weeks or durations beyond the promises, against the on-time rates.
- Cards: only what the sweep issues on overdue clocks — Y1 (promise), R1 (statutory limit) and R2
  (a Y1 neither cured by the case finishing nor answered by a 整改说明 within three working days).
  Historical N1 reminders are not generated; the first `zhengwu cases sweep` issues the current ones.
- Electronic certificates: signing is SM2 in pure Python (~20 ms a signature), so only the most
  recent `certificates` (default 500, shared between units by volume) issued certificates get a
  `Certificate` row, signed through `common.crypto.get_backend()` like `certificate_build` does.
  Older granted cases went through 制证 and 送达 (their events say so) and are `delivered`, but
  carry no certificate row.
- Speed: rows go straight to the tables in batches (`executemany`, or COPY through another sink),
  units are generated in parallel worker processes (forked; one transaction and one block of ids
  per unit), and each worker signs its units' certificates. Inside an open transaction (tests, or a
  caller's `atomic`) everything runs in the calling process.
- No uploaded files (`MaterialFile`), no 告知承诺 / 容缺 cases, no citizen accounts: online cases
  have no `applicant_account`, and their applicant-side events are signed "申请人（网上申报）".
- Primary keys are allocated here (the generator must run alone) and sequences are reset after;
  `CaseSequence` rows are brought up to the last number used, so later cases never collide.

`demo_cases_generate(count=…, today=…)` is idempotent: it does nothing when cases exist, unless
`reset=True`, which deletes every case first.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import json
import multiprocessing
import os
import random
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, connections, models, transaction
from django.db.models import Max
from stdnum.cn import ric, uscc

from zhengwu.cases import choices as c
from zhengwu.cases.certificates import CODE_ALPHABET, canonical
from zhengwu.cases.models import (
    Card,
    Case,
    CaseEvent,
    CaseMaterial,
    CaseSequence,
    CaseStep,
    Certificate,
    Clock,
    ClockSegment,
    MaterialFile,
    StepOpinion,
)
from zhengwu.cases.services import CERTIFICATE_DAYS, INTAKE_DAYS, QUERY_CODE_ALPHABET, RECTIFY_DAYS
from zhengwu.catalog.choices import CaseKind, LifecycleStatus, VersionStatus
from zhengwu.catalog.models import ItemVersion
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.crypto import get_backend
from zhengwu.common.errors import DomainError
from zhengwu.common.pii import ID_NUMBER, PHONE, EncryptedTextField, blind_index, encrypt_text
from zhengwu.domain import deadlines as dl
from zhengwu.domain.calendar import WorkCalendar
from zhengwu.domain.identifiers import InvalidIdentifier, gb11714_check_digit, validate_id_number
from zhengwu.organization.choices import ApplicantKind, Role
from zhengwu.organization.models import Applicant, Region, User, Window
from zhengwu.workdays.selectors import work_calendar

DEFAULT_CASES = 30_000
DEFAULT_CERTIFICATES = 500
SEED = 20261130
DAYS = 364  # the simulated year: `today - 364 days` … yesterday
BATCH = 2000  # cases per flush

assert len(QUERY_CODE_ALPHABET) == 32  # one random byte per character (see `query_code`)
# Steps of an item's process that `services._open_steps` does not copy into review steps.
NOT_REVIEW_STEPS = frozenset(
    {"受理", "申请", "申请与受理", "决定", "审批决定", "办结", "送达", "制证", "办结送达"}
)

# Outcome rates over all cases (the rest are decided on time); they fall on cases that are not 即办件.
FATES: tuple[tuple[str, float], ...] = (
    ("supplement", 0.08),
    ("refuse", 0.013),
    ("deny", 0.007),
    ("pause", 0.02),
    ("extend", 0.01),
    ("late_promise", 0.02),
    ("late_statutory", 0.01),
    ("withdraw", 0.01),
)
IMMEDIATE_FATES: tuple[tuple[str, float], ...] = (("refuse", 0.01), ("withdraw", 0.005))
ZIPF_EXPONENT = 1.0
# The busiest items of a county hall first (base codes of `catalog.demo_data`); the rest follow in a
# seeded random order. An item's volume is ∝ 1 / rank^ZIPF_EXPONENT.
POPULAR = (
    "XK-SC-003",  # 个体工商户设立登记
    "QR-ZR-002",  # 不动产转移登记
    "GG-RS-003",  # 社会保障卡申领
    "QR-ZR-003",  # 不动产抵押权登记
    "XK-SC-004",  # 企业设立登记
    "GG-YB-001",  # 城乡居民基本医疗保险参保登记
    "GG-RS-001",  # 城乡居民基本养老保险参保登记
    "XK-SC-001",  # 食品经营许可
    "QR-GA-001",  # 居民身份证换领
    "QR-GA-002",  # 户口迁移
    "GG-WJ-002",  # 生育登记服务
    "GG-YB-002",  # 基本医疗保险参保人员异地就医备案
    "QR-MZ-001",  # 结婚登记
    "GG-RS-002",  # 就业创业证申领
    "QR-ZR-001",  # 不动产首次登记
    "GG-WJ-001",  # 出生医学证明签发
    "XK-JT-003",  # 道路运输从业人员从业资格证核发
    "XK-YC-001",  # 烟草专卖零售许可证核发
    "JF-MZ-001",  # 高龄津贴发放
    "JF-RS-001",  # 失业保险金申领
    "BA-SW-001",  # 跨区域涉税事项报告
    "XK-JY-002",  # 教师资格认定
    "JF-MZ-003",  # 最低生活保障审核确认
    "BA-GA-001",  # 公章刻制备案
    "XK-WJ-001",  # 公共场所卫生许可
    "XK-SC-005",  # 药品零售企业许可
)
# Relative size of each unit (by region code); units not listed weigh 0.5.
UNIT_WEIGHTS = {
    "430903000000": 1.0,  # 赫山区
    "430902000000": 0.6,  # 资阳区
    "430921000000": 0.65,  # 南县
    "430922000000": 0.8,  # 桃江县
    "430923000000": 0.9,  # 安化县
    "430981000000": 0.7,  # 沅江市
    "4309G1000000": 0.45,  # 益阳高新区
    "4309G2000000": 0.15,  # 大通湖区
    "430900000000": 0.35,  # 益阳市本级
}
WEEKDAY_WEIGHTS = (1.25, 1.1, 1.0, 1.0, 0.85, 0.1, 0.08)  # Mon … Sun (weekends: online only)
MAKEUP_SATURDAY_WEIGHT = 0.8
MONTH_WEIGHTS = {1: 1.1, 2: 0.8, 3: 1.15, 4: 1.0, 5: 0.95, 6: 1.0, 7: 0.95, 8: 0.9, 9: 1.0, 10: 0.9, 11: 1.0}
# Share of legal persons among applicants, by the first letters of the base code (XK 许可, BA 备案 …).
LEGAL_PERSON_SHARE = {"XK": 0.6, "BA": 0.7, "QR": 0.15, "JF": 0.0, "GG": 0.02}
PERSONS_ONLY = frozenset(
    {"XK-SC-003", "QR-GA-001", "QR-GA-002", "QR-MZ-001", "XK-JY-002", "XK-WJ-003", "XK-JT-003"}
)
ONLINE_APPLICANT = "申请人（网上申报）"

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段阮钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红梅玉兰海燕鹏飞辉宇浩然欣怡子涵雨婷思远佳琪俊杰晓东春林文博嘉豪诗雅雪峰立新德胜晨阳安琪一鸣泽宇"
TRADE_NAMES = "湘益资江桃花梅山雪峰洞庭银城鹏程宏达鑫源恒泰华兴汇丰金穗绿野乡韵茶香竹海丰润"
INDUSTRIES = (
    "商贸",
    "建筑工程",
    "餐饮管理",
    "农业科技",
    "物流",
    "医药连锁",
    "装饰设计",
    "黑茶",
    "水产养殖",
    "竹木制品",
    "电子科技",
    "文化传媒",
    "食品",
    "机械制造",
    "物业管理",
)
STREETS = (
    "人民路",
    "康富路",
    "桃花仑路",
    "迎宾路",
    "金山路",
    "龙洲路",
    "资江路",
    "朝阳路",
    "银城大道",
    "五一路",
)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

REFUSAL_REASONS = (
    "申请事项依法不需要取得行政许可，不予受理。",
    "申请事项不属于本机关职权范围，请向有权机关申请，不予受理。",
    "申请人不具备申请资格，不予受理。",
)
DENIAL_REASONS = (
    "经审查，申请人不符合法定条件，不予许可。申请人如不服本决定，可以依法申请行政复议或者提起行政诉讼。",
    "现场核查不符合要求且逾期未整改，不予许可。申请人如不服本决定，可以依法申请行政复议或者提起行政诉讼。",
)
SUPPLEMENT_NOTES = ("", "复印件不清晰，请提交清晰复印件", "缺少签字或者盖章", "内容与申请表不一致", "")
PAUSES = (
    ("expert_review", "需组织专家评审"),
    ("testing", "需委托检测"),
    ("inspection", "需进行现场检验"),
    ("appraisal", "需进行技术鉴定"),
    ("hearing", "依申请组织听证"),
)
EXTENSION_REASON = "案情复杂，需进一步核查，经本部门负责人批准延长期限，已告知申请人。"
RECTIFY_DONE = "办件已办结，已对承办人进行提醒谈话，今后加强时限管理。"
RECTIFY_PROMISE = "已督促承办人加快办理，补充核查完成后即作出决定，今后加强时限管理。"
GRANT_REASON = "符合法定条件，准予许可。"
WITHDRAW_REASON = "申请人申请撤回。"


# -- writing rows ----------------------------------------------------------------------------------


_UTC = dt.UTC
_EMPTY_JSON = "{}"


_SQLITE_DATETIMES: dict[dt.datetime, str] = {}


def _sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime: naive UTC, ISO with a space."""
    text = _SQLITE_DATETIMES.get(value)
    if text is None:
        text = value.astimezone(_UTC).replace(tzinfo=None).isoformat(" ")
        if len(_SQLITE_DATETIMES) < 500_000:
            _SQLITE_DATETIMES[value] = text
    return text


def _sqlite_json(value: Any) -> str:
    return json.dumps(value) if value else _EMPTY_JSON


class InsertSink:
    """Writes rows with `executemany` on the default connection (SQLite and PostgreSQL alike)."""

    def converter(self, field: models.Field) -> Callable[[Any], Any] | None:
        """How a value of `field` goes to the database; None when the driver takes it as it is.

        The same conversions as `Field.get_db_prep_save`, inlined for SQLite and PostgreSQL: they are
        most of the time of a bulk insert when called through the field for 600,000 values.
        """
        if isinstance(field, EncryptedTextField):  # personal data is encrypted at rest (common.pii)
            aad = field.aad
            return lambda value: encrypt_text(value, aad=aad)
        vendor = connection.vendor
        if vendor == "sqlite":
            if isinstance(field, models.DateTimeField):
                return _sqlite_datetime
            if isinstance(field, models.DateField):
                return dt.date.isoformat
            if isinstance(field, models.JSONField):
                return _sqlite_json
            return None
        if vendor == "postgresql":
            if isinstance(field, models.JSONField):
                return lambda value: connection.ops.adapt_json_value(value, field.encoder)
            return None
        if isinstance(field, (models.DateField, models.JSONField)):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(col) for col in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


class _Table:
    """Rows of one model: the columns the generator sets, then every other column at its default.

    Values are converted for the database here (dates, aware datetimes, JSON, by the sink) the way
    `bulk_create` would, minus the `auto_now` overrides: the demo keeps historical timestamps.
    """

    def __init__(self, model: type[models.Model], attnames: str, sink: Any) -> None:
        """`attnames`: the attribute names (e.g. "case_id") of the columns the generator sets, in order."""
        names = attnames.split()
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.model = model
        self.table = model._meta.db_table
        fields = [by_attname[name] for name in names]
        rest = [f for f in model._meta.concrete_fields if f.attname not in set(names)]
        self.columns = [f.column for f in fields] + [f.column for f in rest]
        self.tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.convert = [
            (index, convert) for index, f in enumerate(fields) if (convert := sink.converter(f)) is not None
        ]
        self.rows: list[list[Any]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(list(values))

    def flush(self, sink: Any) -> int:
        if not self.rows:
            return 0
        prepared = []
        for row in self.rows:
            for index, convert in self.convert:
                if row[index] is not None:
                    row[index] = convert(row[index])
            prepared.append((*row, *self.tail))
        sink.write(self.table, self.columns, prepared)
        count = len(prepared)
        self.rows = []
        return count


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


# -- working days ----------------------------------------------------------------------------------


class _Workdays:
    """The working days of one calendar over a window, for O(1) "n-th working day after d".

    Beyond the calendar's data, Mon–Fri count, as in `domain.deadlines.add_workdays`.
    """

    def __init__(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self.first = first
        self.days: list[dt.date] = []
        self.counts: list[int] = []  # working days ≤ first + i
        day = first
        while day <= last:
            if self.is_workday(day):
                self.days.append(day)
            self.counts.append(len(self.days))
            day += dt.timedelta(days=1)

    def is_workday(self, day: dt.date) -> bool:
        if self.calendar.covers(day):
            return self.calendar.is_workday(day)
        return day.weekday() < 5

    def due(self, budget: int, start: dt.date, segments: list[dl.Segment]) -> tuple[dt.date, bool]:
        """`deadlines.due_date` of a clock; without segments, straight from the table."""
        if segments:
            due, provisional = dl.due_date(self.calendar, budget=budget, start=start, segments=segments)
            assert due is not None  # open pauses are handled by the caller
            return due, provisional
        due = self.add(start, budget)
        return due, due > self.calendar.valid_through

    def add(self, start: dt.date, n: int) -> dt.date:
        if n == 0:
            return start
        offset = (start - self.first).days
        if 0 <= offset < len(self.counts):
            index = self.counts[offset] + n - 1
            if index < len(self.days):
                return self.days[index]
        return dl.add_workdays(self.calendar, start, n)[0]


# -- the plan of the demo --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Staff:
    id: int | None
    name: str
    role: str


SYSTEM = _Staff(None, "系统", "系统")
APPLICANT_ONLINE = _Staff(None, ONLINE_APPLICANT, "申请人")


@dataclass
class _Item:
    id: int
    version_id: int
    department_id: int
    department_name: str
    region_id: int
    prefix: str
    name: str
    title: str
    kind: str
    statutory: int | None  # working days, when the clock runs
    promised: int | None
    natural: int | None  # a duration cap in working days for items limited in natural days
    steps: tuple[tuple[int, str, int | None], ...]
    materials: tuple[tuple[int, str, str, int], ...]
    online_share: float
    self_service: bool
    mail: bool
    window_id: int | None
    legal_share: float
    reviewer: _Staff
    weight: float = 0.0


@dataclass
class _Unit:
    region: Region
    calendar: WorkCalendar
    items: list[_Item]
    clerks: list[_Staff]
    head: _Staff
    supervisor: _Staff | None
    weight: float
    persons: list[int] = field(default_factory=list)
    companies: list[int] = field(default_factory=list)
    addresses: dict[int, str] = field(default_factory=dict)
    phones: dict[int, str] = field(default_factory=dict)


@dataclass
class DemoCasesResult:
    """What a run did, for the command to print."""

    created: int = 0
    existing: int = 0
    skipped: bool = False
    applicants: int = 0
    rows: int = 0
    certificates: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    cards: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    sign_seconds: float = 0.0
    workers: int = 1
    unit: str = ""

    def add(self, part: DemoCasesResult) -> None:
        """Fold the result of one unit into the run's."""
        self.created += part.created
        self.rows += part.rows
        self.certificates += part.certificates
        self.statuses.update(part.statuses)
        self.outcomes.update(part.outcomes)
        self.cards.update(part.cards)
        self.sign_seconds += part.sign_seconds

    def summary(self) -> str:
        """One line about the run, in Chinese, for the commands."""
        cards = "、".join(f"{rule} {n:,}" for rule, n in sorted(self.cards.items())) or "无"
        return (
            f"演示办件：新增 {self.created:,} 件（办理中 {self.open:,}），新申请人 {self.applicants:,}，"
            f"红黄牌 {sum(self.cards.values()):,} 张（{cards}），电子证照 {self.certificates} 张"
            f"（签名 {self.sign_seconds:.1f} 秒）；写入 {self.rows:,} 行，{self.workers} 个进程，"
            f"用时 {self.seconds:.1f} 秒。"
        )

    def detail(self) -> str:
        return (
            f"办理中 {self.open:,}，红黄牌 {sum(self.cards.values()):,} 张，"
            f"电子证照 {self.certificates} 张，用时 {self.seconds:.1f} 秒"
        )

    @property
    def open(self) -> int:
        finished = {"not_accepted", "granted", "denied", "certified", "delivered", "withdrawn", "terminated"}
        return sum(n for status, n in self.statuses.items() if status not in finished)


def _role_label(role: str) -> str:
    return Role(role).label


def _staff_by_region() -> tuple[
    dict[int, list[_Staff]], dict[int, list[_Staff]], dict[int, list[_Staff]], dict[int, list[_Staff]]
]:
    """Window clerks, department heads and supervisors per region, approvers per department."""
    clerks: dict[int, list[_Staff]] = defaultdict(list)
    heads: dict[int, list[_Staff]] = defaultdict(list)
    approvers: dict[int, list[_Staff]] = defaultdict(list)
    supervisors: dict[int, list[_Staff]] = defaultdict(list)
    rows = (
        User.objects.filter(
            is_active=True,
            department__isnull=False,
            roles__role__in=[Role.WINDOW_CLERK, Role.APPROVER, Role.DEPT_HEAD, Role.SUPERVISOR],
        )
        .order_by("username")
        .values_list("id", "full_name", "username", "department_id", "department__region_id", "roles__role")
    )
    for pk, full_name, username, department_id, region_id, role in rows:
        staff = _Staff(pk, full_name or username, _role_label(role))
        if role == Role.WINDOW_CLERK:
            clerks[region_id].append(staff)
        elif role == Role.DEPT_HEAD:
            heads[region_id].append(staff)
        elif role == Role.SUPERVISOR:
            supervisors[region_id].append(staff)
        else:
            approvers[department_id].append(staff)
    return clerks, heads, approvers, supervisors


def _units(rng: random.Random) -> list[_Unit]:
    """Every region with published, active items, its items, staff and calendar."""
    versions = (
        ItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            item__status=LifecycleStatus.ACTIVE,
            item__current_version_id=models.F("pk"),
        )
        .select_related("item", "item__department", "item__region")
        .prefetch_related("steps", "materials")
        .order_by("item__region__code", "item__implementation_code")
    )
    windows: dict[int, int] = {}
    for window_id, department_id in (
        Window.departments.through.objects.filter(window__is_active=True)
        .order_by("window__hall_id", "window__number")
        .values_list("window_id", "department_id")
    ):
        windows.setdefault(department_id, window_id)
    clerks, heads, approvers, supervisors = _staff_by_region()
    anyone = next(iter(supervisors.values()), [None])
    by_region: dict[int, list[ItemVersion]] = defaultdict(list)
    for version in versions:
        by_region[version.item.region_id].append(version)
    present = {v.item.base_code for vs in by_region.values() for v in vs}
    others = sorted(present - set(POPULAR))
    rng.shuffle(others)
    base_codes = [*(code for code in POPULAR if code in present), *others]
    popularity = {code: 1 / (rank + 1) ** ZIPF_EXPONENT for rank, code in enumerate(base_codes)}
    units: list[_Unit] = []
    for region_id, region_versions in by_region.items():
        region = region_versions[0].item.region
        head = (heads.get(region_id) or [SYSTEM])[0]
        supervisor = (supervisors.get(region_id) or supervisors.get(region.parent_id) or anyone)[0]
        unit_clerks = clerks.get(region_id) or [head]
        items = [
            _item_of(v, windows, approvers.get(v.item.department_id), head, popularity[v.item.base_code])
            for v in region_versions
        ]
        units.append(
            _Unit(
                region=region,
                calendar=work_calendar(region=region),
                items=items,
                clerks=unit_clerks,
                head=head,
                supervisor=supervisor,
                weight=UNIT_WEIGHTS.get(region.code, 0.5),
            )
        )
    return units


def _item_of(
    version: ItemVersion,
    windows: dict[int, int],
    approvers: list[_Staff] | None,
    head: _Staff,
    weight: float,
) -> _Item:
    item = version.item
    wd = "working_day"
    statutory = version.legal_limit if version.legal_limit_unit == wd and version.legal_limit else None
    promised = (
        version.promised_limit if version.promised_limit_unit == wd and version.promised_limit else None
    )
    natural = None
    if statutory is None and promised is None and version.case_kind != CaseKind.IMMEDIATE:
        limit = version.promised_limit or version.legal_limit or 20
        natural = max(1, limit * 5 // 7)
    steps = tuple(
        # `services._open_steps`: a step clock counts working days, other limits give no clock.
        (index, step.name, step.limit if step.limit_unit == wd else None)
        for index, step in enumerate(version.steps.all(), start=1)
        if step.name not in NOT_REVIEW_STEPS
    ) or ((1, "审查", None),)
    depth = version.online_depth or 0
    return _Item(
        id=item.pk,
        version_id=version.pk,
        department_id=item.department_id,
        department_name=item.department.name,
        region_id=item.region_id,
        prefix=item.region.code[:6],
        name=item.name,
        title=version.result_name or f"{item.name}决定书",
        kind=version.case_kind,
        statutory=statutory,
        promised=promised,
        natural=natural,
        steps=steps,
        materials=tuple((m.pk, m.name, m.necessity, m.sort_order) for m in version.materials.all()),
        online_share=0.55 if depth >= 4 else 0.35 if depth == 3 else 0.0,
        self_service=version.self_service_terminal,
        mail=version.express_delivery,
        window_id=windows.get(item.department_id),
        legal_share=0.0
        if item.base_code in PERSONS_ONLY
        else LEGAL_PERSON_SHARE.get(item.base_code[:2], 0.4),
        reviewer=(approvers or [head])[0],
        weight=weight,
    )


# -- applicants ------------------------------------------------------------------------------------


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _id_number(rng: random.Random, region6: str) -> str:
    birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(0, 50 * 365))
    body = f"{region6}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _uscc(rng: random.Random, region6: str) -> str:
    body = "MA4" + "".join(rng.choice(USCC_CHARS) for _ in range(5))
    partial = f"91{region6}{body}{gb11714_check_digit(body)}"
    return partial + uscc.calc_check_digit(partial)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(0, 10**9):09d}"


def _load_applicants(
    units: list[_Unit], counts: dict[int, int], rng: random.Random, today: dt.date, sink: Any
) -> int:
    """A pool of persons and companies per unit; existing applicants (same identifier) are reused."""
    existing = {
        (kind, number): (pk, phone, address)
        for kind, number, pk, phone, address in Applicant.objects.values_list(
            "kind", "id_number", "pk", "phone", "address"
        )
    }
    table = _Table(
        Applicant,
        "id kind name id_number id_number_index phone phone_index address legal_representative region_id"
        " warnings created_at updated_at",
        sink,
    )
    next_id = _next_id(Applicant)
    created = 0
    checked: dict[tuple[str, str], list[str] | None] = {}
    stamp = dt.datetime.combine(today, dt.time(0, 10), tzinfo=LOCAL_TZ)
    city_code = "430900"
    for unit in units:
        region6 = unit.region.official_code or city_code
        n = counts.get(unit.region.pk, 0)
        prefix = unit.region.name
        for kind, size in (
            (ApplicantKind.PERSON, max(30, n // 3)),
            (ApplicantKind.LEGAL_PERSON, max(15, n // 10)),
        ):
            pool = unit.persons if kind == ApplicantKind.PERSON else unit.companies
            while len(pool) < size:
                address = f"湖南省益阳市{prefix}{rng.choice(STREETS)}{rng.randrange(1, 400)}号"
                representative = ""
                warnings: list[str] = []
                if kind == ApplicantKind.PERSON:
                    number, name = _id_number(rng, region6), _person_name(rng)
                    # stdnum's birth-place lookup costs ~1 ms; its warning depends on the address code
                    # and the birth year only, so validate one number per pair.
                    place = (number[:6], number[6:10])
                    if place not in checked:
                        try:
                            checked[place] = list(validate_id_number(number, today=today).warnings)
                        except InvalidIdentifier:
                            checked[place] = None
                    if checked[place] is None:
                        continue
                    warnings = checked[place]
                else:
                    number = _uscc(rng, region6)
                    trade = rng.choice(TRADE_NAMES) + rng.choice(TRADE_NAMES)
                    name = f"{prefix}{trade}{rng.choice(INDUSTRIES)}有限公司"
                    representative = _person_name(rng)
                found = existing.get((kind, number))
                if found is None:
                    found = (next_id, _phone(rng), address)
                    next_id += 1
                    existing[(kind, number)] = found
                    table.add(
                        found[0],
                        kind,
                        name,
                        number,
                        blind_index(ID_NUMBER, number),
                        found[1],
                        blind_index(PHONE, found[1]),
                        address,
                        representative,
                        unit.region.pk,
                        warnings,
                        stamp,
                        stamp,
                    )
                    created += 1
                pk, phone, address = found
                if pk not in unit.addresses:
                    pool.append(pk)
                    unit.addresses[pk], unit.phones[pk] = address, phone
    table.flush(sink)
    return created


# -- one case --------------------------------------------------------------------------------------


@dataclass
class _Event:
    day: dt.date
    action: str
    actor: _Staff
    to_status: str
    comment: str = ""
    data: dict[str, Any] | None = None
    at: dt.datetime | None = None  # set for the receipt


@dataclass
class _ClockPlan:
    kind: str
    budget: int
    start: dt.date
    stop: dt.date | None
    step_order: int | None = None
    pause: bool = False  # the case's pause applies to it
    extension: tuple[dt.date, int] | None = None


class _Generator:
    """Builds the rows of every case of one run; one instance per run."""

    def __init__(
        self, *, today: dt.date, seed: int, fates: tuple[tuple[str, float], ...], sink: Any, batch: int
    ) -> None:
        self.today = today
        self.end = today - dt.timedelta(days=1)
        self.first = self.end - dt.timedelta(days=DAYS - 1)
        self.seed = seed
        self.fates = fates
        self.sink = sink
        self.batch = batch
        self.codes = random.SystemRandom()
        self._random_bytes = b""
        self._stamps: dict[tuple[dt.date, int], dt.datetime] = {}
        self._checked: dict[int, str] = {}
        # Per unit (see run_unit):
        self.rng = random.Random(seed)
        self.result = DemoCasesResult()
        self.recent: list[tuple[Any, ...]] = []  # a heap of the unit's most recent certificate issues
        self.certificate_quota = 0
        self.sequences: dict[tuple[str, dt.date], int] = {}
        self.sequence_rows_before: dict[tuple[str, dt.date], int] = {}
        self.ids: dict[type[models.Model], int] = {}
        self.tables: dict[type[models.Model], _Table] = {}

    def new_tables(self, sink: Any) -> dict[type[models.Model], _Table]:
        return {
            Certificate: _Table(
                Certificate,
                "id case_id number verification_code title holder_id issuer_id issued_on content holder_id_number"
                " content_digest"
                " signature signature_algorithm key_fingerprint created_at updated_at",
                sink,
            ),
            Case: _Table(
                Case,
                "id number query_code item_id item_version_id department_id region_id window_id applicant_id channel case_kind contact_phone status version received_on received_at accepted_on decided_on finished_at used_workdays legal_workdays decision_reason refusal_reason delivery_mode delivery_address current_step_id promised_due statutory_due due_provisional paused warning created_at updated_at",
                sink,
            ),
            CaseStep: _Table(
                CaseStep,
                "id case_id order name limit status entered_on finished_on created_at updated_at",
                sink,
            ),
            CaseMaterial: _Table(
                CaseMaterial,
                "id case_id material_id name necessity sort_order status note created_at updated_at",
                sink,
            ),
            Clock: _Table(
                Clock,
                "id case_id kind step_id budget start_date status stopped_on due_date provisional level created_at updated_at",
                sink,
            ),
            ClockSegment: _Table(
                ClockSegment,
                "id clock_id kind reason_code reason start end expected_end days approved_by_id notified_on created_at updated_at",
                sink,
            ),
            CaseEvent: _Table(
                CaseEvent,
                "id case_id action actor_id actor_name actor_role at from_status to_status comment data",
                sink,
            ),
            Card: _Table(
                Card,
                "id case_id clock_id key rule level department_id issued_on due_date rectify_due response closed_on accepted_by_id created_at updated_at",
                sink,
            ),
        }

    # -- helpers ---------------------------------------------------------------------------------

    def stamp(self, day: dt.date, minute: int = 9 * 60) -> dt.datetime:
        key = (day, minute)
        value = self._stamps.get(key)
        if value is None:
            value = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=LOCAL_TZ)
            self._stamps[key] = value
        return value

    def office_minute(self) -> int:
        if self.rng.random() < 0.6:
            return 8 * 60 + 30 + self.rng.randrange(0, 210)
        return 14 * 60 + 30 + self.rng.randrange(0, 180)

    def query_code(self) -> str:
        """Six characters from a 32-letter alphabet, one random byte each (256 = 8 × 32: uniform)."""
        if len(self._random_bytes) < 6:
            self._random_bytes = os.urandom(6 * 4096)
        chunk, self._random_bytes = self._random_bytes[:6], self._random_bytes[6:]
        return "".join(QUERY_CODE_ALPHABET[b & 31] for b in chunk)

    def new_id(self, model: type[models.Model]) -> int:
        pk = self.ids[model]
        self.ids[model] = pk + 1
        return pk

    def flush(self) -> None:
        """Write the batch in one short transaction (see `run_unit`)."""
        with transaction.atomic():
            for model in (Case, CaseStep, CaseMaterial, Clock, ClockSegment, CaseEvent, Card):
                self.result.rows += self.tables[model].flush(self.sink)

    def write_certificates(self) -> None:
        self.tables[Certificate].flush(self.sink)

    # -- the run ---------------------------------------------------------------------------------

    def receipts(self, unit: _Unit, n: int, days: _Workdays) -> list[tuple[dt.datetime, _Item, str]]:
        rng = self.rng
        work_days: list[dt.date] = []
        work_weights: list[float] = []
        all_days: list[dt.date] = []
        all_weights: list[float] = []
        day = self.first
        while day <= self.end:
            month = MONTH_WEIGHTS.get(day.month, 1.0)
            if days.is_workday(day):
                weight = (
                    MAKEUP_SATURDAY_WEIGHT if day.weekday() >= 5 else WEEKDAY_WEIGHTS[day.weekday()]
                ) * month
                work_days.append(day)
                work_weights.append(weight)
                all_days.append(day)
                all_weights.append(weight)
            elif not (unit.calendar.covers(day) and day in unit.calendar.holidays):
                all_days.append(day)
                all_weights.append(WEEKDAY_WEIGHTS[day.weekday()] * month)
            day += dt.timedelta(days=1)
        work_cum = list(itertools.accumulate(work_weights))
        all_cum = list(itertools.accumulate(all_weights))
        item_cum = list(itertools.accumulate(item.weight for item in unit.items))
        picks = rng.choices(unit.items, cum_weights=item_cum, k=n)
        receipts = []
        for item in picks:
            draw = rng.random()
            if draw < item.online_share:
                channel = c.Channel.ONLINE
            elif item.self_service and draw < item.online_share + 0.05:
                channel = c.Channel.SELF_SERVICE
            elif item.mail and draw < item.online_share + 0.08:
                channel = c.Channel.MAIL
            else:
                channel = c.Channel.WINDOW
            if channel == c.Channel.ONLINE and item.kind != CaseKind.IMMEDIATE:
                day = all_days[bisect_right(all_cum, rng.random() * all_cum[-1])]
                minute = 7 * 60 + rng.randrange(0, 16 * 60)
            else:
                day = work_days[bisect_right(work_cum, rng.random() * work_cum[-1])]
                minute = self.office_minute()
            receipts.append(
                (self.stamp(day, minute) + dt.timedelta(seconds=rng.randrange(60)), item, channel)
            )
        receipts.sort(key=lambda r: r[0])
        return receipts

    def run_unit(
        self, unit: _Unit, n: int, ids: dict[type[models.Model], int], certificates: int
    ) -> DemoCasesResult:
        """Generate and write the `n` cases of one unit; sign its `certificates` most recent.

        Each batch is written in its own short transaction, so that on SQLite (one writer at a time,
        `BEGIN IMMEDIATE`) the workers generate side by side and only queue for the writes.
        """
        started = time.monotonic()
        self.rng = random.Random(f"{self.seed}:{unit.region.code}")
        self.result = DemoCasesResult(unit=unit.region.name)
        self.recent, self.certificate_quota = [], certificates
        self.ids = dict(ids)
        self.tables = self.new_tables(self.sink)
        prefix = unit.region.code[:6]
        self.sequences = {
            (prefix, day): last
            for day, last in CaseSequence.objects.filter(prefix=prefix, day__gte=self.first).values_list(
                "day", "last"
            )
        }
        self.sequence_rows_before = dict(self.sequences)
        days = _Workdays(unit.calendar, self.first - dt.timedelta(days=10), self.end + dt.timedelta(days=500))
        persons_cum = list(itertools.accumulate(1.0 for _ in unit.persons))
        companies_cum = list(itertools.accumulate(1 / (i + 1) ** 0.6 for i in range(len(unit.companies))))
        for made, (received_at, item, channel) in enumerate(self.receipts(unit, n, days), start=1):
            if self.rng.random() < item.legal_share and unit.companies:
                applicant = unit.companies[bisect_right(companies_cum, self.rng.random() * companies_cum[-1])]
            else:
                applicant = unit.persons[bisect_right(persons_cum, self.rng.random() * persons_cum[-1])]
            self.build_case(unit, days, item, channel, received_at, applicant)
            if made % self.batch == 0:
                self.flush()
        self.flush()
        self.issue_certificates()  # signing takes a while: outside any transaction
        with transaction.atomic():
            self.save_sequences(prefix)
            self.write_certificates()
        self.result.seconds = time.monotonic() - started
        return self.result

    def save_sequences(self, prefix: str) -> None:
        new, changed = [], []
        for (seq_prefix, day), last in self.sequences.items():
            if seq_prefix != prefix:
                continue
            before = self.sequence_rows_before.get((seq_prefix, day))
            if before is None:
                new.append(CaseSequence(prefix=seq_prefix, day=day, last=last))
            elif before != last:
                changed.append((seq_prefix, day, last))
            self.sequence_rows_before[(seq_prefix, day)] = last
        CaseSequence.objects.bulk_create(new, batch_size=500)
        for seq_prefix, day, last in changed:
            CaseSequence.objects.filter(prefix=seq_prefix, day=day).update(last=last)

    # -- one case --------------------------------------------------------------------------------

    def checked(self, item: _Item, flagged: dict[int, str] | None = None) -> str:
        """The comment of `materials_check`: each material with the status the clerk found."""
        if not flagged and item.id in self._checked:
            return self._checked[item.id]
        found = []
        for material_id, name, necessity, _ in item.materials:
            if flagged and material_id in flagged:
                status = c.MaterialStatus.FAULTY if flagged[material_id] else c.MaterialStatus.MISSING
            elif necessity == "conditional":
                status = c.MaterialStatus.NOT_APPLICABLE
            else:
                status = c.MaterialStatus.RECEIVED
            found.append(f"{name}：{MATERIAL_LABELS[status]}")
        if flagged:
            return "；".join(found)
        return self._checked.setdefault(item.id, "；".join(found))

    def fate(self, item: _Item) -> str:
        draw = self.rng.random()
        for name, rate in IMMEDIATE_FATES if item.kind == CaseKind.IMMEDIATE else self.fates:
            if draw < rate:
                return self.feasible(name, item)
            draw -= rate
        return "normal"

    @staticmethod
    def feasible(fate: str, item: _Item) -> str:
        """Outcomes that need a clock fall back to a plain case when the item has none."""
        if fate in ("late_promise", "late_statutory") and item.promised is None:
            return "normal"
        if fate == "late_statutory" and item.statutory is None:
            return "late_promise"
        if fate == "extend" and item.statutory is None:
            return "normal"
        if fate == "pause" and item.statutory is None and item.promised is None:
            return "normal"
        return fate

    def build_case(
        self,
        unit: _Unit,
        days: _Workdays,
        item: _Item,
        channel: str,
        received_at: dt.datetime,
        applicant: int,
    ) -> None:
        rng = self.rng
        received = received_at.date()
        fate = self.fate(item)
        clerk = unit.clerks[rng.randrange(len(unit.clerks))]
        online = channel == c.Channel.ONLINE
        submitter = APPLICANT_ONLINE if online else clerk
        events: list[_Event] = [
            _Event(received, "save_draft", submitter, "draft", "创建办件", at=received_at),
            _Event(received, "submit", submitter, "submitted"),
        ]
        clocks: list[_ClockPlan] = []
        steps: list[tuple[int, str, int | None, dt.date | None, dt.date | None]] = []
        flagged: dict[int, str] = {}  # material id → note, for the supplement notice
        accepted = decided = certified = delivered = stopped_all = None
        decision = ""
        pause: tuple[dt.date, dt.date, int, str, str] | None = None
        delivery_mode = ""
        refusal = ""

        # Intake: the day the clerk checks the materials (the receipt day at the window).
        if online or channel == c.Channel.MAIL:
            late = not days.is_workday(received) or received_at.hour >= 16
            check = days.add(received, rng.choice((1, 1, 2)) if late else rng.choice((0, 0, 1, 2)))
        else:
            check = received if rng.random() < 0.85 else days.add(received, 1)

        if item.kind == CaseKind.IMMEDIATE:
            clocks.append(_ClockPlan(c.ClockKind.IMMEDIATE, 0, received, None))
            if fate == "refuse":
                refusal = rng.choice(REFUSAL_REASONS)
                events.append(_Event(received, "refuse_intake", clerk, "not_accepted", refusal))
                stopped_all = received
            elif fate == "withdraw":
                events.append(_Event(received, "withdraw", submitter, "withdrawn", WITHDRAW_REASON))
                stopped_all = received
            else:
                accepted = decided = received
                decision = GRANT_REASON
                events.append(_Event(received, "materials_check", clerk, "", self.checked(item)))
                events.append(_Event(received, "decide_on_spot", clerk, "granted"))
                clocks[0].stop = received
        else:
            intake = _ClockPlan(c.ClockKind.INTAKE, INTAKE_DAYS, received, None)
            clocks.append(intake)
            if fate == "refuse":
                refusal = rng.choice(REFUSAL_REASONS)
                events.append(_Event(check, "refuse_intake", clerk, "not_accepted", refusal))
                stopped_all = check
            elif fate == "withdraw" and rng.random() < 0.4:
                events.append(_Event(check, "withdraw", submitter, "withdrawn", WITHDRAW_REASON))
                stopped_all = check
                fate = "withdraw_intake"
            else:
                accepted = check
                if fate == "supplement":
                    required = [m for m in item.materials if m[2] == "required"] or list(item.materials)
                    for material in rng.sample(required, k=min(len(required), rng.choice((1, 1, 2)))):
                        flagged[material[0]] = rng.choice(SUPPLEMENT_NOTES)
                    listed = [
                        {"material": m[1], "note": flagged[m[0]] or "未提交"}
                        for m in item.materials
                        if m[0] in flagged
                    ]
                    events.append(_Event(check, "materials_check", clerk, "", self.checked(item, flagged)))
                    events.append(
                        _Event(
                            check, "request_supplement", clerk, "supplement_requested", data={"items": listed}
                        )
                    )
                    intake.stop = check
                    wait = min(40, 1 + int(rng.expovariate(1 / 8)))
                    accepted = days.add(check, wait)
                    events.append(_Event(accepted, "supplement", submitter, "supplemented"))
                events.append(_Event(accepted, "materials_check", clerk, "", self.checked(item)))
                events.append(_Event(accepted, "accept", clerk, "in_review"))
                if intake.stop is None:
                    intake.stop = accepted
                decided, decision, pause, stopped_all = self.plan_review(
                    unit, days, item, fate, accepted, events, clocks, steps, submitter
                )

        if decided is not None:
            if decision == GRANT_REASON or item.kind == CaseKind.IMMEDIATE:
                clocks.append(_ClockPlan(c.ClockKind.CERTIFICATE, CERTIFICATE_DAYS, decided, None))
                certified = days.add(decided, rng.choices((0, 1, 2, 3), (50, 30, 15, 5))[0])
                events.append(_Event(certified, "issue_certificate", clerk, "certified"))
                delivery_mode = rng.choices(("electronic", "window", "mail"), (50, 35, 15))[0]
                delivered = days.add(
                    certified, 0 if delivery_mode == "electronic" else rng.choice((0, 1, 2, 3))
                )
                events.append(_Event(delivered, "deliver", clerk, "delivered", data={"mode": delivery_mode}))
                clocks[-1].stop = delivered
            else:
                delivery_mode = rng.choices(("electronic", "window", "mail"), (40, 40, 20))[0]
                delivered = days.add(decided, rng.choice((0, 1, 2)))
                events.append(_Event(delivered, "deliver", clerk, "delivered", data={"mode": delivery_mode}))
        if stopped_all is not None:
            for clock in clocks:
                if clock.stop is None:
                    clock.stop = stopped_all

        self.write_case(
            unit=unit,
            days=days,
            item=item,
            channel=channel,
            received_at=received_at,
            applicant=applicant,
            fate=fate,
            events=events,
            clocks=clocks,
            steps=steps,
            flagged=flagged,
            accepted=accepted,
            decided=decided,
            decision=decision,
            refusal=refusal,
            pause=pause,
            delivery_mode=delivery_mode,
            certified=certified,
        )

    def plan_review(
        self,
        unit: _Unit,
        days: _Workdays,
        item: _Item,
        fate: str,
        accepted: dt.date,
        events: list[_Event],
        clocks: list[_ClockPlan],
        steps: list[tuple[int, str, int | None, dt.date | None, dt.date | None]],
        withdrawer: _Staff,
    ) -> tuple[dt.date | None, str, tuple[dt.date, dt.date, int, str, str] | None, dt.date | None]:
        """Review in effective working days after acceptance (a pause shifts what follows it)."""
        rng = self.rng
        cap = item.promised or item.statutory or item.natural or 5
        if fate == "late_promise":
            assert item.promised is not None
            room = (item.statutory - item.promised) if item.statutory else 5
            length = item.promised + min(max(room, 1), 1 + int(rng.expovariate(1 / 2)))
        elif fate == "late_statutory":
            assert item.statutory is not None
            length = item.statutory + 1 + rng.randrange(0, 6)
        elif fate == "extend":
            assert item.statutory is not None
            extra = 15 if item.kind == CaseKind.JOINT else 10
            length = item.statutory + 1 + rng.randrange(0, extra)
        else:
            length = round(cap * rng.betavariate(2.6, 1.6))
            length = max(1 if cap >= 2 else 0, min(cap, length))
        pause_at = pause_days = None
        if fate == "pause":
            length = max(length, 1)
            pause_at = rng.randrange(0, length)
            pause_days = rng.randint(3, 15)

        def day_of(offset: int) -> dt.date:
            """The date of effective working day `offset`; after a pause's start, shifted by its length."""
            if pause_at is not None and pause_days is not None and offset > pause_at:
                return days.add(accepted, offset + pause_days)
            return days.add(accepted, offset)

        withdraw_at = rng.randrange(0, length) if fate == "withdraw" and length > 0 else None
        if fate == "withdraw" and withdraw_at is None:
            withdraw_at = 0
        # Steps: each within its own limit, one after another; the rest of `length` awaits the decision.
        remaining = length
        offset = 0
        plan: list[tuple[int, str, int | None, int, int]] = []
        for order, name, limit in item.steps:
            room = min(limit, remaining) if limit else remaining
            spent = round(room * rng.betavariate(2.5, 1.5))
            plan.append((order, name, limit, offset, offset + spent))
            offset += spent
            remaining -= spent
        for clock_kind, budget in (
            (c.ClockKind.STATUTORY, item.statutory),
            (c.ClockKind.PROMISED, item.promised),
        ):
            if budget:
                clocks.append(_ClockPlan(clock_kind, budget, accepted, None, pause=pause_at is not None))
        reviewer, head = item.reviewer, unit.head
        stopped = None
        timeline: list[tuple[int, int, _Event]] = []
        for index, (order, name, limit, entry, leave) in enumerate(plan):
            last = index == len(plan) - 1
            ends = withdraw_at is None or leave <= withdraw_at
            if withdraw_at is not None and entry > withdraw_at:
                steps.append((order, name, limit, None, None))
                continue
            steps.append((order, name, limit, day_of(entry), day_of(leave) if ends else None))
            if limit:
                running_at_pause = pause_at is not None and entry <= pause_at < leave
                clocks.append(
                    _ClockPlan(
                        c.ClockKind.STEP,
                        limit,
                        day_of(entry),
                        day_of(leave) if ends else None,
                        step_order=order,
                        pause=running_at_pause,
                    )
                )
            if ends:
                timeline.append(
                    (
                        leave,
                        0,
                        _Event(
                            day_of(leave),
                            "step_pass",
                            reviewer,
                            "pending_decision" if last else "in_review",
                            data={"step": name},
                        ),
                    )
                )
        pause_plan = None
        if pause_at is not None:
            code, what = rng.choice(PAUSES)
            expected = pause_days + rng.randrange(0, 6)
            start, end = days.add(accepted, pause_at), days.add(accepted, pause_at + pause_days)
            reason = f"{what}，预计所需时间 {expected} 个工作日，已书面告知申请人。"
            expected_end = days.add(start, expected)
            kind = "excluded"
            timeline.append(
                (
                    pause_at,
                    1,
                    _Event(
                        start,
                        "pause",
                        reviewer,
                        "",
                        reason,
                        {"reason_code": code, "expected_end": expected_end.isoformat(), "kind": kind},
                    ),
                )
            )
            timeline.append((pause_at, 2, _Event(end, "resume", reviewer, "")))
            pause_plan = (start, end, expected, code, reason)
        if fate == "extend":
            extra = 15 if item.kind == CaseKind.JOINT else 10
            assert item.statutory is not None
            approve_at = rng.randrange(max(0, item.statutory - 5), item.statutory)
            approved = day_of(approve_at)
            timeline.append(
                (approve_at, 0, _Event(approved, "extend", head, "", EXTENSION_REASON, {"days": extra}))
            )
            for clock in clocks:
                if clock.kind == c.ClockKind.STATUTORY:
                    clock.extension = (approved, extra)
        decided = None
        decision = ""
        if withdraw_at is not None:
            stopped = day_of(withdraw_at)
            timeline.append(
                (withdraw_at, 3, _Event(stopped, "withdraw", withdrawer, "withdrawn", WITHDRAW_REASON))
            )
        else:
            decided = day_of(length)
            decision = rng.choice(DENIAL_REASONS) if fate == "deny" else GRANT_REASON
            action, status = ("deny", "denied") if fate == "deny" else ("grant", "granted")
            timeline.append((length, 3, _Event(decided, action, reviewer, status, decision)))
            for clock in clocks:
                if clock.stop is None and clock.kind in (c.ClockKind.STATUTORY, c.ClockKind.PROMISED):
                    clock.stop = decided
        timeline.sort(key=lambda entry: (entry[0], entry[1]))
        for _, _, event in timeline:
            events.append(event)
        return decided, decision, pause_plan, stopped

    # -- cutting at the last day and writing ---------------------------------------------------------

    def write_case(
        self,
        *,
        unit: _Unit,
        days: _Workdays,
        item: _Item,
        channel: str,
        received_at: dt.datetime,
        applicant: int,
        fate: str,
        events: list[_Event],
        clocks: list[_ClockPlan],
        steps: list[tuple[int, str, int | None, dt.date | None, dt.date | None]],
        flagged: dict[int, str],
        accepted: dt.date | None,
        decided: dt.date | None,
        decision: str,
        refusal: str,
        pause: tuple[dt.date, dt.date, int, str, str] | None,
        delivery_mode: str,
        certified: dt.date | None,
    ) -> None:
        rng, end = self.rng, self.end
        received = received_at.date()
        case_id = self.new_id(Case)
        key = (item.prefix, received)
        seq = self.sequences.get(key, 0) + 1
        self.sequences[key] = seq
        number = f"{item.prefix}-{received:%Y%m%d}-{seq:06d}"

        # Events up to the last day, with times that keep their order.
        status = ""
        previous = received_at
        tables = self.tables
        event_table = tables[CaseEvent]
        last_at = received_at
        finished_at = None
        happened = 0
        for event in events:
            if event.day > end:
                break
            if event.at is not None:
                at = event.at
            elif event.day == previous.date():
                at = previous + dt.timedelta(minutes=rng.randrange(2, 40))
            else:
                at = self.stamp(event.day, self.office_minute())
            previous = last_at = at
            if event.action in _FINISHING:
                finished_at = at
            old = status
            if event.to_status:
                status = event.to_status
            event_table.add(
                self.new_id(CaseEvent),
                case_id,
                event.action,
                event.actor.id,
                event.actor.name,
                event.actor.role,
                at,
                old,
                status,
                event.comment,
                event.data or {},
            )
            happened += 1
        self.result.statuses[status] += 1
        self.result.outcomes[fate] += 1

        # Steps and their clocks.
        step_table = tables[CaseStep]
        step_ids: dict[int, int] = {}
        current_step = None
        if accepted is not None and accepted <= end:
            for order, name, limit, entered, left in steps:
                step_id = self.new_id(CaseStep)
                step_ids[order] = step_id
                if entered is None or entered > end:
                    step_status, entered, left = c.StepStatus.WAITING, None, None
                elif left is None or left > end:
                    step_status, left = c.StepStatus.ACTIVE, None
                    current_step = step_id
                else:
                    step_status = c.StepStatus.PASSED
                created = self.stamp(accepted, 12 * 60)
                step_table.add(
                    step_id,
                    case_id,
                    order,
                    name,
                    limit,
                    step_status,
                    entered,
                    left,
                    created,
                    self.stamp(left or entered or accepted, 12 * 60),
                )
        if status != "in_review":
            current_step = current_step if status == "withdrawn" else None

        # Materials: checked at acceptance; flagged ones missing until the supplement.
        material_table = tables[CaseMaterial]
        created = received_at
        checked = status not in ("submitted",)
        supplemented = status not in ("submitted", "supplement_requested")
        for material_id, name, necessity, sort_order in item.materials:
            note = ""
            if material_id in flagged and not supplemented:
                note = flagged[material_id] or "未提交"
                material_status = (
                    c.MaterialStatus.FAULTY if flagged[material_id] else c.MaterialStatus.MISSING
                )
            elif not checked:
                material_status = c.MaterialStatus.PENDING
            elif necessity == "conditional":
                material_status = c.MaterialStatus.NOT_APPLICABLE
            else:
                material_status = c.MaterialStatus.RECEIVED
            material_table.add(
                self.new_id(CaseMaterial),
                case_id,
                material_id,
                name,
                necessity,
                sort_order,
                material_status,
                note,
                created,
                created,
            )

        # Clocks with their ledgers, as they stand at the end of the last day, and the cards they earned.
        calendar = unit.calendar
        clock_table, segment_table = tables[Clock], tables[ClockSegment]
        warning = dl.Level.NONE
        dues: dict[str, tuple[dt.date | None, bool]] = {}
        used: dict[str, int] = {}  # working days the statutory / promised clock counted by the decision
        paused_now = False
        for plan in clocks:
            if plan.start > end:
                continue
            clock_id = self.new_id(Clock)
            segments: list[dl.Segment] = []
            segment_rows = []
            pause_open = False
            if (
                plan.pause
                and pause is not None
                and pause[0] <= end
                and (plan.stop is None or pause[0] <= plan.stop)
            ):
                start, finish, expected, code, reason = pause
                pause_open = finish > end
                closed = None if pause_open else finish
                segments.append(dl.Segment(dl.SegmentKind.EXCLUDED, start, closed, 0, reason))
                segment_rows.append(
                    ("excluded", code, reason, start, closed, days.add(start, expected), 0, None, start)
                )
            if plan.extension is not None and plan.extension[0] <= end:
                approved, extra = plan.extension
                segments.append(dl.Segment(dl.SegmentKind.EXTENSION, approved, None, extra, EXTENSION_REASON))
                segment_rows.append(
                    ("extension", "", EXTENSION_REASON, approved, None, None, extra, unit.head.id, approved)
                )
            stop = plan.stop if plan.stop is not None and plan.stop <= end else None
            if pause_open and stop is None:
                clock_status, due, provisional = c.ClockStatus.PAUSED, None, False
                paused_now = True
            else:
                due, provisional = days.due(plan.budget, plan.start, segments)
                clock_status = c.ClockStatus.STOPPED if stop is not None else c.ClockStatus.RUNNING
            level = dl.Level.NONE
            cards: list[tuple[str, str, dt.date, dt.date | None]] = []
            rule = {"promised": "Y1", "statutory": "R1"}.get(plan.kind)
            if rule and due is not None and not provisional and (plan.stop is None or plan.stop > due):
                issued = due + dt.timedelta(days=1)
                if issued <= end and due <= calendar.valid_through:
                    card_level = dl.Level.YELLOW if rule == "Y1" else dl.Level.RED
                    level = card_level
                    cards.append((rule, card_level, issued, due))
            clock_table.add(
                clock_id,
                case_id,
                plan.kind,
                step_ids.get(plan.step_order) if plan.step_order is not None else None,
                plan.budget,
                plan.start,
                clock_status,
                stop,
                due,
                provisional,
                level,
                self.stamp(plan.start, 12 * 60),
                self.stamp(stop or plan.start, 12 * 60),
            )
            if plan.kind in ("promised", "statutory"):
                dues[plan.kind] = (due, provisional)
                if decided is not None and decided <= end and stop is not None:
                    used[plan.kind] = dl.consumed_by(
                        calendar, start=plan.start, segments=segments, day=decided
                    )
            for kind, code, reason, start, closed, expected_end, extra, approver, notified in segment_rows:
                segment_table.add(
                    self.new_id(ClockSegment),
                    clock_id,
                    kind,
                    code,
                    reason,
                    start,
                    closed,
                    expected_end,
                    extra,
                    approver,
                    notified,
                    self.stamp(start, 12 * 60),
                    self.stamp(closed or start, 12 * 60),
                )
            for rule, card_level, issued, due_on in cards:
                # Y1 and R1 close when their clock stops (`services._close_cured_cards`). A yellow is
                # cured when that happens by its rectify deadline; otherwise the department answers
                # with a 整改说明 (which the supervisor mostly accepts, closing it), or the next sweep
                # adds R2 — which closes only by an accepted 整改说明, left open here.
                rectify = days.add(issued, RECTIFY_DAYS) if card_level == dl.Level.YELLOW else None
                cured = rectify is not None and stop is not None and stop <= rectify
                response, accepted_by, closed = "", None, stop
                if rectify is not None and rng.random() < (0.3 if cured else 0.6):
                    response = RECTIFY_DONE if cured else RECTIFY_PROMISE
                    accepted_on = days.add(issued, 2)
                    supervisor = unit.supervisor
                    still_open = stop is None or accepted_on < stop
                    if supervisor is not None and accepted_on <= end and still_open and rng.random() < 0.8:
                        accepted_by, closed = supervisor.id, accepted_on
                self.add_card(
                    case_id,
                    clock_id,
                    item,
                    rule,
                    card_level,
                    issued,
                    due_on,
                    rectify,
                    response,
                    closed,
                    accepted_by,
                )
                warning = dl.max_level(warning, card_level)
                if rectify is not None and not response and not cured:
                    escalated = rectify + dt.timedelta(days=1)
                    if escalated <= end:
                        self.add_card(
                            case_id,
                            clock_id,
                            item,
                            "R2",
                            dl.Level.RED,
                            escalated,
                            rectify,
                            None,
                            "",
                            None,
                            None,
                            key=f"{clock_id}:R2:{rule}",
                        )
                        warning = dl.Level.RED

        promised_due, promised_provisional = dues.get("promised", (None, False))
        statutory_due, statutory_provisional = dues.get("statutory", (None, False))
        is_decided = decided is not None and decided <= end
        if not is_decided:
            used_days = None
        elif item.kind == CaseKind.IMMEDIATE:
            used_days = 0
        else:
            used_days = used.get("statutory", used.get("promised"))
        table = tables[Case]
        table.add(
            case_id,
            number,
            self.query_code(),
            item.id,
            item.version_id,
            item.department_id,
            item.region_id,
            item.window_id if channel in (c.Channel.WINDOW, c.Channel.SELF_SERVICE) else None,
            applicant,
            channel,
            item.kind,
            unit.phones[applicant],
            status,
            max(happened - 1, 0),
            received,
            received_at,
            accepted if accepted is not None and accepted <= end else None,
            decided if decided is not None and decided <= end else None,
            finished_at,
            used_days,
            item.statutory if is_decided else None,
            decision if decided is not None and decided <= end else "",
            refusal if status == "not_accepted" else "",
            delivery_mode if status == "delivered" else "",
            unit.addresses[applicant] if status == "delivered" and delivery_mode == "mail" else "",
            current_step,
            promised_due,
            statutory_due,
            promised_provisional or statutory_provisional,
            paused_now,
            warning,
            received_at,
            last_at,
        )
        if certified is not None and certified <= end and decision == GRANT_REASON:
            entry = (certified, case_id, number, item, applicant)
            if len(self.recent) < self.certificate_quota:
                heapq.heappush(self.recent, entry)
            elif self.certificate_quota and entry[:2] > self.recent[0][:2]:
                heapq.heapreplace(self.recent, entry)
        self.result.created += 1

    def add_card(
        self,
        case_id: int,
        clock_id: int,
        item: _Item,
        rule: str,
        level: str,
        issued: dt.date,
        due: dt.date | None,
        rectify: dt.date | None,
        response: str,
        closed: dt.date | None,
        accepted_by: int | None,
        key: str = "",
    ) -> None:
        created = self.stamp(issued, 30)
        self.tables[Card].add(
            self.new_id(Card),
            case_id,
            clock_id,
            key or f"{clock_id}:{rule}",
            rule,
            level,
            item.department_id,
            issued,
            due,
            rectify,
            response,
            closed,
            accepted_by,
            created,
            self.stamp(closed, 16 * 60) if closed else created,
        )
        self.result.cards[rule] += 1

    # -- certificates ----------------------------------------------------------------------------

    def issue_certificates(self) -> None:
        """Sign the most recent certificates through the crypto backend, like `certificate_build`."""
        if not self.recent:
            return
        started = time.monotonic()
        backend = get_backend()
        fingerprint = backend.public_key_fingerprint()
        applicants = {
            pk: (name, kind, number)
            for pk, name, kind, number in Applicant.objects.filter(
                pk__in={entry[4] for entry in self.recent}
            ).values_list("pk", "name", "kind", "id_number")
        }
        taken_codes = set(Certificate.objects.values_list("verification_code", flat=True))
        table = self.tables[Certificate]
        for issued, case_id, case_number, item, applicant in sorted(self.recent):
            holder, holder_kind, holder_id = applicants[applicant]
            # As `certificate_build`: region, year of issue, the case's receipt date and daily sequence.
            serial = "".join(ch for ch in case_number if ch.isdigit())[-14:]
            number = f"{item.prefix}{issued:%Y}{serial}"
            code = ""
            while not code or code in taken_codes:
                code = "".join(self.codes.choice(CODE_ALPHABET) for _ in range(12))
            taken_codes.add(code)
            content = {
                "title": item.title,
                "number": number,
                "holder": holder,
                "holder_kind": holder_kind,
                "holder_id": holder_id,
                "item": item.name,
                "case_number": case_number,
                "issuer": item.department_name,
                "issued_on": issued.isoformat(),
                "valid_until": "",
                "decision": GRANT_REASON,
            }
            data = canonical(content)
            del content["holder_id"]  # signed, but stored encrypted in `holder_id_number` (common.pii)
            stamp = self.stamp(issued, 15 * 60)
            table.add(
                self.new_id(Certificate),
                case_id,
                number,
                code,
                item.title,
                applicant,
                item.department_id,
                issued,
                content,
                holder_id,
                backend.digest(data),
                backend.sign(data),
                backend.signature_algorithm,
                fingerprint,
                stamp,
                stamp,
            )
        self.result.certificates = len(table.rows)
        self.result.sign_seconds = time.monotonic() - started


MATERIAL_LABELS = dict(c.MaterialStatus.choices)
_FINISHING = frozenset({"refuse_intake", "withdraw", "grant", "deny", "decide_on_spot"})


def _split(total: int, units: list[_Unit], by: dict[int, int] | None = None) -> dict[int, int]:
    """Share `total` between units by weight, or in proportion to `by` (largest remainders)."""
    weights = [by[unit.region.pk] for unit in units] if by else [unit.weight for unit in units]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(x) for x in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[index] += 1
    return {unit.region.pk: n for unit, n in zip(units, counts, strict=True)}


# Leaves first: the tables a reset empties, in an order the foreign keys accept.
RESET_MODELS: tuple[type[models.Model], ...] = (
    Card,
    ClockSegment,
    CaseEvent,
    Certificate,
    MaterialFile,
    CaseMaterial,
    StepOpinion,
    CaseStep.joint_departments.through,
    Clock,
    CaseStep,
    Case,
    CaseSequence,
)
GENERATED_MODELS: tuple[type[models.Model], ...] = (
    Applicant,
    Case,
    CaseMaterial,
    CaseStep,
    Clock,
    ClockSegment,
    CaseEvent,
    Card,
    Certificate,
    CaseSequence,
)


def demo_cases_reset() -> None:
    """Delete every case and what hangs off it (demo data only; applicants are kept).

    Refused while rows of other apps point at cases (e.g. 一件事 bundle links): those are not demo data.
    """
    for model in RESET_MODELS:
        for relation in model._meta.related_objects:
            if relation.related_model in RESET_MODELS or relation.many_to_many:
                continue
            if relation.related_model._default_manager.exists():
                name = relation.related_model._meta.verbose_name
                raise DomainError(
                    "cases_referenced", f"“{name}”引用了办件，不能删除全部办件后重新生成演示办件。"
                )
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in RESET_MODELS:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # table names, not input


def demo_cases_generate(
    *,
    count: int,
    today: dt.date,
    seed: int = SEED,
    certificates: int = DEFAULT_CERTIFICATES,
    reset: bool = False,
    progress: Callable[[str], None] | None = None,
    sink: Any = None,
    batch: int = BATCH,
    workers: int | None = None,
) -> DemoCasesResult:
    """Generate `count` demo cases for the year before `today`; nothing when cases exist (unless `reset`).

    Units are generated in `workers` processes (default: one per CPU, at most 4), each unit in its own
    transaction with its own block of ids, and each worker signs its units' certificates. Inside a
    transaction (tests, `zhengwu demo` wrapped in one) everything runs in this process instead.
    """
    started = time.monotonic()
    say = progress or (lambda _text: None)
    existing = Case.objects.count()
    if existing and not reset:
        return DemoCasesResult(existing=existing, skipped=True)
    if existing:
        demo_cases_reset()
    rng = random.Random(seed)
    units = sorted(_units(rng), key=lambda unit: unit.region.code)
    if not units or count <= 0:
        return DemoCasesResult(seconds=time.monotonic() - started)
    counts = _split(count, units)
    sink = sink or InsertSink()
    with transaction.atomic():
        applicants = _load_applicants(units, counts, rng, today, sink)
    generator = _Generator(today=today, seed=seed, fates=_scaled_fates(units, counts), sink=sink, batch=batch)
    quotas = _split(certificates, units, by=counts) if certificates else {}
    ids = _id_blocks(units, counts)
    tasks = [
        (unit, counts[unit.region.pk], ids[unit.region.pk], quotas.get(unit.region.pk, 0)) for unit in units
    ]
    tasks = [task for task in tasks if task[1]]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if connection.in_atomic_block or count < PARALLEL_FROM:
        workers = 1
    workers = max(1, min(workers, len(tasks)))
    result = DemoCasesResult(applicants=applicants, workers=workers)
    for part in _run_tasks(generator, tasks, workers):
        say(f"  {part.unit}：{part.created:,} 件（{part.seconds:.1f} 秒）")
        result.add(part)
    _reset_sequences(GENERATED_MODELS)
    result.seconds = time.monotonic() - started
    return result


PARALLEL_FROM = 5000  # fewer cases are not worth forking for
_FORKED: dict[str, Any] = {}  # what forked workers inherit: the generator and the tasks


def _run_tasks(
    generator: _Generator, tasks: list[tuple[_Unit, int, dict[type[models.Model], int], int]], workers: int
) -> Iterable[DemoCasesResult]:
    if workers == 1:
        for unit, n, ids, quota in tasks:
            yield generator.run_unit(unit, n, ids, quota)
        return
    # Forked workers open their own connections: none may be open when they are forked.
    connections.close_all()
    _FORKED.update(generator=generator, tasks=tasks)
    order = sorted(range(len(tasks)), key=lambda index: -tasks[index][1])  # big units first
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap_unordered(_run_forked, order)
    finally:
        _FORKED.clear()


def _run_forked(index: int) -> DemoCasesResult:
    unit, n, ids, quota = _FORKED["tasks"][index]
    try:
        return _FORKED["generator"].run_unit(unit, n, ids, quota)
    finally:
        connections.close_all()


def _scaled_fates(units: list[_Unit], counts: dict[int, int]) -> tuple[tuple[str, float], ...]:
    """FATES are shares of all cases; 即办件 are decided on the spot, so the other cases carry them."""
    immediate = 0.0
    for unit in units:
        volume = sum(item.weight for item in unit.items)
        immediate += sum(
            counts.get(unit.region.pk, 0) * item.weight / volume
            for item in unit.items
            if item.kind == CaseKind.IMMEDIATE
        )
    share = 1 - immediate / max(1, sum(counts.values()))
    scale = min(1 / share, 2.5) if share > 0 else 1.0
    return tuple((name, rate * scale) for name, rate in FATES)


def _id_blocks(units: list[_Unit], counts: dict[int, int]) -> dict[int, dict[type[models.Model], int]]:
    """A block of primary keys per unit and table, large enough for any case of the unit's items."""
    per_case: dict[int, dict[type[models.Model], int]] = {}
    for unit in units:
        steps = max(len(item.steps) for item in unit.items)
        materials = max(len(item.materials) for item in unit.items)
        per_case[unit.region.pk] = {
            Case: 1,
            CaseMaterial: materials,
            CaseStep: steps,
            Clock: 4 + steps,  # intake or immediate, statutory, promised, certificate, one per step
            ClockSegment: 2 * (3 + steps),  # a pause on every running clock, one extension
            CaseEvent: 10 + steps,
            Card: 3,
            Certificate: 1,
        }
    blocks: dict[int, dict[type[models.Model], int]] = {}
    following = {
        model: _next_id(model)
        for model in (Case, CaseMaterial, CaseStep, Clock, ClockSegment, CaseEvent, Card, Certificate)
    }
    for unit in units:
        n = counts.get(unit.region.pk, 0)
        blocks[unit.region.pk] = dict(following)
        for model, size in per_case[unit.region.pk].items():
            following[model] += n * size
    return blocks


def _reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """PostgreSQL: move each id sequence past the ids allocated here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
