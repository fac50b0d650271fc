"""Signals of bundles.

- Received: `cases.case_transitioned` — a granted child may open the bundle's next stage (B after A's
  result), and a finished child may finish the bundle case (its end date and working days are recorded).
- Sent, inside the change's transaction: `bundle_case_submitted(bundle_case)` and
  `bundle_case_finished(bundle_case)`, for apps that count bundles (metrics).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

from zhengwu.domain.bundle_rules import SUCCESS, BundleStatus
from zhengwu.domain.case_flow import FINISHED

bundle_case_submitted = Signal()
bundle_case_finished = Signal()

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


def record_finish(sender, case, new_status, now, **kwargs) -> None:
    """When a child finishes, derive the bundle's state; the first time it is finished (every child
    done and no later stage can start) record the date, the working days end to end and the outcome."""
    if new_status not in FINISHED:
        return
    from zhengwu.bundles.models import BundleCase, BundleCaseChild
    from zhengwu.bundles.selectors import bundle_case_queryset, bundle_case_state
    from zhengwu.common.clock import LOCAL_TZ

    bundle_case_id = (
        BundleCaseChild.objects.filter(case_id=case.pk).values_list("bundle_case_id", flat=True).first()
    )
    if bundle_case_id is None:
        return
    bundle_case = bundle_case_queryset().get(pk=bundle_case_id)
    if bundle_case.finished_on is not None:
        return
    today = now.astimezone(LOCAL_TZ).date()
    state = bundle_case_state(bundle_case, today=today)
    if not state.finished:
        return
    bundle_case.finished_on = state.timing.finished or today
    bundle_case.used_workdays = state.timing.used
    bundle_case.succeeded = state.status == BundleStatus.FINISHED
    BundleCase.objects.filter(pk=bundle_case.pk).update(
        finished_on=bundle_case.finished_on,
        used_workdays=bundle_case.used_workdays,
        succeeded=bundle_case.succeeded,
    )
    bundle_case_finished.send(sender=BundleCase, bundle_case=bundle_case)
