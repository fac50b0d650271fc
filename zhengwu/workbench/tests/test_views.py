import pytest
from django.urls import reverse

from zhengwu.catalog.choices import LifecycleStatus, VersionStatus
from zhengwu.catalog.tests.factories import make_item
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return RegionFactory(code="430903000000", name="赫山区")


@pytest.fixture
def head(client, county):
    department = DepartmentFactory(region=county)
    user = UserFactory(roles=[Role.DEPT_HEAD], scope=[county], department=department)
    client.force_login(user)
    return user


def test_the_workbench_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and reverse("workbench:login") in response.url


def test_login_with_a_wrong_password_says_so_in_chinese(client):
    UserFactory(username="clerk")
    response = client.post(reverse("workbench:login"), {"username": "clerk", "password": "wrong"})
    assert "用户名或密码错误" in response.content.decode()


def test_the_home_page_shows_the_roles_and_counts_in_scope(client, head):
    make_item(department=head.department)
    page = client.get(reverse("workbench:home")).content.decode()
    assert "部门负责人" in page and "赫山区" in page


def test_the_item_list_shows_only_items_in_scope(client, head):
    make_item(department=head.department, name="本区事项")
    make_item(name="外区事项")
    page = client.get(reverse("workbench:item_list")).content.decode()
    assert "本区事项" in page and "外区事项" not in page


def test_the_item_list_runs_a_fixed_number_of_queries(client, head, django_assert_max_num_queries):
    for _ in range(3):
        make_item(department=head.department)
    with django_assert_max_num_queries(12):
        client.get(reverse("workbench:item_list"))
    for _ in range(12):
        make_item(department=head.department)
    with django_assert_max_num_queries(12):
        client.get(reverse("workbench:item_list"))


def test_an_item_outside_the_scope_is_not_found(client, head):
    other = make_item()
    assert client.get(reverse("workbench:item_detail", args=[other.implementation_code])).status_code == 404


def test_a_department_head_publishes_a_valid_draft(client, head):
    item = make_item(department=head.department, publish=False)
    url = reverse("workbench:item_action", args=[item.implementation_code, "publish"])
    client.post(url, {"approving_document": "益审改〔2026〕1号"})
    assert item.versions.get().status == VersionStatus.PUBLISHED


def test_publishing_an_invalid_draft_shows_the_broken_rules_and_changes_nothing(client, head):
    item = make_item(department=head.department, publish=False, elements={"promised_limit": 30})
    url = reverse("workbench:item_action", args=[item.implementation_code, "publish"])
    page = client.post(url, follow=True).content.decode()
    assert "不得超过法定办结时限" in page
    assert item.versions.get().status == VersionStatus.DRAFT


def test_a_clerk_may_not_publish(client, county):
    clerk = UserFactory(roles=[Role.WINDOW_CLERK], scope=[county])
    item = make_item(department=DepartmentFactory(region=county), publish=False)
    client.force_login(clerk)
    page = client.post(
        reverse("workbench:item_action", args=[item.implementation_code, "publish"]), follow=True
    )
    assert "只有系统管理员或部门负责人" in page.content.decode()
    assert item.versions.get().status == VersionStatus.DRAFT


def test_suspending_with_a_bad_date_gives_a_chinese_message(client, head):
    item = make_item(department=head.department)
    url = reverse("workbench:item_action", args=[item.implementation_code, "suspend"])
    page = client.post(
        url, {"reason": "升级", "approving_document": "文号", "resume_expected_on": "明天"}, follow=True
    )
    assert "YYYY-MM-DD" in page.content.decode()
    item.refresh_from_db()
    assert item.status == LifecycleStatus.ACTIVE


def test_a_department_head_suspends_an_item(client, head):
    item = make_item(department=head.department)
    url = reverse("workbench:item_action", args=[item.implementation_code, "suspend"])
    client.post(
        url,
        {"reason": "系统升级", "approving_document": "益政办〔2026〕5号", "resume_expected_on": "2026-12-01"},
    )
    item.refresh_from_db()
    assert item.status == LifecycleStatus.SUSPENDED


def test_the_admin_site_speaks_chinese_and_lists_only_scoped_versions(client, head):
    make_item(department=head.department, name="本区事项", publish=False)
    make_item(name="外区事项", publish=False)
    page = client.get(reverse("admin:catalog_itemversion_changelist")).content.decode()
    assert "事项版本" in page and "本区事项" in page and "外区事项" not in page


def test_a_published_version_is_read_only_in_the_admin(client, head):
    item = make_item(department=head.department)
    url = reverse("admin:catalog_itemversion_change", args=[item.current_version.pk])
    response = client.post(url, {"promised_limit": 1})
    item.current_version.refresh_from_db()
    assert item.current_version.promised_limit == 5
    assert response.status_code in (200, 403)
