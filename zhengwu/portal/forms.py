"""Forms of the citizen pages. They parse and check input; the services own every rule."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from zhengwu.common.errors import DomainError

PHONE_TEXT_RE = re.compile(r"^[0-9+\-（）() ]{7,20}$")

# The generic application form: each field is kept in Case.form_data under its Chinese label, so any
# page (portal, workbench, export) can show it without a label table.
FORM_DATA_FIELDS = {"description": "申请事项说明", "address": "联系地址", "contact_phone": "联系电话"}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's DomainError on the form: each message under its field, the rest on the form."""
    placed = False
    for field, messages in (error.fields or {}).items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def labelled_errors(form: forms.Form) -> list[str]:
    """Every error as "字段：说明", so a summary at the top names the field it is about."""
    out = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        label = form.fields[name].label if name in form.fields else name
        out.extend(f"{label}：{message}" for message in errors)
    return out


class RegisterForm(forms.Form):
    phone = forms.CharField(
        label="手机号码",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    name = forms.CharField(
        label="姓名", max_length=64, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(label="居民身份证号码", max_length=18)
    password = forms.CharField(
        label="密码",
        strip=False,
        help_text="至少 8 位，不能全是数字，也不能过于常见。",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "两次输入的密码不一致。")
        return data


class CitizenLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "手机号码或密码错误，请重新输入。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "手机号码"
        self.fields["username"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "tel"})
        self.fields["password"].label = "密码"


class ApplicationForm(forms.Form):
    """申请表. A draft may be saved half-filled; submitting needs the description and a phone number."""

    description = forms.CharField(
        label="申请事项说明",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "简要说明申请内容，如经营场所、经营项目等"}),
    )
    address = forms.CharField(label="联系地址", max_length=255, required=False)
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    @classmethod
    def initial_from(cls, form_data: dict[str, Any], phone: str = "") -> dict[str, str]:
        initial = {key: str(form_data.get(label, "")) for key, label in FORM_DATA_FIELDS.items()}
        initial["contact_phone"] = phone or initial["contact_phone"]
        return initial

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not PHONE_TEXT_RE.match(phone):
            raise forms.ValidationError("联系电话格式不正确，请填写手机号码或带区号的固定电话。")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.submitting:
            for name in ("description", "contact_phone"):
                if name not in self.errors and not (data.get(name) or "").strip():
                    self.add_error(name, f"提交申请须填写{self.fields[name].label}。")
        return data

    def form_data(self) -> dict[str, str]:
        """The form's answers for `Case.form_data`, without the phone: `Case.contact_phone` holds it,
        encrypted (zhengwu.common.pii); a copy in the JSON would be plaintext at rest."""
        return {
            label: self.cleaned_data.get(key, "").strip()
            for key, label in FORM_DATA_FIELDS.items()
            if key != "contact_phone"
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=500,
        error_messages={"required": "请填写撤回原因。"},
        widget=forms.TextInput(attrs={"placeholder": "例如：材料需要重新准备"}),
    )


class ProgressForm(forms.Form):
    number = forms.CharField(
        label="办件编号",
        max_length=40,
        error_messages={"required": "请填写办件编号。"},
        widget=forms.TextInput(attrs={"placeholder": "如 430903-20261130-000001"}),
    )
    query_code = forms.CharField(
        label="查询码",
        max_length=8,
        error_messages={"required": "请填写查询码。"},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
