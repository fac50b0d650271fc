"""`zhengwu demo`: load the 益阳市 demo data (idempotent).

    zhengwu demo            → regions, departments, halls, windows, staff, the service catalogue and
                              a year of demo cases (`zhengwu/cases/demo_data.py`)
    zhengwu demo --cases 2000 --reset-cases   → fewer cases, replacing those that exist
    zhengwu demo --quiet    → the same, printing nothing

Everything runs in one transaction through the services of the organisation and catalogue apps, so
the data passes the same rules as data entered by hand. Running it again creates nothing new: rows
are found by their natural keys (region code, department name, hall name, window number, username,
implementation code). Existing accounts keep their password. The tables live in
`zhengwu/organization/demo_data.py` and `zhengwu/catalog/demo_data.py`.

The password of every demo account comes from ZHENGWU_DEMO_PASSWORD (default "Zhengwu@2026").
"""

from __future__ import annotations

import datetime as dt
import os
import time
import unicodedata
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from zhengwu.assessment.demo_data import demo_entries_generate
from zhengwu.budget.demo_data import demo_projects_generate
from zhengwu.bundles import demo_data as bundles_demo
from zhengwu.bundles.demo_cases import demo_bundle_cases
from zhengwu.bundles.models import BundleCase
from zhengwu.cases.demo_data import DEFAULT_CASES, demo_cases_generate
from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.choices import LifecycleStatus, VersionStatus
from zhengwu.catalog.demo_data import (
    CHANGES,
    DRAFTS,
    ITEMS,
    SUSPENDED,
    ItemSpec,
    step_rows,
    unit_applies,
    version_children,
    version_elements,
)
from zhengwu.catalog.models import ItemType, ItemVersion, ServiceItem
from zhengwu.common import clock
from zhengwu.guidance import demo_data as guidance_demo
from zhengwu.hall_figures.demo_data import count_scale, demo_hall_generate
from zhengwu.hotline.demo_data import DEFAULT_COUNT as DEFAULT_TICKETS
from zhengwu.hotline.demo_data import demo_tickets_generate
from zhengwu.metrics.services import metrics_rebuild
from zhengwu.organization import services
from zhengwu.organization.choices import Role
from zhengwu.organization.demo_data import (
    CITY_KEY,
    CITY_STAFF,
    COMPLAINT_PHONE,
    COUNTY_STAFF,
    DEFAULT_PASSWORD,
    DEPARTMENTS,
    NAMES,
    OFFICE_HOURS,
    PASSWORD_ENV,
    REGIONS,
    UNITS,
    WINDOWS,
    UnitRow,
    department_name,
    department_phone,
    department_uscc,
    hall_name,
)
from zhengwu.organization.models import Department, Region, ServiceHall, User, Window
from zhengwu.organization.selectors import citizen_get_by_phone
from zhengwu.reviews.demo_data import demo_reviews_generate
from zhengwu.reviews.models import Rectification, Review

STEPS = 12
SUSPENSION_DAYS = 90


class DemoLoader:
    """Builds the demo data step by step; each step returns (created, total, detail)."""

    def __init__(self, *, password: str) -> None:
        self.password = password
        self.regions: dict[str, Region] = {}
        self.departments: dict[tuple[str, str], Department] = {}
        self.halls: dict[str, ServiceHall] = {}
        self.windows: dict[tuple[str, str], Window] = {}
        self.users: dict[str, User] = {}
        # (username, 姓名, 角色, 数据范围, whether the demo password opens the account)
        self.accounts: list[tuple[str, str, str, str, bool]] = []
        self._password_checks: dict[str, bool] = {}

    # ── [1/4] 行政区划 ─────────────────────────────────────────────────────────────────────
    def load_regions(self) -> tuple[int, int, str]:
        created = 0
        existing = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in REGIONS])}
        for row in REGIONS:
            region = existing.get(row.code)
            if region is None:
                region = services.region_create(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    parent=self.regions[row.parent] if row.parent else None,
                    official_code=row.official_code,
                    short_name=row.short_name,
                    is_functional_zone=row.is_functional_zone,
                )
                created += 1
            self.regions[row.code] = region
        return created, len(REGIONS), ""

    # ── [2/4] 部门、大厅和窗口 ─────────────────────────────────────────────────────────────
    def load_organisations(self) -> tuple[int, int, str]:
        made = {"departments": 0, "halls": 0, "windows": 0}
        for unit_index, unit in enumerate(UNITS):
            region = self.regions[unit.region_code]
            uscc_region = region.official_code or unit.uscc_region
            for department_index, row in enumerate(DEPARTMENTS):
                department, created = Department.objects.get_or_create(
                    region=region,
                    name=department_name(unit, row),
                    defaults={
                        "short_name": row.short_name,
                        "kind": row.kind,
                        "uscc": department_uscc(unit_index, department_index, uscc_region),
                        "phone": department_phone(unit, department_index),
                        "complaint_phone": COMPLAINT_PHONE,
                        "address": unit.hall_address if row.key == "approval" else "",
                    },
                )
                made["departments"] += created
                self.departments[(unit.key, row.key)] = department
            hall, created = ServiceHall.objects.get_or_create(
                department=self.departments[(unit.key, "approval")],
                name=hall_name(unit),
                defaults={
                    "address": unit.hall_address,
                    "opening_hours": OFFICE_HOURS,
                    "phone": department_phone(unit, 0),
                    "traffic_guide": unit.traffic_guide,
                },
            )
            made["halls"] += created
            self.halls[unit.key] = hall
            for row in WINDOWS:
                window, created = Window.objects.get_or_create(
                    hall=hall, number=row.number, defaults={"name": row.name, "window_type": row.window_type}
                )
                if created:
                    window.departments.set([self.departments[(unit.key, key)] for key in row.departments])
                made["windows"] += created
                self.windows[(unit.key, row.number)] = window
        total = len(self.departments) + len(self.halls) + len(self.windows)
        detail = (
            f"部门 {len(self.departments)}、大厅 {len(self.halls)}、窗口 {len(self.windows)}，"
            f"覆盖 {len(UNITS)} 个单位"
        )
        return sum(made.values()), total, detail

    # ── [3/4] 工作人员 ─────────────────────────────────────────────────────────────────────
    def _scope_text(self, unit: UnitRow, scope: str, role: str, department: Department) -> str:
        if scope == "region":
            return f"{unit.prefix}（含下级区划）"
        if scope == "region_only":
            return f"{unit.prefix}（本级）"
        if scope == "department":
            return department.name
        if role == Role.SYSTEM_ADMIN:
            return "全部数据"
        return "无业务数据范围"

    def _opens(self, user: User) -> bool:
        """Whether the demo password opens an account; accounts made together share one hash, so this
        hashes once per run that made them, not once per account."""
        if user.password not in self._password_checks:
            self._password_checks[user.password] = check_password(self.password, user.password)
        return self._password_checks[user.password]

    def load_staff(self) -> tuple[int, int, str]:
        created = 0
        hashed = make_password(self.password)  # one hash for every account: keeps the command fast
        names = iter(NAMES)
        for unit in UNITS:
            region = self.regions[unit.region_code]
            for row in CITY_STAFF if unit.key == CITY_KEY else COUNTY_STAFF:
                username = row.username or f"{unit.key}_{row.suffix}"
                full_name = next(names)
                department = self.departments[(unit.key, row.department)]
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = User.objects.create(
                        username=username,
                        full_name=full_name,
                        department=department,
                        window=self.windows[(unit.key, row.window)] if row.window else None,
                        password=hashed,
                    )
                    services.user_set_roles(user=user, roles=[row.role])
                    if row.scope in ("region", "region_only"):
                        services.user_set_scope(
                            user=user, regions=[region], include_descendants=row.scope == "region"
                        )
                    elif row.scope == "department":
                        services.user_set_scope(user=user, departments=[department])
                    created += 1
                self.users[username] = user
                self.accounts.append(
                    (
                        username,
                        user.full_name,
                        Role(row.role).label,
                        self._scope_text(unit, row.scope, row.role, department),
                        self._opens(user),
                    )
                )
        for phone, name, id_number in CITIZENS:
            # Found by the number's blind index: a citizen's username is opaque, the number encrypted.
            citizen = citizen_get_by_phone(phone=phone)
            if citizen is None:
                applicant = services.applicant_register(
                    kind="person", name=name, id_number=id_number, today=clock.today(), phone=phone
                )
                citizen = User.objects.create(
                    username=services.citizen_username_new(),
                    full_name=name,
                    phone=phone,
                    applicant=applicant,
                    password=hashed,
                )
                created += 1
            self.accounts.append((phone, name, "网上办事群众", "本人办件（门户登录）", self._opens(citizen)))
        return created, len(self.accounts), f"{len(set(a[2] for a in self.accounts))} 种角色"

    # ── [4/4] 事项目录 ─────────────────────────────────────────────────────────────────────
    def _window(self, unit: UnitRow, spec: ItemSpec) -> Window:
        if spec.window:
            return self.windows[(unit.key, spec.window)]
        for row in WINDOWS:
            if spec.department in row.departments:
                return self.windows[(unit.key, row.number)]
        return self.windows[(unit.key, WINDOWS[0].number)]

    def load_catalogue(self) -> tuple[int, int, str]:
        created = total = 0
        existing = set(ServiceItem.objects.values_list("implementation_code", flat=True))
        types = {t.key: t for t in ItemType.objects.all()}
        today = clock.today()
        for unit in UNITS:
            is_city = unit.key == CITY_KEY
            region = self.regions[unit.region_code]
            code_prefix = region.official_code or region.code[:6]
            actor = self.users[f"{unit.key}_head"]
            hall = self.halls[unit.key]
            document = f"{unit.document_prefix}〔{today.year}〕1号"
            for spec in ITEMS:
                if not unit_applies(spec, unit.key, is_city=is_city):
                    continue
                total += 1
                code = f"{code_prefix}-{spec.base_code}"
                if code in existing:
                    continue
                self._create_item(
                    unit=unit,
                    spec=spec,
                    code=code,
                    item_type=types[spec.item_type],
                    actor=actor,
                    hall=hall,
                    document=document,
                    delegated=region.is_functional_zone,
                    exercise_level="city" if is_city else "county",
                    today=today,
                )
                created += 1
        guidance_demo.load()  # 智能导办: situations of five popular items, published as a 变更
        bundles_demo.load()  # 一件事: five bundles over the items each region implements
        published = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).count()
        drafts = ItemVersion.objects.filter(status=VersionStatus.DRAFT).count()
        suspended = ServiceItem.objects.filter(status=LifecycleStatus.SUSPENDED).count()
        names = ServiceItem.objects.values("name").distinct().count()
        detail = f"{names} 种事项；已发布版本 {published}，草稿 {drafts}，暂停办理 {suspended}"
        return created, total, detail

    def _create_item(
        self,
        *,
        unit: UnitRow,
        spec: ItemSpec,
        code: str,
        item_type: ItemType,
        actor: User,
        hall: ServiceHall,
        document: str,
        delegated: bool,
        exercise_level: str,
        today: dt.date,
    ) -> None:
        department = self.departments[(unit.key, spec.department)]
        window = self._window(unit, spec)
        elements = version_elements(
            spec,
            location=f"{hall.address}（{hall.name}{window.number}号窗口·{window.name}）",
            office_hours=OFFICE_HOURS,
            consult_phone=department.phone,
            complaint_phone=COMPLAINT_PHONE,
            reconsideration_body=unit.government,
            litigation_body=unit.court,
            delegated=delegated,
        )
        item = catalog_services.item_create(
            actor=actor,
            implementation_code=code,
            base_code=spec.base_code,
            name=spec.name,
            item_type=item_type,
            department=department,
            exercise_level=exercise_level,
            elements=elements,
            approving_document=document,
            **version_children(spec),
        )
        key = (unit.key, spec.base_code)
        if key in DRAFTS:
            return
        version = item.versions.only("pk").get(number=1)
        catalog_services.item_version_publish(version=version, actor=actor, approving_document=document)
        if key in SUSPENDED:
            reason, suspension_document = SUSPENDED[key]
            catalog_services.item_suspend(
                item=item,
                actor=actor,
                reason=reason,
                approving_document=suspension_document,
                resume_expected_on=today + dt.timedelta(days=SUSPENSION_DAYS),
            )
        if key in CHANGES:
            change: dict[str, Any] = CHANGES[key]
            draft = catalog_services.item_version_start_change(
                item=item, actor=actor, change_summary=change["change_summary"]
            )
            catalog_services.item_version_update(
                version=draft, actor=actor, elements=change["elements"], steps=step_rows(change["steps"])
            )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# Citizens' 网上办事 accounts (sign in at /account/login/ with the phone number); valid GB 11643 numbers.
CITIZENS = (
    ("13800000001", "张晓明", "430903199001011238"),
    ("13800000002", "李秀英", "430921198503150025"),
)


class Command(BaseCommand):
    help = "生成益阳市演示数据（幂等）：行政区划、部门、大厅、窗口、工作人员、政务服务事项目录和演示办件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="不输出进度和演示账号表")
        parser.add_argument(
            "--cases",
            type=int,
            default=DEFAULT_CASES,
            metavar="N",
            help=f"演示办件数量（默认 {DEFAULT_CASES}，0 为不生成）",
        )
        parser.add_argument("--reset-cases", action="store_true", help="删除已有办件后重新生成演示办件")
        parser.add_argument(
            "--tickets",
            type=int,
            default=DEFAULT_TICKETS,
            metavar="N",
            help=f"12345 演示工单数量（默认 {DEFAULT_TICKETS}）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet: bool = options["quiet"]
        say: Callable[[str], None] = (lambda _text: None) if quiet else self.stdout.write
        password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD
        started = time.monotonic()
        loader = DemoLoader(password=password)
        steps = (
            ("行政区划", loader.load_regions),
            ("部门、大厅和窗口", loader.load_organisations),
            ("工作人员", loader.load_staff),
            ("事项目录", loader.load_catalogue),
        )
        with transaction.atomic():
            for number, (label, step) in enumerate(steps, start=1):
                created, total, detail = step()
                suffix = f"；{detail}" if detail else ""
                say(f"[{number}/{STEPS}] {label} … 完成（新增 {created}，共 {total}{suffix}）")
        if options["reset_cases"]:
            # What hangs off the cases goes first: bundle links and reviews protect them.
            BundleCase.objects.all().delete()
            Rectification.objects.all().delete()
            Review.objects.all().delete()
        number = len(steps)
        today = clock.today()

        def step(label: str, detail: str) -> None:
            nonlocal number
            number += 1
            say(f"[{number}/{STEPS}] {label} … 完成（{detail}）")

        # Cases are written in batches after the catalogue is committed (see zhengwu/cases/demo_data.py).
        cases = demo_cases_generate(
            count=max(options["cases"], 0), today=today, reset=options["reset_cases"], progress=say
        )
        detail = "已有办件，未重新生成" if cases.skipped else cases.detail()
        step("演示办件", f"新增 {cases.created}，共 {cases.existing + cases.created}；{detail}")
        wanted = options["cases"] > 0
        # 一件事 and 跨域通办 cases go through the services, after the bulk cases (see bundles/demo_cases.py).
        more = demo_bundle_cases(today=today, progress=say) if wanted else None
        step("一件事与跨域通办办件", more.detail() if more else "未生成办件，跳过")
        reviews = demo_reviews_generate(today, progress=say) if wanted else 0
        step("好差评与差评整改", f"新增评价 {reviews:,} 条" if reviews else "已有评价或未生成办件，跳过")
        count = max(options["tickets"], 0)
        tickets = demo_tickets_generate(today=today, count=count, progress=say) if wanted and count else 0
        step("12345 工单", f"新增工单 {tickets:,} 件" if tickets else "已有工单或未生成办件，跳过")
        hall = demo_hall_generate(today=today, scale=count_scale(options["cases"])) if wanted else None
        step("大厅排队与预约", hall.detail() if hall else "未生成办件，跳过")
        # The bulk cases bypass the services, so the metric rollups are rebuilt from the tables.
        step("效能指标日汇总", metrics_rebuild(progress=None).detail())
        entries = demo_entries_generate(period=str(today.year)).detail() if wanted else "未生成办件，跳过"
        step("考核人工录入（等次评定、加减分）", entries)
        projects = demo_projects_generate(year=today.year)
        step("预算绩效项目（种子 002）", f"新增 {len(projects)} 个项目" if projects else "已有项目，跳过")
        say(f"演示数据已就绪，用时 {time.monotonic() - started:.1f} 秒。")
        if not quiet:
            self._print_accounts(loader.accounts, password)

    def _print_accounts(self, accounts: list[tuple[str, str, str, str, bool]], password: str) -> None:
        header = ("账号", "姓名", "角色", "数据范围", "密码")
        rows = [(u, n, r, s, password if opens else "（保留原密码）") for u, n, r, s, opens in accounts]
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write("演示账号：")
        self.stdout.write("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write(
            f"\n新建账号的密码为 {password}（默认 {DEFAULT_PASSWORD}，可用环境变量 {PASSWORD_ENV} 修改）；"
            "已存在的账号保留原密码。"
        )
