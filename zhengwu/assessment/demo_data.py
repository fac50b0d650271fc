"""Demo manual entries, so both shipped schemes can be run over the demo counties.

Seed 000 (山海关区) scores its six categories on tiers an assessor records (好/较好/一般/差) and has no
automatic source but the hotline (not built yet, so N/A); without a tier per item and county the engine
refuses to score. Seed 001 (益阳市) reads cards and overdue cases by itself and takes the rest from
manual entries. This module enters, through the services and with an evidence file each, a tier for
every tiered item of every county-level unit, a few bonuses and deductions, and a few 益阳 deductions —
entered by the demo 考核员 and approved by the demo 监管员 (two people). Choices are drawn from a seeded
random generator, so the same seed gives the same entries. Nothing is entered twice: a scheme that
already has entries for the period is skipped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from zhengwu.assessment import services
from zhengwu.assessment.choices import UnitKind
from zhengwu.assessment.models import ManualEntry
from zhengwu.assessment.selectors import assessed_units
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.domain import scoring
from zhengwu.organization.choices import Role
from zhengwu.organization.models import User

SEED = 2026
TIER_WEIGHTS = (("好", 5), ("较好", 4), ("一般", 2))


def evidence_pdf(title: str) -> bytes:
    """A one-page PDF standing in for the scanned notice or inspection record."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% " + title.encode("utf-8") + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass(frozen=True)
class DemoResult:
    entered: dict[str, int]
    skipped: list[str]

    def detail(self) -> str:
        parts = [f"{code} {n} 条" for code, n in self.entered.items()]
        parts += [f"{code} 已有录入，跳过" for code in self.skipped]
        return "；".join(parts) or "无"


def _people() -> tuple[User, User]:
    """The 考核员 covering the most counties enters; a 监管员 (else another 考核员) covering them approves."""
    staff = User.objects.filter(is_active=True, applicant__isnull=True).order_by("pk")

    def reach(user: User) -> set[int]:
        return {u.pk for u in assessed_units(user=user, kind=UnitKind.REGION)}

    assessors = [(reach(u), u) for u in staff.filter(roles__role=Role.ASSESSOR)]
    if assessors:
        units, enterer = max(assessors, key=lambda pair: len(pair[0]))
        others = [u for u in staff.filter(roles__role=Role.SUPERVISOR)] + [u for _r, u in assessors]
        approver = next((u for u in others if u.pk != enterer.pk and units <= reach(u)), None)
        if units and approver is not None:
            return enterer, approver
    raise DomainError("no_assessors", "演示数据需要一名考核员和一名同范围的监管员（先运行 zhengwu demo）。")


def _enter(enterer: User, approver: User, *, scheme_code: str, period: str, unit, **entry) -> None:
    title = entry.pop("title")
    created = services.manual_entry_create(
        scheme_code=scheme_code,
        period=period,
        unit_kind=UnitKind.REGION,
        unit_id=unit.pk,
        files=[services.Upload(f"{title}.pdf", evidence_pdf(title))],
        actor=enterer,
        **entry,
    )
    services.manual_entry_approve(entry=created, actor=approver, note="演示数据：核实无误", now=clock.now())


def demo_entries_generate(*, period: str = "2026", seed: int = SEED) -> DemoResult:
    """Enter and approve the demo entries of both shipped schemes for the period (see the docstring)."""
    services.schemes_ensure_shipped()
    enterer, approver = _people()
    units = assessed_units(user=enterer, kind=UnitKind.REGION)
    rng = random.Random(seed)
    entered: dict[str, int] = {}
    skipped: list[str] = []

    code = "shanhaiguan-2020"
    if ManualEntry.objects.filter(scheme_code=code, period=period).exists():
        skipped.append(code)
    else:
        scheme = services.scheme_parse(services.shipped_scheme_text(code))
        tiered = [(item, rule) for _c, item in scheme.items() for rule in item.rules if rule.kind == "tiered"]
        names, weights = zip(*TIER_WEIGHTS, strict=True)
        count = 0
        for unit in units:
            for item, rule in tiered:
                tier = rng.choices(names, weights)[0]
                _enter(
                    enterer,
                    approver,
                    scheme_code=code,
                    period=period,
                    unit=unit,
                    item_code=item.code,
                    rule_code=rule.code,
                    kind=scoring.ManualKind.TIER,
                    tier=tier,
                    reason=f"{item.name}：年终考核评定为“{tier}”",
                    title=f"{unit.name}{item.name}考核评定表",
                )
                count += 1
        for unit in rng.sample(units, k=min(2, len(units))):
            _enter(
                enterer,
                approver,
                scheme_code=code,
                period=period,
                unit=unit,
                item_code="bonus",
                kind=scoring.ManualKind.BONUS,
                points=rng.choice(["1", "1.5", "2"]),
                reason="“一件事一次办”经验被省政务服务简报推广",
                title=f"{unit.name}经验推广简报",
            )
            count += 1
        for unit, item_code, reason in zip(
            rng.sample(units, k=min(2, len(units))),
            ("notice", "rectify"),
            ("被市审改领导小组通报批评", "督办问题整改不力"),
            strict=False,
        ):
            _enter(
                enterer,
                approver,
                scheme_code=code,
                period=period,
                unit=unit,
                item_code=item_code,
                kind=scoring.ManualKind.DEDUCTION,
                reason=reason,
                title=f"{unit.name}{reason}",
            )
            count += 1
        entered[code] = count

    code = "yiyang-2020"
    if ManualEntry.objects.filter(scheme_code=code, period=period).exists():
        skipped.append(code)
    else:
        count = 0
        plan = (
            ("1", "1a", scoring.ManualKind.DEDUCTION, {"count": 2}, "承接下放事项逾期"),
            ("6", "6a", scoring.ManualKind.JUDGEMENT, {"points": "-1"}, "暗访发现大厅帮代办缺位"),
            ("7", "7a", scoring.ManualKind.MISSING, {"count": 1}, "政务公开目录缺少办事指南要素"),
            ("12", "12c", scoring.ManualKind.DEDUCTION, {"count": 1}, "数据报送不及时"),
        )
        for (item_code, rule_code, kind, amount, reason), unit in zip(
            plan, rng.sample(units, k=min(len(plan), len(units))), strict=False
        ):
            _enter(
                enterer,
                approver,
                scheme_code=code,
                period=period,
                unit=unit,
                item_code=item_code,
                rule_code=rule_code,
                kind=kind,
                reason=reason,
                title=f"{unit.name}{reason}",
                **amount,
            )
            count += 1
        entered[code] = count
    return DemoResult(entered, skipped)
