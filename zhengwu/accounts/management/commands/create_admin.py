"""`zhengwu create_admin <username> --role security_admin --name 李四`: a named administrator account.

There is no built-in `admin` account (等保 8.1.4.2 b): setup creates each administrator by name, with one of
the three administrator roles (三员, one per person), a random one-time password printed once, which must be
changed at first sign-in, where the account also enrols its TOTP device (no session without it).
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zhengwu.accounts.services import password_issued
from zhengwu.organization.choices import ADMIN_ROLES, Role
from zhengwu.organization.services import user_set_roles

RESERVED = {"admin", "administrator", "root", "system", "sysadmin", "superuser", "test", "guest"}
ALPHABET = string.ascii_letters + string.digits + "!#%+-=@"


def one_time_password() -> str:
    """16 random characters holding all four classes (so every profile accepts it)."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(16))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
            and any(not c.isalnum() for c in password)
        ):
            return password


class Command(BaseCommand):
    help = "创建具名管理员账号（系统/安全/审计管理员之一），生成一次性初始密码，首次登录须修改密码并绑定动态口令。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名（不得使用 admin、root 等通用名称）")
        parser.add_argument(
            "--role",
            required=True,
            choices=sorted(str(r) for r in ADMIN_ROLES),
            help="管理员角色（三员之一）",
        )
        parser.add_argument("--name", required=True, help="姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        if username.lower() in RESERVED:
            raise CommandError(f"不得使用通用账号名 {username}：请使用能对应到具体人员的用户名。")
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        password = one_time_password()
        with transaction.atomic():
            user = users(username=username, full_name=options["name"].strip())
            user.set_password(password)
            user.save()
            user_set_roles(user=user, roles=[options["role"]])
            password_issued(user=user)
        self.stdout.write(f"已创建{Role(options['role']).label}账号 {username}。")
        self.stdout.write(f"一次性初始密码（仅显示这一次）：{password}")
        self.stdout.write("首次登录须修改密码，并绑定动态口令设备。")
