"""The `zhengwu` console script: every Django management command, ours included.

zhengwu migrate
zhengwu demo
zhengwu workdays add 2026-09-30 20
zhengwu catalog import items.xlsx
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(["zhengwu", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
