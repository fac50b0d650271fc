"""12345 at the portal: the public ticket progress query (number + query code), the 市长信箱 (write a
letter; read the published letters) and the online consultation of an item's guide page (ask a
question; read the answered questions the centre published as FAQ).

No page needs a sign-in; every write is rate-limited per address and is one call of
`hotline.services`. Nothing here shows a caller's name or phone number.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.catalog.selectors import item_public_get
from zhengwu.common import clock, idempotency, ratelimit
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.hotline import choices as c
from zhengwu.hotline import selectors, services, uploads
from zhengwu.hotline.models import HotlineCentre, Ticket
from zhengwu.organization.models import Region
from zhengwu.portal.forms import PHONE_TEXT_RE, add_domain_error, labelled_errors

PROGRESS_PER_MINUTE = 30  # the same limit as the API: query codes cannot be enumerated
WRITES_PER_MINUTE = 5
PROGRESS_NOT_FOUND = "工单编号或查询码不正确，请核对后重新输入。"
TOO_MANY = "提交过于频繁，请一分钟后再试。"
# The public journal: which steps a writer sees (no names, no internal notes).
PUBLIC_STEPS = {
    "create": "已受理",
    "dispatch": "已转交承办单位",
    "accept_return": "已转交承办单位",
    "sign": "承办单位已签收",
    "reply": "承办单位已答复",
    "answer_directly": "已答复并办结",
    "close": "已办结",
    "call_back": "已回访",
    "reopen": "重新办理",
    "merge": "与相同诉求合并办理",
}


def _ip(request: HttpRequest) -> str:
    return ratelimit.client_ip(request)  # behind the trusted proxy, the citizen's address, not the proxy's


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not PHONE_TEXT_RE.match(value):
        raise forms.ValidationError("请填写正确的联系电话（7–20 位数字）。")
    return value


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`<input type=file multiple>`); cleans to a list, maybe empty."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": uploads.ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]  # checked by the form's clean_files


class TicketProgressForm(forms.Form):
    number = forms.CharField(
        label="工单编号",
        max_length=40,
        error_messages={"required": "请填写工单编号。"},
        widget=forms.TextInput(attrs={"placeholder": "如 RX-430900-20261130-000001"}),
    )
    query_code = forms.CharField(
        label="查询码",
        max_length=8,
        error_messages={"required": "请填写查询码。"},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class LetterForm(forms.Form):
    region = forms.ModelChoiceField(
        label="来信区域",
        queryset=None,
        empty_label="请选择",
        error_messages={"required": "请选择来信区域。", "invalid_choice": "来信区域无效，请重新选择。"},
    )
    category = forms.ChoiceField(
        label="来信类别",
        choices=c.Category.choices,
        error_messages={"required": "请选择来信类别。", "invalid_choice": "来信类别无效，请重新选择。"},
    )
    title = forms.CharField(
        label="标题",
        max_length=128,
        error_messages={"required": "请填写标题。", "max_length": "标题最多 128 字。"},
    )
    content = forms.CharField(
        label="来信内容",
        max_length=services.MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "请填写来信内容。",
            "max_length": f"来信内容最多 {services.MAX_CONTENT} 字。",
        },
    )
    location = forms.CharField(label="事发地点", max_length=255, required=False)
    caller_name = forms.CharField(label="姓名", max_length=64, error_messages={"required": "请填写姓名。"})
    caller_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="仅用于答复和回访，不会公开。",
        error_messages={"required": "请填写联系电话。"},
    )
    confidential = forms.BooleanField(label="要求对承办单位保密我的身份", required=False)
    publish_consent = forms.BooleanField(
        label="同意在答复后公开来信和答复（不公开姓名和电话）", required=False
    )
    files = MultipleFileField(
        label="附件",
        help_text=f"可选。照片或材料，支持 PDF、JPG、PNG、OFD、DOCX、XLSX，最多 {services.MAX_FILES_PER_TICKET} 个；"
        "附件不随来信公开。",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            pk__in=HotlineCentre.objects.values("region_id")
        ).order_by("path")

    def clean_caller_phone(self) -> str:
        return _phone(self.cleaned_data["caller_phone"])

    def clean_files(self) -> list[uploads.PendingFile]:
        """Every file checked before anything is written; the refusals listed, one per file."""
        pending, refused = uploads.collect(self.cleaned_data.get("files") or [])
        if refused:
            raise forms.ValidationError(refused)
        return pending


class QuestionForm(forms.Form):
    title = forms.CharField(
        label="问题摘要",
        max_length=128,
        error_messages={"required": "请填写问题摘要。", "max_length": "问题摘要最多 128 字。"},
    )
    content = forms.CharField(
        label="问题详情",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写问题详情。", "max_length": "问题详情最多 2000 字。"},
    )
    caller_name = forms.CharField(label="姓名", max_length=64, error_messages={"required": "请填写姓名。"})
    caller_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="仅用于答复，不会公开。",
        error_messages={"required": "请填写联系电话。"},
    )

    def clean_caller_phone(self) -> str:
        return _phone(self.cleaned_data["caller_phone"])


def _public_steps(ticket) -> list[dict]:
    steps = []
    for event in ticket.events.all().order_by("at", "id"):
        label = PUBLIC_STEPS.get(event.action)
        if label:
            steps.append({"at": event.at, "label": label})
    return steps


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """12345工单进度查询: status, handling unit, dates, public steps and the reply; no caller data."""
    data = request.POST if request.method == "POST" else (request.GET if "number" in request.GET else None)
    form = TicketProgressForm(data)
    context: dict = {"form": form, "ticket": None, "not_found": ""}
    if data is not None and not ratelimit.allow("hotline_progress", _ip(request), limit=PROGRESS_PER_MINUTE):
        context["not_found"] = "查询过于频繁，请一分钟后再试。"
    elif data is not None and form.is_valid():
        try:
            ticket = selectors.ticket_progress(
                number=form.cleaned_data["number"], query_code=form.cleaned_data["query_code"]
            )
        except NotFound:
            context["not_found"] = PROGRESS_NOT_FOUND
        else:
            context.update(ticket=ticket, steps=_public_steps(ticket))
    context["htmx"] = bool(request.headers.get("HX-Request"))
    template = "hotline/_progress_result.html" if context["htmx"] else "hotline/progress.html"
    return render(request, template, context)


def _letter_create(d: dict):
    now = clock.now()
    ticket = services.ticket_create(
        channel=c.Channel.MAILBOX,
        category=d["category"],
        title=d["title"],
        content=d["content"],
        region=d["region"],
        location=d["location"],
        caller_name=d["caller_name"],
        caller_phone=d["caller_phone"],
        confidential=d["confidential"],
        publish_consent=d["publish_consent"],
        now=now,
    )
    for file in d["files"]:
        services.ticket_file_add(ticket=ticket, name=file.name, data=file.data, actor=None, now=now)
    return ticket


@never_cache
@require_http_methods(["GET", "POST"])
def mailbox_write(request: HttpRequest) -> HttpResponse:
    """写信给市长: the letter becomes a 市长信箱 ticket at the 12345 centre of the chosen region."""
    form = LetterForm(request.POST, request.FILES) if request.method == "POST" else LetterForm()
    status, retry_after = 200, 0
    if request.method == "POST":
        limit = ratelimit.check("hotline_write", _ip(request), limit=WRITES_PER_MINUTE)
        if not limit.allowed:
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status, retry_after = 429, limit.retry_after
        elif form.is_valid():
            d = form.cleaned_data
            # a double-clicked 提交 sends the same one-time nonce: one letter, the same answer twice
            with idempotency.form_once(request, request.POST.get("form_nonce", "")) as once:
                if once.replay:
                    ticket = Ticket.objects.get(number=once.replay)
                    return render(request, "hotline/sent.html", {"ticket": ticket, "what": "letter"})
                try:
                    with transaction.atomic():  # the letter and its files together, or nothing
                        ticket = _letter_create(d)
                        once.done(ticket.number)
                except DomainError as error:
                    add_domain_error(form, error)
                    status = error.status_code
                else:
                    return render(request, "hotline/sent.html", {"ticket": ticket, "what": "letter"})
        else:
            status = 400
    context = {
        "form": form,
        "error_list": labelled_errors(form) if form.is_bound else [],
        "form_nonce": idempotency.form_nonce(),
    }
    response = render(request, "hotline/mailbox_write.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
def mailbox(request: HttpRequest) -> HttpResponse:
    """公开来信: replied letters whose writers agreed to publication, newest reply first, anonymised."""
    page = Paginator(selectors.published_letters(), 20).get_page(request.GET.get("page"))
    return render(request, "hotline/mailbox.html", {"page": page})


def _item_or_404(code: str):
    try:
        return item_public_get(code)
    except NotFound as error:
        raise Http404(error.message) from error


@never_cache
@require_http_methods(["GET", "POST"])
def item_ask(request: HttpRequest, code: str) -> HttpResponse:
    """网上咨询: a question on an item's guide page becomes a 咨询 ticket at the item's department."""
    item = _item_or_404(code)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not ratelimit.allow("hotline_ask", _ip(request), limit=WRITES_PER_MINUTE):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            d = form.cleaned_data
            try:
                ticket = services.ticket_ask_about_item(
                    item=item,
                    title=d["title"],
                    content=d["content"],
                    caller_name=d["caller_name"],
                    caller_phone=d["caller_phone"],
                    now=clock.now(),
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status_code
            else:
                return render(
                    request, "hotline/sent.html", {"ticket": ticket, "what": "question", "item": item}
                )
        else:
            status = 400
    context = {"item": item, "form": form, "error_list": labelled_errors(form) if form.is_bound else []}
    return render(request, "hotline/ask.html", context, status=status)


@require_GET
def item_faq(request: HttpRequest, code: str) -> HttpResponse:
    """The item's answered online questions published as FAQ (an htmx fragment on the guide page)."""
    item = _item_or_404(code)
    context = {"item": item, "faqs": selectors.item_faq(item=item).select_related("department")[:20]}
    template = "hotline/_item_faq.html" if request.headers.get("HX-Request") else "hotline/item_faq.html"
    return render(request, template, context)


# Included by zhengwu/portal/urls.py (names in the portal namespace).
urlpatterns = [
    path("hotline/progress/", progress, name="hotline_progress"),
    path("hotline/mailbox/", mailbox, name="hotline_mailbox"),
    path("hotline/mailbox/write/", mailbox_write, name="hotline_mailbox_write"),
    path("items/<str:code>/ask/", item_ask, name="item_ask"),
    path("items/<str:code>/faq/", item_faq, name="item_faq"),
]
