"""`zhengwu assessment_demo`: enter and approve the demo manual entries of both shipped schemes.

    zhengwu assessment_demo                 → for 2026 (skipped for a scheme that already has entries)
    zhengwu assessment_demo --period 2026

Seed 000 (山海关区) cannot be scored without a tier per item and county; this gives the demo counties
theirs, plus a few bonuses and deductions, and a few 益阳 deductions (see `zhengwu.assessment.demo_data`).
A refusal (no demo assessors, bad period) prints one Chinese line on stderr and exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from zhengwu.assessment.demo_data import SEED, demo_entries_generate
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError


class Command(RefusingCommand):
    help = "考核：为演示区县录入并审核两个内置方案的人工加减分与等次评定（已有录入时跳过）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="2026", help="考核期间（默认 2026）")
        parser.add_argument("--seed", type=int, default=SEED, help="随机种子（相同种子生成相同录入）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_entries_generate(period=options["period"], seed=options["seed"])
        except DomainError as error:
            raise refuse(error.message) from error
        self.stdout.write(f"考核演示录入：{result.detail()}。")
