"""Organisation upkeep in the admin site, in Chinese, scoped, with personal data masked."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from zhengwu.accounts.forms import IssuedPasswordChangeForm
from zhengwu.accounts.services import password_issued
from zhengwu.domain.masking import mask_id_number, mask_name, mask_phone
from zhengwu.organization.choices import Role
from zhengwu.organization.models import (
    Applicant,
    DataScope,
    Department,
    Region,
    RoleAssignment,
    ServiceHall,
    User,
    Window,
)
from zhengwu.organization.selectors import department_scope_q, sees_everything


class RoleGatedAdmin(admin.ModelAdmin):
    """Access by our roles, not Django's model permissions: system admins edit, scoped roles read."""

    editor_roles: tuple[str, ...] = (Role.SYSTEM_ADMIN,)
    reader_roles: tuple[str, ...] = (Role.SYSTEM_ADMIN, Role.DEPT_HEAD)

    def _is(self, request, roles) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.has_role(*roles))

    def has_module_permission(self, request):
        return self._is(request, self.reader_roles)

    def has_view_permission(self, request, obj=None):
        return self._is(request, self.reader_roles)

    def has_add_permission(self, request):
        return self._is(request, self.editor_roles)

    def has_change_permission(self, request, obj=None):
        return self._is(request, self.editor_roles)

    def has_delete_permission(self, request, obj=None):
        return False  # organisations are deactivated, never deleted


@admin.register(Region)
class RegionAdmin(RoleGatedAdmin):
    list_display = ("name", "code", "official_code", "level", "parent", "is_functional_zone")
    list_filter = ("level", "is_functional_zone")
    search_fields = ("name", "code")
    readonly_fields = ("path",)
    list_select_related = ("parent",)


class ScopedAdmin(RoleGatedAdmin):
    department_path = "id"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        prefix = "" if self.department_path == "id" else f"{self.department_path}__"
        return qs.filter(department_scope_q(request.user, prefix=prefix))


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ("name", "region", "kind", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    filter_horizontal = ("departments",)


@admin.register(ServiceHall)
class ServiceHallAdmin(ScopedAdmin):
    department_path = "department"
    list_display = ("name", "department", "address", "opening_hours")
    list_select_related = ("department",)
    inlines = [WindowInline]


class ReadOnlyInline(admin.TabularInline):
    """Shown beside the account for reference; never written here (see UserAdmin)."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True  # shown only inside an account the user may view

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleInline(ReadOnlyInline):
    model = RoleAssignment
    fields = ("role",)
    readonly_fields = fields
    verbose_name_plural = "角色（由安全管理员分配）"


class ScopeInline(ReadOnlyInline):
    model = DataScope
    fields = ("region", "department", "include_descendants")
    readonly_fields = fields
    verbose_name_plural = "数据范围（由安全管理员分配）"


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ScopedAdmin):
    """Staff accounts: the system administrator's work (三员, SECURITY.md 8.1.4.2 d–g).

    The system administrator creates accounts, keeps their name, department and window, issues a
    password and activates or deactivates them. Roles and data scopes are the security administrator's,
    on their own screen (`accounts:grant_list`, audited `role.change` / `scope.change`): here they are
    shown read-only, and `is_staff`, `is_superuser`, groups and model permissions are not on the form at
    all (Django ignores posted fields that are not). Citizens' 网上办事 accounts are not staff accounts and
    are not listed.
    """

    department_path = "department"
    list_display = ("username", "masked_name", "department", "role_labels", "is_active")
    list_select_related = ("department",)
    list_filter = ("is_active", "roles__role")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "department", "window")}),
        ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    inlines = [RoleInline, ScopeInline]
    editor_roles = (Role.SYSTEM_ADMIN,)
    reader_roles = (Role.SYSTEM_ADMIN,)
    # A password an administrator sets (new account or reset) must be changed at first sign-in.
    change_password_form = IssuedPasswordChangeForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            password_issued(user=obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(applicant__isnull=True).prefetch_related("roles")
        return (
            qs
            if sees_everything(request.user)
            else qs.filter(department_scope_q(request.user, prefix="department__"))
        )

    @admin.display(description="姓名")
    def masked_name(self, obj):
        return mask_name(obj.full_name)

    @admin.display(description="角色")
    def role_labels(self, obj):
        return "、".join(r.get_role_display() for r in obj.roles.all())


@admin.register(Applicant)
class ApplicantAdmin(RoleGatedAdmin):
    list_display = ("masked_name", "kind", "masked_id", "masked_phone")
    list_filter = ("kind",)
    reader_roles = (Role.SYSTEM_ADMIN,)
    editor_roles = ()
    fields = ("kind", "masked_name", "masked_id", "masked_phone", "region")
    readonly_fields = ("masked_name", "masked_id", "masked_phone")

    @admin.display(description="姓名/名称")
    def masked_name(self, obj):
        return mask_name(obj.name) if obj.kind == "person" else obj.name

    @admin.display(description="证件号码")
    def masked_id(self, obj):
        return mask_id_number(obj.id_number) if obj.kind == "person" else obj.id_number

    @admin.display(description="联系电话")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)
