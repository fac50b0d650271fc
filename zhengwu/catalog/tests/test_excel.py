"""The catalogue workbook: a lossless round trip, all-or-nothing imports, cells named on error."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhengwu.catalog import choices as c
from zhengwu.catalog import services
from zhengwu.catalog.excel import (
    CHILD_SHEETS,
    GUIDE_SHEET,
    ITEM_SHEET,
    SHEETS,
    CatalogImportError,
    columns_markdown,
    export_catalog,
    import_catalog,
    write_template,
)
from zhengwu.catalog.models import ItemOperation, ItemVersion, ServiceItem
from zhengwu.catalog.selectors import export_queryset
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import DomainError
from zhengwu.organization.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[3] / "docs" / "catalog-template.md"
ZHENGWU = Path(sys.executable).with_name("zhengwu")
TODAY = dt.date(2026, 5, 6)


# -- helpers ----------------------------------------------------------------------------------


def export_bytes(queryset=None) -> bytes:
    stream = io.BytesIO()
    export_catalog(export_queryset() if queryset is None else queryset, stream)
    return stream.getvalue()


def run_import(data: bytes, **kwargs):
    return import_catalog(io.BytesIO(data), actor=kwargs.pop("actor", None), today=TODAY, **kwargs)


def cells(data: bytes) -> dict[str, list[tuple]]:
    """Each sheet's rows, padded to the sheet's width (a row's empty trailing cells are not stored)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    out = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        width = max((len(row) for row in rows), default=0)
        out[sheet.title] = [tuple(row) + (None,) * (width - len(row)) for row in rows]
    return out


def append(worksheet, values) -> None:
    """Append a row the way Excel keeps pasted text: a value starting with "=" stays text."""
    worksheet.append(values)
    for cell in worksheet[worksheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def letter(sheet: str, header: str) -> str:
    spec = next(s for s in SHEETS if s.name == sheet)
    return openpyxl.utils.get_column_letter([col.header for col in spec.columns].index(header) + 1)


def edit(data: bytes, *changes: tuple[str, int, str, object]) -> bytes:
    """(sheet, row, header, value): set cells of a workbook by their column header."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet, row, header, value in changes:
        workbook[sheet][f"{letter(sheet, header)}{row}"] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_of(data: bytes, code: str, number: int, sheet: str = ITEM_SHEET) -> int:
    rows = cells(data)[sheet]
    for index, row in enumerate(rows[1:], start=2):
        if row[0] == code and row[rows[0].index("版本号")] == number:
            return index
    raise AssertionError(f"{code} v{number} not in {sheet}")


def _values(obj, skip=()) -> dict:
    skip = {"id", "created_at", "updated_at", *skip}
    return {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip}


def snapshot() -> dict:
    """Every catalogue row that a round trip must restore, keyed by codes instead of ids."""
    out = {}
    for item in export_queryset():
        versions = {}
        for version in item.versions.all():
            children = {
                key: [_values(row, skip={"version"}) for row in getattr(version, key).all()]
                for key in CHILD_SHEETS
            }
            versions[version.number] = {**_values(version, skip={"item"}), "children": children}
        out[item.implementation_code] = {
            **_values(item, skip={"current_version"}),
            "current": item.current_version.number if item.current_version else None,
            "successors": sorted(s.implementation_code for s in item.successors.all()),
            "versions": versions,
        }
    return out


@pytest.fixture
def catalogue():
    """A published item with children of every kind, a retired+published+draft chain, a draft,
    a suspended item and a cancelled item with a successor."""
    department = DepartmentFactory(name="县市场监督管理局")
    full = make_item(
        department=department,
        code="FULL-001",
        name="食品经营许可",
        elements={
            "charges_fee": True,
            "fee_basis": "《行政事业性收费标准》",
            "online_payment": True,
            "delivery_modes": ["mail", "window"],
            "effective_on": dt.date(2026, 3, 1),
            "license_relation": "post",
            "reform_mode": "commitment",
            "appointment_supported": True,
            "appointment_daily_quota": 40,
            "in_hall": False,
            "acceptance_conditions": "一、材料齐全；\n二、符合法定形式。\n",
            "rights_and_obligations": "=依法享有知情权",  # text that looks like a formula stays text
        },
        fee_items=[
            {"name": "工本费", "standard": "10元/件", "basis": "价费字〔2020〕1号", "reducible": True}
        ],
        faqs=[
            {"question": "可以委托办理吗？", "answer": "可以，需提交授权委托书。", "sort_order": 1},
            {"question": "#N/A", "answer": "=A1+1", "sort_order": 2},
        ],
        steps=[
            {"name": "受理", "limit": 1},
            {
                "name": "专家评审",
                "limit": 10,
                "special_procedure": "expert_review",
                "counts_in_limit": False,
                "office": "审批科",
            },
            {"name": "决定", "limit": 2, "handler_role": "科长", "description": "审查通过后作出决定"},
        ],
    )
    chain = make_item(department=department, code="CHAIN-002", name="药品零售许可")
    draft = services.item_version_start_change(item=chain, actor=None, change_summary="压缩时限")
    services.item_version_update(
        version=draft,
        actor=None,
        elements={"promised_limit": 4},
        steps=[{"name": "受理", "limit": 1}, {"name": "审查", "limit": 2}, {"name": "决定", "limit": 1}],
    )
    services.item_version_publish(version=draft, actor=None, approving_document="测试发〔2026〕2号")
    services.item_version_start_change(item=chain, actor=None, change_summary="再次变更")
    make_item(department=department, code="DRAFT-003", publish=False, item_type="public_service")
    suspended = make_item(code="SUSP-004")
    services.item_suspend(
        item=suspended,
        actor=None,
        reason="系统升级",
        approving_document="测试发〔2026〕3号",
        resume_expected_on=dt.date(2026, 6, 1),
    )
    cancelled = make_item(code="GONE-005")
    services.item_cancel(
        item=cancelled,
        actor=None,
        cancelled_on=dt.date(2026, 4, 30),
        reason="国务院决定取消",
        approving_document="国发〔2026〕1号",
        successors=[full],
    )
    return department


def empty_catalogue() -> None:
    for item in ServiceItem.objects.all():
        item.successors.clear()
    ServiceItem.objects.update(current_version=None)
    ServiceItem.objects.all().delete()


# -- round trip -------------------------------------------------------------------------------


def test_a_round_trip_through_an_emptied_catalogue_loses_nothing(catalogue):
    before, first = snapshot(), export_bytes()
    empty_catalogue()
    assert not ItemVersion.objects.exists()

    report = run_import(first)

    assert (report.items_created, report.versions_created, report.versions_published) == (5, 7, 5)
    second = export_bytes()
    assert cells(second) == cells(first)
    assert snapshot() == before
    chain = {v.number: v.status for v in ItemVersion.objects.filter(item__implementation_code="CHAIN-002")}
    assert chain == {1: c.VersionStatus.RETIRED, 2: c.VersionStatus.PUBLISHED, 3: c.VersionStatus.DRAFT}
    assert ServiceItem.objects.get(implementation_code="GONE-005").status == c.LifecycleStatus.CANCELLED


def test_the_export_writes_labels_yes_no_iso_dates_and_every_version(catalogue):
    sheets = cells(export_bytes())
    header, *rows = sheets[ITEM_SHEET]
    row = dict(zip(header, next(r for r in rows if r[0] == "FULL-001"), strict=True))
    assert row["版本状态"] == "已发布"
    assert row["办件类型"] == "承诺件"
    assert row["送达方式"] == "邮政寄递、窗口领取"
    assert (row["是否收费"], row["进驻政务服务大厅"]) == ("是", "否")
    assert row["计划生效日期"] == "2026-03-01"
    assert row["网上办理深度"] == "三级：在线申办"
    assert row["实施主体"] == "县市场监督管理局"
    assert row["申请人权利和义务"] == "=依法享有知情权"
    assert [(r[0], r[header.index("版本号")]) for r in rows if r[0] == "CHAIN-002"] == [
        ("CHAIN-002", 1),
        ("CHAIN-002", 2),
        ("CHAIN-002", 3),
    ]
    gone = dict(zip(header, next(r for r in rows if r[0] == "GONE-005"), strict=True))
    assert (gone["事项状态"], gone["取消日期"], gone["承继事项"]) == ("已取消", "2026-04-30", "FULL-001")
    assert row["承继事项"] is None
    _faq_header, *faqs = sheets["常见问题"]
    assert ("FULL-001", 1, 2, "#N/A", "=A1+1") in faqs
    assert sheets[GUIDE_SHEET]  # the documented columns travel with the data


def test_successor_codes_are_exported_and_restored(catalogue):
    split = make_item(code="SPLIT-A")
    services.item_cancel(
        item=ServiceItem.objects.get(implementation_code="SUSP-004"),
        actor=None,
        cancelled_on=dt.date(2026, 5, 1),
        reason="拆分",
        approving_document="测试发〔2026〕9号",
        successors=[split, ServiceItem.objects.get(implementation_code="FULL-001")],
    )
    data = export_bytes()
    header, *rows = cells(data)[ITEM_SHEET]
    susp = dict(zip(header, next(r for r in rows if r[0] == "SUSP-004"), strict=True))
    assert susp["承继事项"] == "FULL-001、SPLIT-A"
    before = snapshot()
    empty_catalogue()
    run_import(data)
    assert snapshot() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(catalogue):
    data = export_bytes()
    before, journal = snapshot(), ItemOperation.objects.count()

    report = run_import(data)

    assert (report.items_unchanged, report.items_created, report.items_updated) == (5, 0, 0)
    assert (report.versions_created, report.versions_updated, report.versions_published) == (0, 0, 0)
    assert snapshot() == before
    assert ItemOperation.objects.count() == journal


def test_an_import_into_an_empty_catalogue_is_idempotent(catalogue):
    data = export_bytes()
    empty_catalogue()
    run_import(data)
    after_first = snapshot()
    report = run_import(data)
    assert report.items_unchanged == 5
    assert snapshot() == after_first


# -- what an import writes --------------------------------------------------------------------


def test_a_new_version_in_the_file_is_published_and_retires_the_old_one(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="FULL-001"))
    row = row_of(data, "FULL-001", 1)
    header, *rows = cells(data)[ITEM_SHEET]
    new_row = list(rows[row - 2])
    new_row[header.index("版本号")] = 2
    new_row[header.index("承诺办结时限")] = 3
    new_row[header.index("发布时间")] = None
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook[ITEM_SHEET][f"{letter(ITEM_SHEET, '版本状态')}{row}"] = "已停用"  # publishing v2 retires v1
    append(workbook[ITEM_SHEET], new_row)
    for spec in CHILD_SHEETS.values():
        for child in list(workbook[spec.name].iter_rows(min_row=2, values_only=True)):
            append(workbook[spec.name], [child[0], 2, *child[2:]])
    out = io.BytesIO()
    workbook.save(out)
    now = timezone.make_aware(dt.datetime(2026, 5, 6, 9, 30))

    report = run_import(out.getvalue(), now=now)

    assert (report.items_updated, report.versions_created, report.versions_published) == (1, 1, 1)
    item = ServiceItem.objects.get(implementation_code="FULL-001")
    assert (item.current_version.number, item.current_version.promised_limit) == (2, 3)
    assert item.current_version.published_at == now
    assert item.current_version.fee_items.count() == 1 and item.current_version.faqs.count() == 2
    assert item.versions.get(number=1).status == c.VersionStatus.RETIRED


def test_a_draft_is_updated_from_the_file_and_may_change_the_item_name(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="DRAFT-003"))
    changed = edit(
        data,
        (ITEM_SHEET, 2, "事项名称", "新名称"),
        (ITEM_SHEET, 2, "办理地点", "二楼 8 号窗口"),
        ("申请材料", 3, "材料名称", "身份证明"),
    )
    report = run_import(changed)
    assert (report.items_updated, report.versions_updated, report.versions_published) == (1, 1, 0)
    item = ServiceItem.objects.get(implementation_code="DRAFT-003")
    version = item.versions.get()
    assert (item.name, version.location, version.status) == ("新名称", "二楼 8 号窗口", c.VersionStatus.DRAFT)
    assert [m.name for m in version.materials.all()] == ["申请书", "身份证明"]


def test_a_draft_marked_published_in_the_file_is_published(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="DRAFT-003"))
    report = run_import(edit(data, (ITEM_SHEET, 2, "版本状态", "已发布")))
    assert report.versions_published == 1
    assert ServiceItem.objects.get(implementation_code="DRAFT-003").current_version.number == 1


def test_the_lifecycle_status_in_the_file_is_restored_and_journalled(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="DRAFT-003"))
    changed = edit(
        data,
        (ITEM_SHEET, 2, "事项状态", "暂停办理"),
        (ITEM_SHEET, 2, "暂停/取消原因", "场地改造"),
        (ITEM_SHEET, 2, "预计恢复日期", "2026-07-01"),
    )
    report = run_import(changed)
    item = ServiceItem.objects.get(implementation_code="DRAFT-003")
    assert (item.status, item.status_reason, item.resume_expected_on) == (
        c.LifecycleStatus.SUSPENDED,
        "场地改造",
        dt.date(2026, 7, 1),
    )
    assert report.items_updated == 1
    entry = ItemOperation.objects.filter(item=item).first()
    assert entry.operation == c.Operation.IMPORT and "暂停办理" in entry.note


# -- rejected files ---------------------------------------------------------------------------


def test_a_bad_file_is_rejected_whole_with_every_bad_cell_named(catalogue):
    data = export_bytes()
    full, draft = row_of(data, "FULL-001", 1), row_of(data, "DRAFT-003", 1)
    material = row_of(data, "FULL-001", 1, "申请材料")
    bad = edit(
        data,
        (ITEM_SHEET, draft, "承诺办结时限", "五天"),
        (ITEM_SHEET, draft, "办件类型", "加急件"),
        (ITEM_SHEET, draft, "事项名称", None),
        (ITEM_SHEET, draft, "支持预约", "可以"),
        (ITEM_SHEET, draft, "计划生效日期", "2026年3月1日"),
        (ITEM_SHEET, draft, "送达方式", "窗口领取、快递"),
        (ITEM_SHEET, draft, "到办事现场次数", 12),
        ("申请材料", material, "材料类型", "扫描件"),
        ("设定依据", 9, "实施编码", "NOPE-999"),
        ("设定依据", 9, "版本号", 1),
        ("设定依据", 9, "序号", 1),
        ("设定依据", 9, "依据文件", "《某条例》"),
        ("设定依据", 9, "效力层级", "法律"),
        ("常见问题", 3, "序号", 1),
        ("收费项目", 2, "收费项目名称", "费" * 129),
    )
    before, journal = snapshot(), ItemOperation.objects.count()

    with pytest.raises(CatalogImportError) as rejected:
        run_import(bad)

    lines = [str(error) for error in rejected.value.errors]
    L = letter
    expected = [
        f"事项!{L(ITEM_SHEET, '事项名称')}{draft} 事项名称：不能为空",
        f"事项!{L(ITEM_SHEET, '办件类型')}{draft} 办件类型：“加急件”不是可选值；可选：即办件、承诺件、上报件、联办件",
        f"事项!{L(ITEM_SHEET, '承诺办结时限')}{draft} 承诺办结时限：应为整数",
        f"事项!{L(ITEM_SHEET, '支持预约')}{draft} 支持预约：应为“是”或“否”",
        f"事项!{L(ITEM_SHEET, '到办事现场次数')}{draft} 到办事现场次数：不得大于9",
        f"事项!{L(ITEM_SHEET, '计划生效日期')}{draft} 计划生效日期：应为日期，格式 YYYY-MM-DD，例如 2026-09-30",
        f"申请材料!{L('申请材料', '材料类型')}{material} 材料类型：“扫描件”不是可选值；"
        "可选：原件、复印件、原件和复印件、电子材料",
        f"收费项目!{L('收费项目', '收费项目名称')}2 收费项目名称：不得超过128个字符（现有129个）",
        f"常见问题!{L('常见问题', '序号')}3 序号：序号重复（与第2行相同）",
    ]
    for line in expected:
        assert line in lines
    assert any(
        line.startswith(f"事项!{L(ITEM_SHEET, '送达方式')}{draft} 送达方式：“快递”不是可选值")
        for line in lines
    )
    assert "设定依据!A9 实施编码：“事项”表中没有实施编码为 NOPE-999 的事项" in lines
    assert rejected.value.code == "import_failed"
    assert f"事项!{L(ITEM_SHEET, '承诺办结时限')}{draft}" in rejected.value.fields
    assert rejected.value.fields[f"事项!{L(ITEM_SHEET, '承诺办结时限')}{draft}"] == ["承诺办结时限：应为整数"]
    assert snapshot() == before
    assert ItemOperation.objects.count() == journal
    assert full  # the good rows were not written either (snapshot above)


def test_an_unknown_department_region_and_item_type_are_reported(catalogue):
    template = io.BytesIO()
    write_template(template)
    row = {
        "实施编码": "NEW-100",
        "基本编码": "XK100",
        "事项名称": "新事项",
        "事项类型": "行政许可",
        "实施主体": "不存在的局",
        "实施区划代码": catalogue.region.code,
        "行使层级": "县级",
        "版本号": 1,
    }
    data = edit(template.getvalue(), *((ITEM_SHEET, 2, header, value) for header, value in row.items()))
    data = edit(
        data,
        *(
            (ITEM_SHEET, 3, h, v)
            for h, v in {**row, "实施编码": "NEW-101", "实施区划代码": "999999999999"}.items()
        ),
        *((ITEM_SHEET, 4, h, v) for h, v in {**row, "实施编码": "NEW-102", "事项类型": "行政许可证"}.items()),
    )
    with pytest.raises(CatalogImportError) as rejected:
        run_import(data)
    lines = [str(e) for e in rejected.value.errors]
    region = catalogue.region
    assert f"事项!F2 实施主体：区划 {region.code}（{region.name}）下没有名为“不存在的局”的部门" in lines
    assert "事项!G3 实施区划代码：区划代码 999999999999 不存在" in lines
    assert any(
        line.startswith("事项!E4 事项类型：“行政许可证”不是已有的事项类型；可选：行政许可") for line in lines
    )
    assert not ServiceItem.objects.filter(implementation_code__startswith="NEW-").exists()


def test_a_published_version_cannot_be_changed_by_an_import(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="CHAIN-002"))
    published = row_of(data, "CHAIN-002", 2)
    bad = edit(data, (ITEM_SHEET, published, "承诺办结时限", 2), ("办理环节", 2, "环节名称", "收件"))
    with pytest.raises(CatalogImportError) as rejected:
        run_import(bad)
    lines = [str(e) for e in rejected.value.errors]
    assert (
        f"事项!{letter(ITEM_SHEET, '承诺办结时限')}{published} 承诺办结时限：第2版已发布，不可修改；请以新版本号导入"
        in lines
    )
    assert (
        f"事项!{letter(ITEM_SHEET, '版本号')}2 版本号：第1版已停用，不可修改；请以新版本号导入（办理环节与系统中不同）"
        in lines
    )


def test_a_version_that_fails_the_publish_rules_names_its_row_and_field(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="DRAFT-003"))
    bad = edit(data, (ITEM_SHEET, 2, "版本状态", "已发布"), (ITEM_SHEET, 2, "承诺办结时限", 25))
    with pytest.raises(CatalogImportError) as rejected:
        run_import(bad)
    assert [str(e) for e in rejected.value.errors] == [
        f"事项!{letter(ITEM_SHEET, '承诺办结时限')}2 承诺办结时限：第1版无法发布，"
        "承诺办结时限（25个工作日）不得超过法定办结时限（20个工作日）。"
    ]
    assert (
        ServiceItem.objects.get(implementation_code="DRAFT-003").versions.get().status
        == c.VersionStatus.DRAFT
    )


def test_version_numbers_and_statuses_must_make_sense(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="FULL-001"))
    bad = edit(
        data,
        *(
            (ITEM_SHEET, 3, header, value)
            for header, value in {
                "实施编码": "FULL-001",
                "基本编码": cells(data)[ITEM_SHEET][1][1],
                "事项名称": "食品经营许可",
                "事项类型": "行政许可",
                "实施主体": "县市场监督管理局",
                "实施区划代码": catalogue.region.code,
                "行使层级": "县级",
                "版本号": 3,
            }.items()
        ),
    )
    with pytest.raises(CatalogImportError) as rejected:
        run_import(bad)
    assert "事项!M3 版本号：版本号不连续：应为第2版（系统中该事项最高为第1版）" in [
        str(e) for e in rejected.value.errors
    ]


def test_changing_item_information_needs_a_draft_or_a_new_version(catalogue):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="SUSP-004"))
    with pytest.raises(CatalogImportError) as rejected:
        run_import(edit(data, (ITEM_SHEET, 2, "事项名称", "改名")))
    assert [str(e) for e in rejected.value.errors] == [
        "事项!D2 事项名称：与系统中不同；修改事项信息须同时导入该事项的草稿或新版本"
    ]


def test_a_file_that_is_not_a_workbook_or_lacks_a_sheet_is_rejected(catalogue):
    with pytest.raises(CatalogImportError) as rejected:
        run_import(b"not a spreadsheet")
    assert [str(e) for e in rejected.value.errors] == ["文件 无法读取：不是有效的 Excel（.xlsx）文件"]
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes()))
    del workbook["常见问题"]
    workbook[ITEM_SHEET]["B1"] = "基本编号"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(CatalogImportError) as rejected:
        run_import(out.getvalue())
    lines = [str(e) for e in rejected.value.errors]
    assert "事项!B1 基本编号：无法识别的列名，须与模板一致" in lines
    assert "事项!1 基本编码：缺少此列" in lines
    assert any(line.startswith("常见问题 缺少此工作表") for line in lines)


def test_a_staff_member_cannot_import_items_of_a_department_outside_their_scope(catalogue):
    from zhengwu.organization.choices import Role
    from zhengwu.organization.tests.factories import UserFactory

    data = export_bytes(ServiceItem.objects.filter(implementation_code="DRAFT-003"))
    head = UserFactory(roles=[Role.DEPT_HEAD], scope=[DepartmentFactory()])
    with pytest.raises(CatalogImportError) as rejected:
        run_import(edit(data, (ITEM_SHEET, 2, "办理地点", "新地点")), actor=head)
    assert "事项!F2 实施主体：该部门不在您的数据范围内" in [str(e) for e in rejected.value.errors]


# -- export cost, template and documentation --------------------------------------------------


def test_the_export_runs_the_same_number_of_queries_for_3_and_12_items(django_assert_max_num_queries):
    department = DepartmentFactory()
    for _ in range(3):
        make_item(department=department)
    with CaptureQueriesContext(connection) as three:
        export_bytes()
    for _ in range(9):
        make_item(department=department)
    with django_assert_max_num_queries(len(three.captured_queries)):
        export_bytes()
    assert len(three.captured_queries) <= 12


def test_the_template_has_every_sheet_and_header_and_documents_every_column(db):
    stream = io.BytesIO()
    write_template(stream)
    sheets = cells(stream.getvalue())
    assert list(sheets) == [*(spec.name for spec in SHEETS), GUIDE_SHEET]
    for spec in SHEETS:
        assert sheets[spec.name] == [tuple(column.header for column in spec.columns)]
    documented = {(row[0], row[2]) for row in sheets[GUIDE_SHEET] if row and len(row) > 2}
    assert {(spec.name, col.header) for spec in SHEETS for col in spec.columns} <= documented


def test_every_column_header_appears_in_the_documentation_and_its_table_is_current():
    doc = DOC.read_text(encoding="utf-8")
    for spec in SHEETS:
        assert f"“{spec.name}”" in doc
        for column in spec.columns:
            assert column.header in doc, column.header
    assert columns_markdown() in doc, "regenerate with `zhengwu catalog template --markdown`"


def test_headers_are_unique_within_each_sheet():
    for spec in SHEETS:
        headers = [column.header for column in spec.columns]
        assert len(headers) == len(set(headers)), spec.name


def test_an_export_refuses_text_longer_than_an_excel_cell(db):
    make_item(code="LONG-1", elements={"acceptance_conditions": "条" * 40000})
    with pytest.raises(DomainError) as refused:
        export_bytes()
    assert refused.value.code == "export_failed"


# -- the command ------------------------------------------------------------------------------


def test_the_command_exports_and_imports_with_a_summary(catalogue, tmp_path):
    path = tmp_path / "catalog.xlsx"
    out = StringIO()
    call_command("catalog", "export", str(path), stdout=out)
    assert out.getvalue() == f"已导出到 {path}：共导出事项 5 个、版本 7 个。\n"
    empty_catalogue()
    out = StringIO()
    call_command("catalog", "import", str(path), stdout=out)
    assert out.getvalue() == (
        "导入完成：新增事项 5 个，更新事项 0 个，未变化 0 个；新增版本 7 个，修改草稿 0 个，发布版本 5 个。\n"
    )


def test_the_command_prints_every_bad_cell_and_refuses_with_status_2(catalogue, tmp_path):
    data = export_bytes(ServiceItem.objects.filter(implementation_code="DRAFT-003"))
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edit(data, (ITEM_SHEET, 2, "承诺办结时限", "五"), ("申请材料", 2, "必要性", "可选")))
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("catalog", "import", str(path), stdout=StringIO(), stderr=err)
    assert refused.value.returncode == 2
    assert str(refused.value) == f"导入失败：{path} 有 2 处错误，数据库未作任何修改。"
    assert err.getvalue().splitlines() == [
        f"事项!{letter(ITEM_SHEET, '承诺办结时限')}2 承诺办结时限：应为整数",
        f"申请材料!{letter('申请材料', '必要性')}2 必要性：“可选”不是可选值；可选：必要、非必要（按情形提交）、容缺可后补",
    ]
    assert snapshot() == before


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    """A migrated SQLite file the `zhengwu` script can open (the test database lives in this process only)."""
    var = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "ZHENGWU_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'cli.sqlite3'}"}
    subprocess.run([str(ZHENGWU), "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    return env


def test_the_script_refuses_a_bad_file_with_one_line_per_cell_and_status_2(cli_env, tmp_path):
    template = tmp_path / "template.xlsx"
    made = subprocess.run(
        [str(ZHENGWU), "catalog", "template", str(template)], env=cli_env, capture_output=True, text=True
    )
    assert (made.returncode, made.stdout) == (0, f"已生成空白模板：{template}\n")
    row = {
        "实施编码": "NEW-1",
        "基本编码": "XK1",
        "事项名称": "新事项",
        "事项类型": "行政许可",
        "实施主体": "某局",
        "实施区划代码": "430000000000",
        "行使层级": "县级",
        "版本号": 1,
        "承诺办结时限": "五",
    }
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edit(template.read_bytes(), *((ITEM_SHEET, 2, h, v) for h, v in row.items())))
    result = subprocess.run(
        [str(ZHENGWU), "catalog", "import", str(bad)], env=cli_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "事项!G2 实施区划代码：区划代码 430000000000 不存在",
        f"事项!{letter(ITEM_SHEET, '承诺办结时限')}2 承诺办结时限：应为整数",
        f"导入失败：{bad} 有 2 处错误，数据库未作任何修改。",
    ]
