"""Who the organisations and people are: regions, departments, halls, windows, staff, applicants."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from zhengwu.common.models import TimeStampedModel
from zhengwu.common.pii import ID_NUMBER, PHONE, BlindIndexField, EncryptedQuerySet, EncryptedTextField
from zhengwu.domain.masking import mask_phone
from zhengwu.organization.choices import ApplicantKind, DepartmentKind, RegionLevel, Role, WindowType


class Region(TimeStampedModel):
    """An administrative region (行政区划) in a tree stored as a materialised path.

    `code` is the 12-digit 统计用区划代码 (or an internal code for functional zones such as
    益阳高新区, which have no GB/T 2260 code and leave `official_code` empty). `path` is the chain of
    codes from the root, each followed by "/", so a subtree is one indexed prefix query.
    """

    code = models.CharField("区划代码", max_length=32, unique=True)
    official_code = models.CharField("国标代码(GB/T 2260)", max_length=12, blank=True)
    name = models.CharField("名称", max_length=64)
    short_name = models.CharField("简称", max_length=32, blank=True)
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=512, db_index=True, editable=False)
    is_functional_zone = models.BooleanField("功能区", default=False)
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="region_level_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split("/") if code]


class Department(TimeStampedModel):
    """A government body under a region: the approval bureau or a functional department."""

    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True)
    kind = models.CharField(
        "类型", max_length=32, choices=DepartmentKind.choices, default=DepartmentKind.DEPARTMENT
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    phone = models.CharField("咨询电话", max_length=64, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=64, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_per_region"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceHall(TimeStampedModel):
    """A 政务服务大厅 run by an approval bureau (or a department's own hall)."""

    department = models.ForeignKey(
        Department, verbose_name="管理部门", on_delete=models.PROTECT, related_name="halls"
    )
    name = models.CharField("名称", max_length=128)
    address = models.CharField("地址", max_length=255)
    opening_hours = models.CharField("办公时间", max_length=255, blank=True)
    phone = models.CharField("咨询电话", max_length=64, blank=True)
    traffic_guide = models.CharField("交通指引", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政务服务大厅"
        ordering = ["department__region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="hall_unique_name_per_department"),
        ]

    def __str__(self) -> str:
        return self.name


class Window(TimeStampedModel):
    """A service window of a hall; a comprehensive window accepts for several departments."""

    hall = models.ForeignKey(
        ServiceHall, verbose_name="所属大厅", on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField("窗口号", max_length=16)
    name = models.CharField("名称", max_length=64)
    window_type = models.CharField("窗口类型", max_length=32, choices=WindowType.choices)
    departments = models.ManyToManyField(
        Department, verbose_name="受理部门", blank=True, related_name="windows"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "窗口"
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_unique_number_per_hall"),
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.name}"


class User(AbstractUser):
    """An account. Staff have roles and a data scope; a citizen's account (网上办事) links an Applicant
    and has neither, so it sees nothing of the workbench.

    A citizen signs in with the mobile number, which lives only in the encrypted `phone` (unique among
    citizen accounts through `phone_index`); the citizen's `username` is an opaque generated id
    (`organization.services.citizen_username_new`), so no table holds the number in plaintext.
    """

    full_name = models.CharField("姓名", max_length=64, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="所在部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    window = models.ForeignKey(
        Window,
        verbose_name="所在窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    phone = EncryptedTextField("手机号码", max_length=32, blank=True)
    phone_index = BlindIndexField(source="phone", kind=PHONE)
    applicant = models.OneToOneField(
        "Applicant",
        verbose_name="申请人（网上办事账号）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"
        ordering = ["username"]
        constraints = [
            # One citizen account per mobile number: the number is how a citizen signs in.
            models.UniqueConstraint(
                fields=["phone_index"],
                condition=models.Q(applicant__isnull=False) & ~models.Q(phone_index=""),
                name="user_citizen_unique_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def account_label(self) -> str:
        """How staff pages name the account: a citizen by the masked mobile number (the username is an
        opaque id), anybody else by the username."""
        if self.applicant_id and self.phone:
            return mask_phone(self.phone)
        return self.username

    @property
    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))


class RoleAssignment(TimeStampedModel):
    """One role held by one staff member (三员 are mutually exclusive: checked by the service, enforced by a
    partial unique constraint)."""

    user = models.ForeignKey(User, verbose_name="工作人员", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "角色分配"
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            # 三权分立 in the database: at most one of the three administrator roles per account.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role__in=["system_admin", "security_admin", "audit_admin"]),
                name="role_assignment_one_admin_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class DataScope(TimeStampedModel):
    """A region or a department whose data a staff member may see.

    A region grants every department of that region and, with `include_descendants`, of every
    region below it; a department grants that department alone.
    """

    user = models.ForeignKey(User, verbose_name="工作人员", on_delete=models.CASCADE, related_name="scopes")
    region = models.ForeignKey(Region, verbose_name="区划", null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.CASCADE
    )
    include_descendants = models.BooleanField("含下级区划", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据范围"
        ordering = ["user", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, department__isnull=True)
                    | models.Q(region__isnull=True, department__isnull=False)
                ),
                name="data_scope_region_xor_department",
            ),
        ]

    def __str__(self) -> str:
        return str(self.region or self.department)


class Applicant(TimeStampedModel):
    """A natural person (居民身份证) or a legal person (统一社会信用代码) who applies for services.

    The identifier is validated by `zhengwu.domain.identifiers`; it is shown masked everywhere. The
    identifier and the phone are encrypted at rest (`zhengwu.common.pii`); find an applicant by them
    with `Applicant.objects.by_id_number(value)` / `.by_phone(value)` (blind indexes).
    """

    kind = models.CharField("申请人类型", max_length=16, choices=ApplicantKind.choices)
    name = models.CharField("姓名/名称", max_length=128)
    id_number = EncryptedTextField("证件号码", max_length=18)
    id_number_index = BlindIndexField(source="id_number", kind=ID_NUMBER)
    phone = EncryptedTextField("联系电话", max_length=32, blank=True)
    phone_index = BlindIndexField(source="phone", kind=PHONE)
    address = models.CharField("地址", max_length=255, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", null=True, blank=True, on_delete=models.PROTECT
    )
    warnings = models.JSONField("校验提示", default=list, blank=True)
    false_commitment_on = models.DateField(
        "虚假承诺记录日期", null=True, blank=True, help_text="有记录者不再适用告知承诺制和容缺受理。"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "申请人"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "id_number_index"], name="applicant_unique_identifier_index"
            ),
        ]

    def __str__(self) -> str:
        return self.name
