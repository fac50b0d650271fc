"""A citizen's cases: apply online, drafts, my cases, supplements, withdrawal, my certificates.

Every case is fetched through `cases.permissions` (someone else's case is a 404), every change is a
call of `cases.services`, and every file is checked before anything is stored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.bundles.selectors import bundle_case_list_for_applicant
from zhengwu.cases import permissions, selectors, services
from zhengwu.cases.certificates import certificate_verify
from zhengwu.cases.choices import MaterialStatus
from zhengwu.cases.models import Case, CaseMaterial
from zhengwu.catalog.choices import MaterialSource
from zhengwu.catalog.selectors import item_public_get
from zhengwu.common import clock, filestore, idempotency, ratelimit
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.qr import qr_svg
from zhengwu.common.uploads import ALLOWED_KINDS_LABEL
from zhengwu.domain.masking import mask_id_number, mask_phone
from zhengwu.portal import material_uploads, timeline
from zhengwu.portal.forms import ApplicationForm, WithdrawForm, add_domain_error, labelled_errors
from zhengwu.reviews.selectors import case_open_for_review

LOGIN_URL = "portal:login"
FLAGGED = (MaterialStatus.MISSING, MaterialStatus.FAULTY)


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in at the portal with an account linked to an applicant; staff get a short explanation."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.applicant_id:
            return render(request, "portal/applicant_only.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped, login_url=LOGIN_URL)


def _case_or_404(request: HttpRequest, number: str) -> Case:
    try:
        return permissions.case_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error


def _add_files(case: Case, materials: dict[int, CaseMaterial], files, request: HttpRequest, now) -> int:
    count = 0
    for key, pending in files.items():
        for file in pending:
            services.case_file_add(
                case=case,
                material=materials[key],
                name=file.name,
                data=file.data,
                actor=request.user,
                now=now,
            )
            count += 1
    return count


# -- applying --------------------------------------------------------------------------------------


def _material_rows(materials, refused, uploaded=None, held=None):
    """(material, key, refusals, uploaded files, held certificate) for the form's one-input-per-material
    list. `held` ({material key: certificate}) marks the government-issued materials the applicant
    already holds as electronic certificates (免提交): those get no upload box."""
    held = held or {}
    rows = []
    for key, m in materials:
        certificate = getattr(m, "certificate", None)
        if certificate is None and getattr(m, "source", "") == MaterialSource.GOVERNMENT:
            certificate = held.get(selectors.material_key(m.name))
        rows.append(
            {
                "material": m,
                "key": key,
                "input": material_uploads.field_name(key),
                "errors": refused.get(key, []),
                "files": (uploaded or {}).get(key, []),
                "held": certificate,
            }
        )
    return rows


@citizen_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The online application of an item (网上申办): form, one upload per material, draft or submit."""
    try:
        item = item_public_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    version = item.current_version
    catalogue = [(m.pk, m) for m in version.materials.all()]
    refused: dict[int, list[str]] = {}
    submitting = request.POST.get("action") == "submit"
    status, retry_after = 200, 0
    nonce = idempotency.form_nonce()
    if request.method == "POST":
        form = ApplicationForm(request.POST, submitting=submitting)
        files, refused = material_uploads.collect(request.FILES, [key for key, _ in catalogue])
        limit = ratelimit.submission_check(request, "case_submit")  # shared with the API
        if not limit.allowed:
            form.is_valid()
            form.add_error(None, ratelimit.too_many_message(limit.retry_after))
            status, retry_after = 429, limit.retry_after
        elif form.is_valid() and not refused:
            with idempotency.form_once(request, request.POST.get("form_nonce", "")) as once:
                if once.replay:  # a double click or a re-post of the same form: one case only
                    messages.info(request, "该申请已经提交过，请勿重复提交。")
                    return redirect(once.replay)
                done = _apply_create(request, item, form, files, submitting, once)
            if done is not None:
                return done
    else:
        applicant = request.user.applicant
        form = ApplicationForm(initial={"contact_phone": request.user.phone or applicant.phone})
    online = version.online_depth >= 3 and item.status == "active"
    context = {
        "item": item,
        "online": online,
        "form": form,
        "form_nonce": nonce,
        "error_list": labelled_errors(form) if form.errors else [],
        "refused": bool(refused),
        "rows": _material_rows(
            catalogue,
            refused,
            held=selectors.certificates_held(applicant_id=request.user.applicant_id, today=clock.today()),
        ),
        "action_url": reverse("portal:apply", args=[item.implementation_code]),
        "kinds_label": ALLOWED_KINDS_LABEL,
        "files_lost": request.method == "POST",
    }
    response = render(request, "portal/apply.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _apply_create(request, item, form, files, submitting: bool, once) -> HttpResponse | None:
    """File the application (draft or submitted); a redirect on success, None when the form has errors."""
    now = clock.now()
    try:
        with transaction.atomic():
            case = services.case_create(
                item=item,
                applicant=request.user.applicant,
                channel="online",
                now=now,
                actor=request.user,
                form_data=form.form_data(),
                contact_phone=form.cleaned_data["contact_phone"],
                draft=True,
            )
            by_catalogue = {m.material_id: m for m in case.materials.all()}
            _add_files(case, by_catalogue, files, request, now)
            if submitting:
                services.case_submit(case=case, actor=request.user, now=now)
            once.done(reverse("portal:case_detail", args=[case.number]))
    except DomainError as error:
        add_domain_error(form, error)
        return None
    if submitting:
        messages.success(request, f"申请已提交，办件编号 {case.number}，查询码 {case.query_code}。")
    else:
        messages.success(request, f"草稿已保存（办件编号 {case.number}），可随时继续填写并提交。")
    return redirect("portal:case_detail", case.number)


@citizen_required
@require_POST
def case_draft(request: HttpRequest, number: str) -> HttpResponse:
    """Save or submit a draft: the form, more files, then (for 提交申请) case_submit."""
    case = _case_or_404(request, number)
    if case.status != "draft":
        messages.error(request, "该申请已提交，不能再修改申请表。")
        return redirect("portal:case_detail", case.number)
    submitting = request.POST.get("action") == "submit"
    if submitting:
        limit = ratelimit.submission_check(request, "case_submit")  # shared with the API
        if not limit.allowed:
            return ratelimit.too_many(limit.retry_after)
    form = ApplicationForm(request.POST, submitting=submitting)
    materials = {m.pk: m for m in case.materials.all()}
    files, refused = material_uploads.collect(request.FILES, list(materials))
    if form.is_valid() and not refused:
        now = clock.now()
        try:
            with transaction.atomic():
                services.case_form_update(
                    case=case,
                    actor=request.user,
                    form_data=form.form_data(),
                    contact_phone=form.cleaned_data["contact_phone"],
                    now=now,
                )
                _add_files(case, materials, files, request, now)
                if submitting:
                    services.case_submit(case=case, actor=request.user, now=now)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if submitting:
                messages.success(request, f"申请已提交，办件编号 {case.number}，查询码 {case.query_code}。")
            else:
                messages.success(request, "草稿已保存。")
            return redirect("portal:case_detail", case.number)
    case = _case_or_404(request, number)
    return _detail(request, case, draft_form=form, refused=refused)


# -- my cases --------------------------------------------------------------------------------------


@citizen_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list_for_applicant(user=request.user).order_by("-created_at", "-id")
    bundle_cases = bundle_case_list_for_applicant(user=request.user).order_by("-submitted_at", "-id")
    return render(request, "portal/my_cases.html", {"cases": cases, "bundle_cases": bundle_cases})


def _detail(
    request: HttpRequest,
    case: Case,
    *,
    draft_form: ApplicationForm | None = None,
    refused: dict[int, list[str]] | None = None,
    supplement_errors: list[str] | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    refused = refused or {}
    events = list(selectors.case_events(case))
    materials = list(case.materials.all())
    actions = services.case_actions_for(request.user, case)
    uploaded = {m.pk: list(m.files.all()) for m in materials}
    if draft_form is None and case.status == "draft":
        draft_form = ApplicationForm(initial=ApplicationForm.initial_from(case.form_data, case.contact_phone))
    flagged = [m for m in materials if m.status in FLAGGED]
    notice = timeline.supplement_notice(events)
    context = {
        "case": case,
        "materials": materials,
        "uploaded": uploaded,
        "timeline": timeline.entries(case, events),
        "steps": list(case.steps.all()),
        "certificate": getattr(case, "certificate", None),
        "can_review": case_open_for_review(case),
        "can_withdraw": "withdraw" in actions,
        "can_supplement": case.status == "supplement_requested" and "supplement" in actions,
        "notice": notice,
        "notice_items": (notice.data.get("items", []) if notice else []),
        "flagged_rows": _material_rows([(m.pk, m) for m in flagged], refused),
        "supplement_errors": supplement_errors or [],
        "withdraw_form": withdraw_form or WithdrawForm(),
        "draft_form": draft_form,
        "draft_errors": labelled_errors(draft_form) if draft_form is not None and draft_form.errors else [],
        "draft_rows": _material_rows([(m.pk, m) for m in materials], refused, uploaded)
        if case.status == "draft"
        else [],
        "draft_refused": bool(refused) and case.status == "draft",
        "kinds_label": ALLOWED_KINDS_LABEL,
        # The phone lives encrypted in `contact_phone`, not in the form JSON; shown masked (DOMAIN §11).
        "form_data": {**case.form_data, "联系电话": mask_phone(case.contact_phone)}
        if case.contact_phone
        else case.form_data,
    }
    return render(request, "portal/case_detail.html", context)


@citizen_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, _case_or_404(request, number))


@citizen_required
@require_POST
def case_supplement(request: HttpRequest, number: str) -> HttpResponse:
    """补正: a new file for every material the one-time notice flagged, then case_supplement."""
    case = _case_or_404(request, number)
    flagged = {m.pk: m for m in case.materials.all() if m.status in FLAGGED}
    files, refused = material_uploads.collect(request.FILES, list(flagged))
    errors: list[str] = []
    missing = [m.name for key, m in flagged.items() if key not in files and key not in refused]
    if missing:
        errors.append(f"请上传告知补正的全部材料，尚缺：{'、'.join(missing)}。")
    if refused:
        errors.append("有文件未通过检查，本次没有保存任何文件，请更换后重新提交。")
    if not errors:
        now = clock.now()
        try:
            with transaction.atomic():
                _add_files(case, flagged, files, request, now)
                services.case_supplement(
                    case=case, actor=request.user, now=now, comment=request.POST.get("comment", "").strip()
                )
        except DomainError as error:
            errors.append(error.message)
        else:
            messages.success(request, "补正材料已提交，请等待窗口工作人员审核。")
            return redirect("portal:case_detail", case.number)
    return _detail(request, _case_or_404(request, number), refused=refused, supplement_errors=errors)


@citizen_required
@require_POST
def case_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.case_withdraw(
                case=case, actor=request.user, now=clock.now(), reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "申请已撤回。")
            return redirect("portal:case_detail", case.number)
    return _detail(request, _case_or_404(request, number), withdraw_form=form)


@citizen_required
@require_GET
def case_file(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    """Download one of the files of one's own case (never served directly)."""
    try:
        file = permissions.material_file_get_for_user(request.user, number, file_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return filestore.download_response(key=file.storage_key, filename=file.original_name, mime=file.mime)


# -- certificates ----------------------------------------------------------------------------------


@citizen_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    certificates = selectors.certificate_list_for_holder(user=request.user)
    return render(request, "portal/my_certificates.html", {"certificates": certificates})


@citizen_required
@require_GET
def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The holder's certificate, printable, with the QR code of its public verification page."""
    try:
        certificate = permissions.certificate_get_for_holder(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    verification = certificate_verify(code=certificate.verification_code, today=clock.today())
    url = request.build_absolute_uri(reverse("portal:verify_code", args=[certificate.verification_code]))
    content = certificate.signed_content()
    if content.get("holder_kind") == "person":
        content["holder_id"] = mask_id_number(content.get("holder_id", ""))
    context = {
        "certificate": certificate,
        "content": content,
        "verification": verification,
        "verify_url": url,
        "qr": qr_svg(url),
    }
    return render(request, "portal/certificate.html", context)
