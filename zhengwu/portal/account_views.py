"""Citizen accounts (网上办事): register with a mobile number, sign in, sign out.

Staff sign in at the workbench; a staff account may sign in here too, but the case pages of the
portal are for accounts linked to an applicant.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhengwu.accounts.views import ThrottledLoginMixin
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.organization.services import citizen_register
from zhengwu.portal.forms import CitizenLoginForm, RegisterForm, add_domain_error, labelled_errors


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = citizen_register(
                phone=data["phone"],
                password=data["password"],
                name=data["name"],
                id_number=data["id_number"],
                today=clock.today(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"注册成功，欢迎您，{user.full_name}。")
            return redirect("portal:my_cases")
    return render(
        request,
        "portal/register.html",
        {"form": form, "error_list": labelled_errors(form) if form.errors else []},
    )


class LoginView(ThrottledLoginMixin, auth_views.LoginView):
    """Lockout, address throttling and (for a staff account with a device) the second factor: zhengwu/accounts."""

    template_name = "portal/login.html"
    authentication_form = CitizenLoginForm

    def get_default_redirect_url(self) -> str:
        return reverse("portal:my_cases")


class LogoutView(auth_views.LogoutView):
    next_page = "portal:item_list"
