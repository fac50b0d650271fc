"""`StaffCaseFilter` serves the workbench case lists and `GET /api/v1/cases/`: one class, no drift."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from zhengwu.cases import choices as c
from zhengwu.cases.models import Case
from zhengwu.cases.selectors import case_list, case_queue
from zhengwu.common.filtersets import SelectorFilterSet
from zhengwu.domain.case_flow import FINISHED

QUEUE_CHOICES = [("mine", "我的待办"), ("department", "部门待办"), ("all", "全部办件")]


class StaffCaseFilter(SelectorFilterSet):
    """Cases in the caller's data scope; needs `request`."""

    search = django_filters.CharFilter(label="关键词（办件编号、事项或申请人）", max_length=50)
    queue = django_filters.ChoiceFilter(label="范围", choices=QUEUE_CHOICES, empty_label="全部办件")
    status = django_filters.ChoiceFilter(
        label="办件状态", choices=c.CaseStatus.choices, empty_label="全部状态"
    )
    warning = django_filters.ChoiceFilter(label="预警", choices=c.WarningLevel.choices, empty_label="全部")
    channel = django_filters.ChoiceFilter(label="申报渠道", choices=c.Channel.choices, empty_label="全部渠道")
    received_from = django_filters.DateFilter(label="收件日期起")
    received_to = django_filters.DateFilter(label="收件日期止")
    open = django_filters.BooleanFilter(label="仅未办结")

    class Meta:
        model = Case
        fields: list[str] = []

    def select(self, data: dict[str, Any]) -> QuerySet[Case]:
        if self.request is None:
            raise ImproperlyConfigured("StaffCaseFilter needs request= to know whose scope to apply.")
        user = self.request.user
        queue = data.get("queue") or "all"
        qs = case_list(user=user) if queue == "all" else case_queue(user=user, mine=queue == "mine")
        search = (data.get("search") or "").strip()
        if search:
            qs = qs.filter(
                Q(number__startswith=search) | Q(item__name__contains=search) | Q(applicant__name=search)
            )
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("warning"):
            qs = qs.filter(warning=data["warning"])
        if data.get("channel"):
            qs = qs.filter(channel=data["channel"])
        if data.get("received_from"):
            qs = qs.filter(received_on__gte=data["received_from"])
        if data.get("received_to"):
            qs = qs.filter(received_on__lte=data["received_to"])
        if data.get("open"):
            qs = qs.exclude(status__in=[s.value for s in FINISHED])
        return qs.order_by("-received_at", "-id")
