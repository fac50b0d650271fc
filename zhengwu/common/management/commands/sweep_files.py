"""`zhengwu sweep_files`: remove blobs of the private file store that no row references.

`common.filestore` writes a blob (temporary file, fsync, rename) before the transaction that creates
the row holding its key. A crash or a rolled-back transaction between the two leaves an orphan blob,
or a `.tmp-*` file when the process died during the write; never a row without its blob. This command
removes both kinds, but only those last written before the cut-off (default 60 minutes ago), so an
upload still in flight keeps its blob. Referenced keys are the `storage_key` column of every model that
has one. `--dry-run` lists without removing. SECURITY.md row 12; docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from zhengwu.common import clock, filestore


def referenced_keys() -> set[str]:
    keys: set[str] = set()
    for model in apps.get_models():
        if any(field.name == "storage_key" for field in model._meta.concrete_fields):
            keys.update(model._default_manager.values_list("storage_key", flat=True))
    return keys


def stale_temporaries(cutoff: dt.datetime) -> list[Path]:
    """`.tmp-*` files of writes that never reached their rename, older than `cutoff`."""
    base = filestore.root()
    if not base.is_dir():
        return []
    found = []
    for dirpath, _dirnames, filenames in os.walk(base):
        for name in filenames:
            path = Path(dirpath) / name
            if name.startswith(".tmp-") and path.stat().st_mtime < cutoff.timestamp():
                found.append(path)
    return sorted(found)


class Command(BaseCommand):
    help = "清理文件库中没有任何记录引用的文件（孤立文件）和中断写入留下的临时文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="只清理最后写入早于这么多分钟之前的文件（默认 60），正在上传的文件不受影响",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, older_than_minutes: int, dry_run: bool, **options):
        if older_than_minutes < 0:
            raise CommandError("--older-than-minutes 不能为负数。")
        cutoff = clock.now() + dt.timedelta(seconds=1) - dt.timedelta(minutes=older_than_minutes)
        orphans = filestore.orphans(referenced_keys(), older_than=cutoff)
        temporaries = stale_temporaries(cutoff)
        if not dry_run:
            for key in orphans:
                filestore.delete(key)
            for path in temporaries:
                path.unlink(missing_ok=True)
        verb = "待清理" if dry_run else "已清理"
        self.stdout.write(f"{verb}孤立文件 {len(orphans)} 个，临时文件 {len(temporaries)} 个。")
        for key in orphans:
            self.stdout.write(f"  {key}")
        for path in temporaries:
            self.stdout.write(f"  {path.relative_to(filestore.root())}")
