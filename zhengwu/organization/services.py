"""The write paths of organisation data."""

from __future__ import annotations

import base64
import re
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhengwu.audit.services import record
from zhengwu.common.errors import DomainError
from zhengwu.common.pii import ID_NUMBER, blind_index
from zhengwu.domain.identifiers import InvalidIdentifier, validate_id_number, validate_uscc
from zhengwu.organization.choices import ADMIN_ROLES, ApplicantKind, Role
from zhengwu.organization.models import Applicant, DataScope, Department, Region, RoleAssignment, User
from zhengwu.organization.selectors import citizen_get_by_phone

# The roles that maintain the catalogue and the organisation get the admin site (Django's is_staff).
ADMIN_SITE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.DEPT_HEAD})


def region_create(
    *,
    code: str,
    name: str,
    level: int,
    parent: Region | None = None,
    official_code: str = "",
    short_name: str = "",
    is_functional_zone: bool = False,
) -> Region:
    code = code.strip()
    if not code:
        raise DomainError("invalid", "区划代码不能为空。", {"code": ["区划代码不能为空。"]})
    if parent is not None and level <= parent.level:
        raise DomainError(
            "invalid", "下级区划的层级必须低于上级区划。", {"level": ["层级必须低于上级区划。"]}
        )
    if Region.objects.filter(code=code).exists():
        raise DomainError("duplicate", f"区划代码 {code} 已存在。", {"code": ["区划代码已存在。"]})
    return Region.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        official_code=official_code,
        short_name=short_name,
        is_functional_zone=is_functional_zone,
    )


def separation_of_duties_conflict(roles) -> str | None:
    """三权分立: the Chinese message if the roles hold two of the three administrator roles."""
    admins = set(roles) & ADMIN_ROLES
    if len(admins) > 1:
        labels = "、".join(Role(r).label for r in sorted(admins))
        return f"三权分立：同一账号不得同时担任{labels}。"
    return None


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str], actor: User | None = None) -> User:
    """Replace the user's roles. 三权分立: at most one of the three administrator roles. Audited as
    `role.change` (actor: `actor`, else the signed-in user of the request being served)."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise DomainError("invalid", f"未知角色：{'、'.join(sorted(unknown))}。", {"roles": ["角色无效。"]})
    conflict = separation_of_duties_conflict(roles)
    if conflict:
        raise DomainError("separation_of_duties", conflict, {"roles": [conflict]})
    before = sorted(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
    existing = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=r) for r in roles if r not in existing]
    )
    # The admin site is the catalogue and organisation editor: open it to the roles that maintain them.
    is_staff = bool(set(roles) & ADMIN_SITE_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_role_cache", None)
    after = sorted(set(roles))
    if after != before:
        record("role.change", actor=actor, obj=user, detail={"before": before, "after": after})
    return user


@transaction.atomic
def user_set_scope(
    *,
    user: User,
    regions: list[Region] = (),
    departments: list[Department] = (),
    include_descendants: bool = True,
    actor: User | None = None,
) -> User:
    """Replace the user's data scope with the given regions and departments. Audited as `scope.change`."""
    before = [
        str(scope) for scope in DataScope.objects.filter(user=user).select_related("region", "department")
    ]
    DataScope.objects.filter(user=user).delete()
    DataScope.objects.bulk_create(
        [DataScope(user=user, region=r, include_descendants=include_descendants) for r in regions]
        + [DataScope(user=user, department=d) for d in departments]
    )
    user.__dict__.pop("_scope_cache", None)
    record(
        "scope.change",
        actor=actor,
        obj=user,
        detail={
            "before": before,
            "regions": [region.code for region in regions],
            "departments": [department.pk for department in departments],
            "include_descendants": include_descendants,
        },
    )
    return user


def _check_identifier(kind: str, id_number: str, today):
    try:
        if kind == ApplicantKind.PERSON:
            return validate_id_number(id_number, today=today)
        return validate_uscc(id_number)
    except InvalidIdentifier as error:
        raise DomainError("invalid_identifier", error.message, {"id_number": [error.message]}) from error


@transaction.atomic
def applicant_register(
    *,
    kind: str,
    name: str,
    id_number: str,
    today,
    phone: str = "",
    address: str = "",
    legal_representative: str = "",
    region: Region | None = None,
) -> Applicant:
    """Find or create the applicant identified by a valid ID number or USCC."""
    if kind not in ApplicantKind.values:
        raise DomainError("invalid", "申请人类型无效。", {"kind": ["申请人类型应为自然人或法人。"]})
    if not name.strip():
        raise DomainError("invalid", "申请人姓名/名称不能为空。", {"name": ["不能为空。"]})
    check = _check_identifier(kind, id_number, today)
    # The identifier is encrypted at rest: find it by its blind index (the unique key with `kind`).
    applicant, created = Applicant.objects.get_or_create(
        kind=kind,
        id_number_index=blind_index(ID_NUMBER, check.value),
        defaults={
            "id_number": check.value,
            "name": name.strip(),
            "phone": phone,
            "address": address,
            "legal_representative": legal_representative,
            "region": region,
            "warnings": list(check.warnings),
        },
    )
    if not created and applicant.name != name.strip():
        raise DomainError(
            "identity_mismatch", "证件号码已登记为另一名称，请核对。", {"name": ["与已登记的名称不一致。"]}
        )
    return applicant


# ASCII digits only (`\d` would take ٣ or ３) and no trailing newline (`$` would allow one).
PHONE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")
# A citizen's username: "c" + 16 base32 characters (80 random bits). Citizens sign in with their mobile
# number, which is kept only in the encrypted `User.phone` (found by its blind index), so the username —
# copied into sessions, the audit trail and django-axes — says nothing about the person.
CITIZEN_USERNAME_RE = re.compile(r"^c[a-z2-7]{16}\Z")


def citizen_username_new() -> str:
    """A fresh opaque username for a citizen account (matches `CITIZEN_USERNAME_RE`)."""
    return "c" + base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def _phone_taken() -> DomainError:
    return DomainError("duplicate", "该手机号码已注册，请直接登录。", {"phone": ["该手机号码已注册。"]})


@transaction.atomic
def citizen_register(
    *, phone: str, password: str, name: str, id_number: str, today, kind: str = ApplicantKind.PERSON
) -> User:
    """A citizen's 网上办事 account, linked to one Applicant. The citizen signs in with the mobile number
    (`zhengwu.accounts.identity`); the username is opaque (`citizen_username_new`) and the number is
    stored only encrypted in `User.phone`, unique among citizen accounts through its blind index."""
    phone = (phone or "").strip()
    if not PHONE_RE.match(phone):
        raise DomainError("invalid", "手机号码格式不正确。", {"phone": ["应为 11 位大陆手机号码。"]})
    if citizen_get_by_phone(phone=phone) is not None:
        raise _phone_taken()
    applicant = applicant_register(kind=kind, name=name, id_number=id_number, today=today, phone=phone)
    if User.objects.filter(applicant=applicant).exists():
        raise DomainError("duplicate", "该证件已绑定其他账号。", {"id_number": ["该证件已绑定其他账号。"]})
    user = User(username=citizen_username_new(), full_name=applicant.name, phone=phone, applicant=applicant)
    try:  # with the account, so the password may contain neither the phone nor the ID number
        password_validation.validate_password(password, user=user)
    except ValidationError as bad:
        raise DomainError("invalid", "密码不符合要求。", {"password": list(bad.messages)}) from None
    user.set_password(password)
    try:
        with transaction.atomic():  # a savepoint: the same number registered at the same moment
            user.save()
    except IntegrityError:
        if citizen_get_by_phone(phone=phone) is not None:
            raise _phone_taken() from None
        raise
    return user
