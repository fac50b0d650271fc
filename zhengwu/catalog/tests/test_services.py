import datetime as dt

import pytest

from zhengwu.catalog import choices as c
from zhengwu.catalog import services
from zhengwu.catalog.models import ItemOperation, ItemVersion
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_new_item_starts_as_a_draft_version_one():
    item = make_item(publish=False)
    version = item.versions.get()
    assert (version.number, version.status) == (1, c.VersionStatus.DRAFT)
    assert item.current_version is None


def test_publishing_a_valid_draft_makes_it_the_current_version():
    item = make_item()
    assert item.current_version.status == c.VersionStatus.PUBLISHED
    assert item.current_version.published_at is not None


def test_publishing_refuses_a_promise_beyond_the_statutory_limit_and_names_the_field():
    item = make_item(publish=False, elements={"promised_limit": 25})
    with pytest.raises(DomainError) as error:
        services.item_version_publish(version=item.versions.get(), actor=None)
    assert "promised_limit" in error.value.fields
    assert "不得超过法定办结时限" in error.value.message
    assert item.versions.get().status == c.VersionStatus.DRAFT


def test_a_published_version_cannot_be_edited():
    item = make_item()
    with pytest.raises(DomainError) as error:
        services.item_version_update(version=item.current_version, actor=None, elements={"promised_limit": 3})
    assert error.value.code == "immutable"
    item.current_version.refresh_from_db()
    assert item.current_version.promised_limit == 5


def test_a_change_copies_the_published_version_and_publishing_it_retires_the_old_one():
    item = make_item()
    old = item.current_version
    draft = services.item_version_start_change(item=item, actor=None, change_summary="压缩承诺时限")
    assert draft.number == 2 and draft.materials.count() == old.materials.count()
    services.item_version_update(
        version=draft, actor=None, elements={"promised_limit": 3}, steps=[{"name": "审批", "limit": 3}]
    )
    services.item_version_publish(version=draft, actor=None)
    old.refresh_from_db()
    item.refresh_from_db()
    assert old.status == c.VersionStatus.RETIRED
    assert old.promised_limit == 5
    assert item.current_version.promised_limit == 3


def test_only_one_draft_may_be_open_at_a_time():
    item = make_item()
    services.item_version_start_change(item=item, actor=None)
    with pytest.raises(DomainError) as error:
        services.item_version_start_change(item=item, actor=None)
    assert error.value.code == "draft_exists"


def test_suspending_needs_an_approving_document_and_keeps_the_item_public():
    item = make_item()
    with pytest.raises(DomainError):
        services.item_suspend(item=item, actor=None, reason="系统升级", approving_document="")
    services.item_suspend(
        item=item,
        actor=None,
        reason="系统升级",
        approving_document="益政发〔2026〕3号",
        resume_expected_on=dt.date(2026, 12, 1),
    )
    item.refresh_from_db()
    assert item.status == c.LifecycleStatus.SUSPENDED
    assert ItemOperation.objects.filter(item=item, operation=c.Operation.SUSPEND).exists()


def test_splitting_cancels_the_old_item_and_links_the_new_drafts_as_successors():
    item = make_item()
    new = services.item_split(
        item=item,
        actor=None,
        effective_on=dt.date(2026, 12, 1),
        approving_document="湘政发〔2026〕9号",
        into=[
            {"implementation_code": "SPLIT-A", "name": "甲"},
            {"implementation_code": "SPLIT-B", "name": "乙"},
        ],
    )
    item.refresh_from_db()
    assert item.status == c.LifecycleStatus.CANCELLED
    assert set(item.successors.values_list("implementation_code", flat=True)) == {"SPLIT-A", "SPLIT-B"}
    assert all(n.versions.get().materials.count() == 2 for n in new)


def test_merging_cancels_every_source_item():
    a, b = make_item(), make_item()
    merged = services.item_merge(
        items=[a, b],
        actor=None,
        into={"implementation_code": "MERGED", "name": "合并事项"},
        effective_on=dt.date(2026, 12, 1),
        approving_document="湘政发〔2026〕9号",
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == c.LifecycleStatus.CANCELLED
    assert merged.predecessors.count() == 2


def test_a_duplicate_implementation_code_is_refused():
    item = make_item()
    with pytest.raises(DomainError) as error:
        make_item(code=item.implementation_code)
    assert "implementation_code" in error.value.fields
    assert ItemVersion.objects.count() == 1
