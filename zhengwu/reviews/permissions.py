"""Choke points: the only way an interface app fetches a review or a rectification on behalf of a person."""

from __future__ import annotations

from zhengwu.common.errors import NotFound
from zhengwu.metrics.permissions import can_view
from zhengwu.reviews.models import Rectification, RectificationFile, Review
from zhengwu.reviews.selectors import rectification_detail_queryset, rectification_list, review_list


def rectification_get_for_user(user, pk: int) -> Rectification:
    """A rectification of a department in the staff member's scope; 404 for anything else."""
    found = rectification_list(user=user).filter(pk=pk).values_list("pk", flat=True).first()
    rectification = rectification_detail_queryset().filter(pk=found).first() if found else None
    if rectification is None:
        raise NotFound("整改不存在或不在您的数据范围内。")
    return rectification


def review_get_for_user(user, number: str) -> Review:
    review = review_list(user=user).filter(number=number).first()
    if review is None:
        raise NotFound("评价不存在或不在您的数据范围内。")
    return review


def rectification_file_get_for_user(user, pk: int, file_id: int) -> RectificationFile:
    rectification = rectification_get_for_user(user, pk)
    file = RectificationFile.objects.filter(pk=file_id, rectification=rectification).first()
    if file is None:
        raise NotFound("文件不存在或无权访问。")
    return file


def can_view_stats(user) -> bool:
    """The review statistics are read by whoever may read the supervision metrics (scope applies)."""
    return can_view(user)
