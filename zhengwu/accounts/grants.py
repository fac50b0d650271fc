"""The security administrator's screen for roles and data scopes (三员, SECURITY.md 8.1.4.2 d–g, 8.1.5).

The system administrator creates, edits and deactivates staff accounts in the admin site, where roles and
scopes are shown read-only; assigning them is the security administrator's, here. Each save goes through
`organization.services.user_set_roles` / `user_set_scope` (三权分立 checked, audited as `role.change` /
`scope.change`). The security administrator reaches the staff accounts of their own data scope, grants
scopes within it only (entries of the account beyond it are kept as they are), and never edits their own
account. Citizens' 网上办事 accounts have no roles and are not listed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhengwu.accounts.permissions import can_grant_roles
from zhengwu.common.errors import DomainError
from zhengwu.domain.masking import mask_name
from zhengwu.organization.choices import Role
from zhengwu.organization.models import DataScope, Department, Region, User
from zhengwu.organization.selectors import (
    department_list,
    region_scope_q,
    sees_everything,
    staff_list,
)
from zhengwu.organization.services import user_set_roles, user_set_scope


def _gate(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('workbench:login')}?next={request.path}")
    if not can_grant_roles(request.user):
        raise Http404("页面不存在")
    return None


def _accounts(user) -> QuerySet[User]:
    return staff_list(user=user).filter(applicant__isnull=True).prefetch_related("scopes__region")


def _regions_within_reach(user) -> QuerySet[Region]:
    qs = Region.objects.all()
    return qs if sees_everything(user) else qs.filter(region_scope_q(user))


def _departments_within_reach(user) -> QuerySet[Department]:
    return department_list(user=user)


class GrantForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.ModelMultipleChoiceField(
        label="区划", queryset=Region.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    departments = forms.ModelMultipleChoiceField(
        label="部门", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    include_descendants = forms.BooleanField(label="区划含下级区划", required=False, initial=True)

    def __init__(self, *args: Any, granter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = _regions_within_reach(granter)
        self.fields["departments"].queryset = _departments_within_reach(granter).order_by(
            "region__path", "name"
        )
        for field in self.fields.values():
            field.error_messages.update(
                {"invalid_choice": "选项无效或超出您的数据范围。", "invalid_pk_value": "选项无效。"}
            )


def _initial(target: User) -> dict[str, Any]:
    scopes = list(target.scopes.all())
    regions = [s.region_id for s in scopes if s.region_id]
    return {
        "roles": sorted(target.role_set),
        "regions": regions,
        "departments": [s.department_id for s in scopes if s.department_id],
        "include_descendants": all(s.include_descendants for s in scopes if s.region_id) if regions else True,
    }


def _kept_beyond_reach(target: User, form: GrantForm) -> tuple[list[Region], list[Department]]:
    """The target's scope entries the granter cannot see: kept unchanged."""
    reach_regions = set(form.fields["regions"].queryset.values_list("pk", flat=True))
    reach_departments = set(form.fields["departments"].queryset.values_list("pk", flat=True))
    scopes = DataScope.objects.filter(user=target).select_related("region", "department")
    regions = [s.region for s in scopes if s.region_id and s.region_id not in reach_regions]
    departments = [
        s.department for s in scopes if s.department_id and s.department_id not in reach_departments
    ]
    return regions, departments


@never_cache
@require_http_methods(["GET"])
def grant_list(request: HttpRequest) -> HttpResponse:
    if (response := _gate(request)) is not None:
        return response
    accounts = _accounts(request.user)
    query = request.GET.get("q", "").strip()[:64]
    if query:
        accounts = accounts.filter(username__icontains=query)
    page = Paginator(accounts.order_by("username"), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "user": account,
            "name": mask_name(account.full_name),
            "roles": "、".join(r.get_role_display() for r in account.roles.all()) or "—",
            "scopes": "、".join(str(s) for s in account.scopes.all()) or "—",
            "own": account.pk == request.user.pk,
        }
        for account in page
    ]
    return render(request, "accounts/grant_list.html", {"rows": rows, "page": page, "q": query})


@never_cache
@require_http_methods(["GET", "POST"])
def grant_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    if (response := _gate(request)) is not None:
        return response
    target = _accounts(request.user).filter(pk=user_id).first()
    if target is None:
        raise Http404("账号不存在或不在您的数据范围内。")
    own = target.pk == request.user.pk
    form = GrantForm(
        request.POST if request.method == "POST" else None, granter=request.user, initial=_initial(target)
    )
    status = 200
    if request.method == "POST":
        if own:
            form.add_error(None, "三权分立：不能为自己的账号分配角色或数据范围。")
            status = 403
        elif form.is_valid():
            try:
                _save(request, target, form)
            except DomainError as error:
                for name, messages in error.fields.items():
                    for message in messages:
                        form.add_error(name if name in form.fields else None, message)
                if not error.fields:
                    form.add_error(None, error.message)
            else:
                return redirect(f"{reverse('accounts:grant_list')}?q={target.username}")
        if form.errors and status == 200:
            status = 400
    context = {"target": target, "name": mask_name(target.full_name), "form": form, "own": own}
    return render(request, "accounts/grant_edit.html", context, status=status)


@transaction.atomic
def _save(request: HttpRequest, target: User, form: GrantForm) -> None:
    data = form.cleaned_data
    kept_regions, kept_departments = _kept_beyond_reach(target, form)
    regions = [*kept_regions, *data["regions"]]
    departments = [*kept_departments, *data["departments"]]
    if sorted(data["roles"]) != sorted(target.role_set):
        user_set_roles(user=target, roles=list(data["roles"]), actor=request.user)
    before = _initial(target)
    changed = (
        sorted(r.pk for r in regions) != sorted(before["regions"])
        or sorted(d.pk for d in departments) != sorted(before["departments"])
        or (regions and data["include_descendants"] != before["include_descendants"])
    )
    if changed:
        user_set_scope(
            user=target,
            regions=regions,
            departments=departments,
            include_descendants=data["include_descendants"],
            actor=request.user,
        )
