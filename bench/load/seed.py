"""What the load run needs on top of `zhengwu demo`, run in a child process with the server's environment.

    python -m bench.load.seed demo-lite CASES                    # the reduced demo of the CI scale
    python -m bench.load.seed prepare CITIZENS SAMPLE MANIFEST   # writes the manifest (JSON) to MANIFEST

`demo-lite` is `zhengwu demo` cut to what fits the CI scale's time budget: the city and two counties
(赫山区, 资阳区) instead of all nine units, whose catalogue the demo's own loader writes through the
catalogue services (the slow part), N bulk cases by its generator, the metric rollups and the manual
assessment entries; none of its fixed-cost extras (一件事 cases through the services, reviews, 12345
tickets, hall queue). The full scale runs `zhengwu demo` itself.

The demo (`zhengwu demo --cases N` or `demo-lite`, run before `prepare`) provides the 益阳 organisation, staff, the
published catalogue, N bulk cases, metric rollups and the manual assessment entries. This adds what a
Locust user cannot get by itself without going through sign-in and its second factor:

- an API token for every window clerk, supervisor, department head and assessor, and signed-in
  server-side sessions for them (what `django.contrib.auth.login` plus the sign-in stamps of
  `zhengwu.accounts` leave in the session), so workbench pages load as after a real sign-in;
- `CITIZENS` 网上办事 accounts with tokens (the demo has two; each simulated citizen gets its own);
- a scoring run (考核, county units, this year) of each shipped scheme by the city assessor: the
  ranking pages the readers open, and the time the run took over the seeded cases;
- samples: item codes for the portal, guidance wizards, (number, query code) pairs for the progress
  query, each clerk's items for window intake and cases for the detail pages.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

CITIZEN_PASSWORD = "Zw!load-citizen-2026"
# What the readers ask the metric table API for: the dashboard's key figures, cases, 好差评 and 12345. Not
# the default "every metric": with it the 大厅 queue figures dominate (see docs/reliability.md, row 23).
METRIC_CODES = (
    "received,accepted,finished,on_time_rate,overdue,cards_red,mean_days,online_rate,"
    "reviews_good_rate,hotline_ontime_rate"
)
LITE_UNITS = ("city", "heshan", "ziyang")  # keys of zhengwu.organization.demo_data.UNITS


def _setup() -> None:
    import django

    django.setup()


def _session(user) -> str:
    """A server-side session of `user`, as a password (and, for admins, TOTP) sign-in leaves it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from zhengwu.accounts import services as account_services
    from zhengwu.accounts.sessions import stamp_login

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    stamp_login(store, user)
    store.create()
    account_services.session_remember(user=user, session_key=store.session_key, ip="127.0.0.1")
    return store.session_key


def _staff(user) -> dict[str, Any]:
    from zhengwu.accounts.services import token_create

    return {
        "username": user.username,
        "token": token_create(user=user, name="load")[1],
        "session": _session(user),
    }


def _id_number(rng: random.Random) -> str:
    from stdnum.cn import ric

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
    body = f"430104{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _published(qs):
    from zhengwu.catalog.choices import LifecycleStatus, VersionStatus

    return qs.filter(status=LifecycleStatus.ACTIVE, current_version__status=VersionStatus.PUBLISHED)


def _with_materials(qs):
    from zhengwu.catalog.models import Material

    versions = set(Material.objects.values_list("version_id", flat=True).distinct())
    return [
        code
        for code, version in qs.values_list("implementation_code", "current_version_id")
        if version in versions
    ]


def _runs(assessor, say) -> list[dict[str, Any]]:
    """One draft run per shipped scheme over the assessor's counties; a scheme the data cannot score
    (missing manual entries) is left out and noted."""
    from zhengwu.assessment import services
    from zhengwu.assessment.choices import UnitKind
    from zhengwu.assessment.models import Scheme
    from zhengwu.common import clock
    from zhengwu.common.errors import DomainError

    services.schemes_ensure_shipped()
    runs = []
    for scheme in Scheme.objects.filter(is_shipped=True).order_by("code", "-version"):
        if any(run["scheme"] == scheme.code for run in runs):
            continue
        started = time.perf_counter()
        try:
            evaluation = services.evaluation_run(
                scheme=scheme, period=str(clock.today().year), unit_kind=UnitKind.REGION, actor=assessor
            )
        except DomainError as error:
            say(f"考核方案 {scheme.code} 未能计算：{error.message}")
            continue
        runs.append(
            {
                "scheme": scheme.code,
                "evaluation": evaluation.pk,
                "units": len(evaluation.unit_keys),
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    return runs


def demo_lite(cases: int) -> None:
    from django.db import transaction

    from zhengwu.assessment.demo_data import demo_entries_generate
    from zhengwu.cases.demo_data import demo_cases_generate
    from zhengwu.common import clock
    from zhengwu.metrics.services import metrics_rebuild
    from zhengwu.organization.demo_data import DEFAULT_PASSWORD
    from zhengwu.organization.management.commands import demo

    def say(text: str) -> None:
        print(f"    {text}", flush=True)

    started = time.perf_counter()
    # The loader walks the module's UNITS at call time: this process loads only the chosen ones.
    demo.UNITS = tuple(unit for unit in demo.UNITS if unit.key in LITE_UNITS)
    loader = demo.DemoLoader(password=DEFAULT_PASSWORD)
    with transaction.atomic():
        for label, step in (
            ("行政区划", loader.load_regions),
            ("部门、大厅和窗口", loader.load_organisations),
            ("工作人员", loader.load_staff),
            ("事项目录", loader.load_catalogue),
        ):
            created, _total, detail = step()
            say(
                f"{label}：新增 {created}{'；' + detail if detail else ''}（{time.perf_counter() - started:.1f} 秒）"
            )
    today = clock.today()
    result = demo_cases_generate(count=cases, today=today, progress=say)
    say(f"演示办件：{result.detail()}（{time.perf_counter() - started:.1f} 秒）")
    say(
        f"效能指标日汇总：{metrics_rebuild(progress=None).detail()}（{time.perf_counter() - started:.1f} 秒）"
    )
    entries = demo_entries_generate(period=str(today.year)).detail()
    say(f"考核人工录入：{entries}（{time.perf_counter() - started:.1f} 秒）")


def prepare(citizens: int, sample: int) -> dict[str, Any]:
    from zhengwu.accounts.services import token_create
    from zhengwu.cases.models import Case
    from zhengwu.cases.selectors import case_list
    from zhengwu.catalog.choices import CaseKind
    from zhengwu.catalog.models import ServiceItem
    from zhengwu.common import clock
    from zhengwu.guidance.demo_data import SITUATIONS
    from zhengwu.guidance.selectors import guidance_data
    from zhengwu.organization.choices import Role
    from zhengwu.organization.models import User
    from zhengwu.organization.services import citizen_register

    def say(text: str) -> None:
        print(f"    {text}", flush=True)

    rng = random.Random(23)
    staff = User.objects.filter(is_active=True, applicant__isnull=True).select_related("department__region")

    def with_role(role: str) -> list:
        return list(staff.filter(roles__role=role).order_by("username").distinct())

    clerks = []
    for clerk in with_role(Role.WINDOW_CLERK):
        items = _with_materials(
            _published(ServiceItem.objects.filter(region=clerk.department.region))
            .filter(current_version__case_kind=CaseKind.PROMISED)
            .order_by("implementation_code")
        )
        if not items:
            continue
        cases = list(case_list(user=clerk).order_by("-pk").values_list("number", flat=True)[:sample])
        clerks.append({**_staff(clerk), "items": items, "cases": cases})
    say(f"窗口受理员 {len(clerks)} 名（令牌、会话、可收件事项）")

    supervisors = [_staff(u) for u in with_role(Role.SUPERVISOR) + with_role(Role.DEPT_HEAD)]
    assessors = with_role(Role.ASSESSOR)
    if not assessors:
        raise SystemExit("没有考核员账号：先运行 zhengwu demo")
    assessor = _staff(assessors[0])
    say(f"监督查看人员 {len(supervisors)} 名，考核员 {assessor['username']}")

    started = time.perf_counter()
    runs = _runs(assessors[0], say)
    say(
        "考核计算（区县）："
        + "；".join(f"{r['scheme']} {r['units']} 个单位 {r['seconds']} 秒" for r in runs)
        + f"（共 {time.perf_counter() - started:.1f} 秒）"
    )

    people = []
    for index in range(citizens):
        user = citizen_register(
            phone=f"1390000{index:04d}",
            password=CITIZEN_PASSWORD,
            name=f"负载测试{index}",
            id_number=_id_number(rng),
            today=clock.today(),
        )
        people.append({"username": user.username, "token": token_create(user=user, name="load")[1]})
    online = _with_materials(
        _published(ServiceItem.objects.filter(current_version__online_depth__gte=3)).order_by(
            "implementation_code"
        )
    )
    say(f"网上办事账号 {len(people)} 个，可网上申办事项 {len(online)} 项")

    portal = list(_published(ServiceItem.objects.all()).values_list("implementation_code", flat=True))
    guided = [  # items whose published version has 办理情形 configured (the wizard and its API)
        item.implementation_code
        for item in _published(ServiceItem.objects.filter(base_code__in={s.base_code for s in SITUATIONS}))
        .select_related("current_version")
        .order_by("implementation_code")
        if guidance_data(item.current_version).configured
    ]
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = rng.sample(range(1, top + 1), min(top, sample * 3))
    progress = list(
        Case.objects.filter(pk__in=picks).exclude(status="draft").values_list("number", "query_code")[:sample]
    )
    say(f"门户事项 {len(portal)} 项，导办事项 {len(guided)} 项，进度查询样本 {len(progress)} 件")
    return {
        "cases": Case.objects.count(),
        "year": clock.today().year,
        "metrics": METRIC_CODES,
        "clerks": clerks,
        "supervisors": supervisors,
        "assessor": assessor,
        "evaluations": runs,
        "citizens": people,
        "online_items": online,
        "portal_items": rng.sample(portal, min(len(portal), sample)),
        "guided_items": guided,
        "progress": progress,
    }


def main(argv: list[str]) -> None:
    _setup()
    command, args = argv[0], argv[1:]
    if command == "demo-lite":
        demo_lite(int(args[0]))
        return
    if command != "prepare":
        raise SystemExit(f"unknown command {command}")
    answer = prepare(int(args[0]), int(args[1]))
    Path(args[2]).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
