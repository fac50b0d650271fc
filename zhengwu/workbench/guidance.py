"""智能导办 for window staff: the portal's wizard and notice in the workbench frame.

`/workbench/guidance/<code>/` guides an applicant at the window through the published version;
`?draft=1` previews the draft of an item in the staff member's scope, with every validation problem
listed (notices are only issued from published versions).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from zhengwu.catalog.choices import VersionStatus
from zhengwu.catalog.selectors import item_get_for_user
from zhengwu.common.errors import NotFound
from zhengwu.guidance.choices import NoticeChannel
from zhengwu.portal.guidance_views import (
    Frame,
    notice_create_response,
    notice_response,
    published_item_or_404,
    wizard_response,
)
from zhengwu.workbench.access import staff_required

WORKBENCH = Frame("workbench/base.html", "workbench_guidance", NoticeChannel.WINDOW, staff=True)


@require_GET
@staff_required
def wizard(request: HttpRequest, code: str) -> HttpResponse:
    if request.GET.get("draft"):
        try:
            item = item_get_for_user(user=request.user, implementation_code=code)
        except NotFound as error:
            raise Http404(error.message) from error
        draft = next((v for v in item.versions.all() if v.status == VersionStatus.DRAFT), None)
        if draft is None:
            raise Http404("该事项没有草稿版本。")
        return wizard_response(request, item=item, version=draft, frame=WORKBENCH, preview=True)
    item = published_item_or_404(code)
    return wizard_response(request, item=item, version=item.current_version, frame=WORKBENCH)


@require_POST
@staff_required
def notice_create(request: HttpRequest, code: str) -> HttpResponse:
    return notice_create_response(request, item=published_item_or_404(code), frame=WORKBENCH)


@require_GET
@staff_required
def notice(request: HttpRequest, number: str) -> HttpResponse:
    return notice_response(request, number=number, frame=WORKBENCH)
