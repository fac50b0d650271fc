"""Bundles listen to the cases app: a granted child may open the bundle's next stage (B after A's result)."""

from __future__ import annotations

import logging

from django.db import transaction

from zhengwu.domain.bundle_rules import SUCCESS

logger = logging.getLogger(__name__)


def advance_on_grant(sender, case, new_status, now, **kwargs) -> None:
    """When a child case reaches a granted status, start the next stage once the transition commits.
    Opening it runs in its own transaction: a member that cannot be applied for (its item suspended …)
    leaves the bundle 待办理下一阶段 for the window to start by hand, and never undoes the grant."""
    if new_status not in SUCCESS:
        return
    from zhengwu.bundles.models import BundleCaseChild

    bundle_case_id = (
        BundleCaseChild.objects.filter(case_id=case.pk).values_list("bundle_case_id", flat=True).first()
    )
    if bundle_case_id is None:
        return

    def advance() -> None:
        from zhengwu.bundles.models import BundleCase
        from zhengwu.bundles.services import bundle_case_advance
        from zhengwu.common.errors import DomainError

        try:
            bundle_case_advance(bundle_case=BundleCase.objects.get(pk=bundle_case_id), now=now)
        except DomainError:
            logger.warning("一件事 %s 下一阶段未能自动启动", bundle_case_id, exc_info=True)

    transaction.on_commit(advance)
