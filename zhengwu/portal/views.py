"""Public pages: the item list and the printable service guide. No login, published data only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengwu.catalog.choices import DeliveryMode
from zhengwu.catalog.filtersets import PublicItemFilter
from zhengwu.catalog.selectors import item_public_get
from zhengwu.common.errors import NotFound
from zhengwu.domain.catalog_rules import format_guide_limit

PAGE_SIZE = 20


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    filterset = PublicItemFilter(request.GET or None)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "errors": filterset.errors_in_chinese(),
    }
    template = "portal/_item_results.html" if request.headers.get("HX-Request") else "portal/item_list.html"
    return render(request, template, context)


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = item_public_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    v = item.current_version
    delivery = dict(DeliveryMode.choices)
    context = {
        "item": item,
        "legal_limit_text": format_guide_limit("promised", v.legal_limit, v.legal_limit_unit),
        "promised_limit_text": format_guide_limit(v.case_kind, v.promised_limit, v.promised_limit_unit),
        "delivery_text": "、".join(delivery.get(m, m) for m in v.delivery_modes) or "—",
    }
    return render(request, "portal/item_detail.html", context)
