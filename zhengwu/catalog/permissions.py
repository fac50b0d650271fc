"""Who may maintain the catalogue, and the choke point that fetches an item for them."""

from __future__ import annotations

from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.selectors import item_get_for_user
from zhengwu.common.errors import PermissionDenied
from zhengwu.organization.choices import Role

# The approval bureau's catalogue staff and department heads draft and publish; the rest read.
MAINTAINER_ROLES = (Role.SYSTEM_ADMIN, Role.DEPT_HEAD)


def can_maintain_catalog(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*MAINTAINER_ROLES)))


def item_get_for_maintainer(user, implementation_code: str) -> ServiceItem:
    """The item if the user maintains the catalogue and the item's department is in their scope."""
    if not can_maintain_catalog(user):
        raise PermissionDenied("只有系统管理员或部门负责人可以维护事项目录。")
    return item_get_for_user(user=user, implementation_code=implementation_code)
