"""`zhengwu catalog`: the catalogue workbook from the command line (format: docs/catalog-template.md).

    zhengwu catalog export items.xlsx            → every version of every item
    zhengwu catalog import items.xlsx            → all or nothing; prints a summary
    zhengwu catalog template blank.xlsx          → the empty workbook with headers and the 说明 sheet
    zhengwu catalog template --markdown          → the column reference of the documentation

A rejected file prints every bad cell on stderr, one per line ("事项!X5 承诺办结时限：应为整数"),
then one summary line, and exits with status 2; the database is left unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from zhengwu.catalog.excel import (
    CatalogImportError,
    columns_markdown,
    export_catalog,
    import_catalog,
    write_template,
)
from zhengwu.catalog.selectors import export_queryset
from zhengwu.common import clock
from zhengwu.common.commands import RefusingCommand, refuse
from zhengwu.common.errors import DomainError
from zhengwu.organization.models import User


class Command(RefusingCommand):
    help = "政务服务事项目录的 Excel 导入、导出和空白模板（格式见 docs/catalog-template.md）。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="子命令")
        load = actions.add_parser("import", help="导入事项目录（任何单元格有误则整个文件不导入）")
        load.add_argument("file", help="Excel 文件（.xlsx）")
        load.add_argument("--user", metavar="用户名", help="记为操作人的账号（默认不记操作人）")
        dump = actions.add_parser("export", help="导出全部事项的全部版本")
        dump.add_argument("file", help="要写入的 Excel 文件（.xlsx）")
        template = actions.add_parser("template", help="生成空白模板（含列名和“说明”工作表）")
        template.add_argument("file", nargs="?", help="要写入的 Excel 文件（.xlsx）")
        template.add_argument("--markdown", action="store_true", help="改为输出文档中的列说明（Markdown）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        {"import": self._import, "export": self._export, "template": self._template}[action](options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise refuse(f"文件不存在：{path}")
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise refuse(f"用户不存在：{options['user']}")

        def progress(done: int, total: int) -> None:
            if done < total:
                self.stdout.write(f"已写入 {done}/{total} 个事项……")

        try:
            with path.open("rb") as stream:
                report = import_catalog(stream, actor=actor, today=clock.today(), progress=progress)
        except CatalogImportError as error:
            for cell in error.errors:
                self.stderr.write(str(cell))
            raise refuse(f"导入失败：{path} 有 {len(error.errors)} 处错误，数据库未作任何修改。") from None
        except DomainError as error:
            raise refuse(error.message) from None
        self.stdout.write(f"导入完成：{report}")

    def _export(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            with path.open("wb") as stream:
                summary = export_catalog(export_queryset(), stream)
        except OSError as error:
            raise refuse(f"无法写入文件：{path}（{error.strerror}）") from None
        except DomainError as error:
            path.unlink(missing_ok=True)
            raise refuse(error.message) from None
        self.stdout.write(f"已导出到 {path}：{summary}")

    def _template(self, options: dict[str, Any]) -> None:
        if options["markdown"]:
            self.stdout.write(columns_markdown(), ending="")
            return
        if not options.get("file"):
            raise refuse("请指定要写入的模板文件，例如：zhengwu catalog template 事项目录模板.xlsx")
        path = Path(options["file"])
        try:
            with path.open("wb") as stream:
                write_template(stream)
        except OSError as error:
            raise refuse(f"无法写入文件：{path}（{error.strerror}）") from None
        self.stdout.write(f"已生成空白模板：{path}")
