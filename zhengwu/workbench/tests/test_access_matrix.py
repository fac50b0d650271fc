"""Row 8 of SECURITY.md §6: the function matrix (`zhengwu/config/access_matrix.yaml`) and 三员 confinement.

Every URL of the resolver must have an entry in the matrix (exactly, or through a glob such as
`admin:*`): an unlisted URL fails. For each role the test signs in once, walks every URL with one GET and
(outside the Django admin) one empty POST, and fails on any 2xx the matrix does not grant to that role.
All mismatches of a role are reported together. URL arguments come from a small fixture (one county,
one accepted case of a citizen, one 12345 ticket); an argument the fixture has no object for gets a
placeholder, so that cell only shows that the gate does not answer 2xx.

To see the cells as they are now (after adding URLs), run with ZHENGWU_MATRIX_OBSERVE=path.yaml: the test
writes what each role got and skips the assertions. Review every granted cell before copying it over.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import NoReverseMatch, reverse

from zhengwu.common.tests.resolver import resolver_urls
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

MATRIX_PATH = Path(__file__).resolve().parents[2] / "config" / "access_matrix.yaml"
ROLES = [
    "anonymous",
    "citizen",
    Role.WINDOW_CLERK.value,
    Role.APPROVER.value,
    Role.DEPT_HEAD.value,
    Role.SUPERVISOR.value,
    Role.ASSESSOR.value,
    Role.SYSTEM_ADMIN.value,
    Role.SECURITY_ADMIN.value,
    Role.AUDIT_ADMIN.value,
]
PLACEHOLDER = {"int": "999999", "str": "ZZ-NONE", "slug": "zz-none", "path": "zz-none"}


# -- the matrix -----------------------------------------------------------------------------------------


def load_matrix() -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, set[str]]]]:
    raw = yaml.safe_load(MATRIX_PATH.read_text(encoding="utf-8"))
    groups: dict[str, list[str]] = raw.get("groups", {})

    def roles_of(value: Any) -> set[str]:
        names = [value] if isinstance(value, str) else list(value or [])
        out: set[str] = set()
        for name in names:
            if name in groups:
                out |= set(groups[name])
            elif name in ROLES:
                out.add(name)
            else:
                raise AssertionError(f"access_matrix.yaml: unknown role or group {name!r}")
        return out

    exact: dict[str, dict[str, set[str]]] = {}
    globs: dict[str, dict[str, set[str]]] = {}
    for key, methods in raw["urls"].items():
        cell = {method.upper(): roles_of(value) for method, value in (methods or {}).items()}
        (globs if any(ch in key for ch in "*?[") else exact)[key] = cell
    return exact, globs


def entry_for(name: str, exact, globs) -> dict[str, set[str]] | None:
    if name in exact:
        return exact[name]
    for pattern, cell in globs.items():
        if fnmatch.fnmatchcase(name, pattern):
            return cell
    return None


def test_every_url_of_the_resolver_is_in_the_matrix():
    exact, globs = load_matrix()
    names = {row[0] for row in resolver_urls()}
    missing = sorted(name for name in names if entry_for(name, exact, globs) is None)
    stale = sorted(name for name in exact if name not in names)
    assert missing == [], f"URLs missing from access_matrix.yaml: {missing}"
    assert stale == [], f"access_matrix.yaml lists URLs the resolver does not have: {stale}"


def test_the_three_administrators_are_granted_no_case_content_and_only_the_audit_admin_audit():
    """The matrix itself keeps 三员: no admin on case, ticket or review screens; audit screens audit-only."""
    exact, globs = load_matrix()
    admins = {Role.SYSTEM_ADMIN.value, Role.SECURITY_ADMIN.value, Role.AUDIT_ADMIN.value}
    content = (
        "case",
        "ticket",
        "rectification",
        "card",
        "my_",
        "applicant",
        "guidancenotice",
        "axes_",
        "otp_",
    )
    leaks = []
    for name, _, _, _, _ in resolver_urls():
        cell = entry_for(name, exact, globs) or {}
        granted = set().union(*cell.values()) if cell else set()
        short = name.split(":")[-1]
        content_screen = any(word in short for word in content) or name.startswith("workbench:hotline_")
        if content_screen and granted & admins:
            leaks.append(f"{name}: {sorted(granted & admins)}")
        if ":audit" in name or short.startswith("audit"):
            others = granted - {Role.AUDIT_ADMIN.value}
            if others:
                leaks.append(f"{name}: {sorted(others)}")
    assert leaks == []


# -- the walk ----------------------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    from zhengwu.cases.tests.factories import accepted_case, make_citizen, make_county
    from zhengwu.hotline.tests.factories import make_hotline, make_ticket

    county = make_county()
    citizen = make_citizen()
    case = accepted_case(county, applicant=citizen.applicant)
    hotline = make_hotline(code="430902000000", name="资阳区")
    ticket = make_ticket(hotline)
    users = {
        "citizen": citizen,
        Role.WINDOW_CLERK.value: county.clerk,
        Role.APPROVER.value: county.approver,
        Role.DEPT_HEAD.value: county.head,
        Role.SUPERVISOR.value: county.supervisor,
    }
    for role in (Role.ASSESSOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        users[role.value] = UserFactory(department=county.department, roles=[role], scope=[county.region])
    clock = case.clocks.first() if hasattr(case, "clocks") else None
    values = {
        "number": case.number,
        "code": case.item.implementation_code,
        "action": "accept",
        "clock_id": str(clock.pk) if clock else PLACEHOLDER["int"],
        "kind": "legal",
    }
    per_prefix = {"hotline": {"number": ticket.number}, "ticket": {"number": ticket.number}}
    return {"users": users, "values": values, "per_prefix": per_prefix}


def _url(name: str, route: str, named: bool, converters: dict, groups: list[str], world) -> str:
    short = name.split(":")[-1]
    values = dict(world["values"])
    for prefix, override in world["per_prefix"].items():
        if short.startswith(prefix):
            values.update(override)
    kwargs = {}
    for arg in groups:
        converter = (
            type(converters.get(arg)).__name__.lower().replace("converter", "") if arg in converters else ""
        )
        kwargs[arg] = values.get(arg) or PLACEHOLDER.get(converter, "1")
    if named:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            pass
    path = route.replace("^", "").replace("$", "").replace("\\", "")
    for arg, value in kwargs.items():
        path = path.replace(f"<{arg}>", value)
    return "/" + path.lstrip("/").replace(".*", "zz-none")


def _sign_in(client, user) -> None:
    """As after the full sign-in: with a verified TOTP device where the accounts app asks for one."""
    try:
        from zhengwu.accounts.testing import login_verified
    except ImportError:
        client.force_login(user)
    else:
        login_verified(client, user)


def _walk_role(client, role: str, world) -> dict[tuple[str, str], int]:
    user = world["users"].get(role)
    client.raise_request_exception = False  # a 500 is recorded as a status, not a crash of the walk
    statuses: dict[tuple[str, str], int] = {}
    for name, route, named, converters, groups in resolver_urls():
        url = _url(name, route, named, converters, groups, world)
        methods = ["GET"] if name.startswith("admin:") else ["GET", "POST"]
        for method in methods:
            if user is not None and "_auth_user_id" not in client.session:
                _sign_in(client, user)
            response = client.generic(method, url)
            statuses[(name, method)] = response.status_code
    return statuses


@pytest.mark.parametrize("role", ROLES)
def test_no_role_gets_a_2xx_the_matrix_does_not_grant(client, world, role):
    exact, globs = load_matrix()
    statuses = _walk_role(client, role, world)
    observe = os.environ.get("ZHENGWU_MATRIX_OBSERVE")
    if observe:
        _append_observation(Path(observe), role, statuses)
        pytest.skip(f"observed {len(statuses)} cells into {observe}")
    leaks = []
    for (name, method), status in sorted(statuses.items()):
        cell = entry_for(name, exact, globs)
        if cell is None:
            continue  # reported by test_every_url_of_the_resolver_is_in_the_matrix
        if 200 <= status < 300 and role not in cell.get(method, set()):
            leaks.append(f"{method} {name} -> {status}")
    assert leaks == [], f"{role} got 2xx outside the matrix:\n" + "\n".join(leaks)


def _append_observation(path: Path, role: str, statuses: dict[tuple[str, str], int]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    for (name, method), status in statuses.items():
        data.setdefault(name, {}).setdefault(method, {})[role] = status
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
