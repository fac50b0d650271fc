"""`zhengwu pii`: the keys of personal data at rest (zhengwu.common.pii).

zhengwu pii key-status           → how many values each data key encrypts, per column
zhengwu pii rotate-keys [--all]  → re-encrypt under the current key (the first of ZHENGWU_CRYPTO_KEYS)
zhengwu pii reindex              → recompute the blind indexes (after changing ZHENGWU_BLIND_INDEX_KEY)

Rotation: put the new key first in ZHENGWU_CRYPTO_KEYS and keep the old one after it, restart, run
`zhengwu pii rotate-keys`, check `zhengwu pii key-status`, then remove the old key and restart again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from zhengwu.common import pii
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError


class Command(RefusingCommand):
    help = "个人信息加密：密钥使用情况、密钥轮换、重建盲索引。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        actions.add_parser("key-status", help="各加密字段按密钥统计的密文数")
        rotate = actions.add_parser("rotate-keys", help="用当前密钥重新加密所有旧密钥加密的数据")
        rotate.add_argument("--all", action="store_true", help="全部重新加密（含已用当前密钥加密的）")
        rotate.add_argument("--batch", type=int, default=500, help="每个事务的行数（默认 500）")
        reindex = actions.add_parser("reindex", help="按当前盲索引密钥重建全部盲索引")
        reindex.add_argument("--batch", type=int, default=500, help="每个事务的行数（默认 500）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "key-status":
            self.stdout.write(f"当前密钥：{pii.current_key_id()}")
            for label, counts in pii.key_usage().items():
                summary = "，".join(f"{kid} {n} 条" for kid, n in sorted(counts.items())) or "无数据"
                self.stdout.write(f"{label}：{summary}")
            return
        if not 0 < options["batch"] <= 10_000:
            raise refuse("--batch 须在 1 到 10000 之间。")
        try:
            if action == "rotate-keys":
                self.stdout.write(f"当前密钥：{pii.current_key_id()}")
                done = pii.rotate_keys(
                    progress=self.stdout.write, everything=options["all"], batch=options["batch"]
                )
                self.stdout.write(f"完成：共重新加密 {sum(done.values())} 个值。")
            else:
                done = pii.reindex(progress=self.stdout.write, batch=options["batch"])
                self.stdout.write(f"完成：共重建 {sum(done.values())} 行的盲索引。")
        except DomainError as error:
            raise refuse(
                f"{error.message}（有值无法用已配置的任何密钥解密：请把旧密钥加回 ZHENGWU_CRYPTO_KEYS）"
            ) from None
