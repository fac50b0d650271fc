"""Reads of assessment data, always through the caller's role and data scope.

Assessed units: a region run ranks the county-level regions (区县 and functional zones, level 3) that
the viewer's region scope covers (every one for the system administrator); a department run ranks
the departments of the viewer's scope (`metrics.selectors.units_for`). `units_for(kind="region")`
itself lists the children of the viewer's top region, which is the city for a superuser and the
townships for a county assessor, so region runs select the county level here.

A run is visible to a viewer when every unit it ranks is in the viewer's units; a manual entry when
its unit is. A foreign object answers NotFound, exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models import QuerySet

from zhengwu.assessment import permissions
from zhengwu.assessment.choices import UnitKind
from zhengwu.assessment.facts import ZONE
from zhengwu.assessment.models import Evaluation, EvidenceFile, ManualEntry, Scheme
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.metrics.selectors import Unit, region_unit, units_for
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.models import Region
from zhengwu.organization.selectors import region_scope_q, sees_everything


def assessed_units(*, user, kind: str) -> list[Unit]:
    """The units a run of this kind ranks for the viewer (see the module docstring)."""
    if kind == UnitKind.REGION:
        if not user.is_authenticated or getattr(user, "applicant_id", None):
            return []
        qs = Region.objects.filter(level=RegionLevel.COUNTY)
        if not sees_everything(user):
            qs = qs.filter(region_scope_q(user))
        return [
            replace(region_unit(r), unit_type=ZONE if r.is_functional_zone else "县区")
            for r in qs.order_by("code")
        ]
    if kind == UnitKind.DEPARTMENT:
        return units_for(user=user, kind="department")
    raise DomainError(
        "invalid_unit_kind",
        f"参评单位类别“{kind}”无效，可选：region（区县）、department（部门）。",
        {"units": ["可选 region 或 department"]},
    )


def visible_unit_keys(*, user, kind: str) -> set[str]:
    return {u.key for u in assessed_units(user=user, kind=kind)}


# -- schemes ----------------------------------------------------------------------------------------


def scheme_list(*, user, include_inactive: bool = False) -> QuerySet[Scheme]:
    permissions.require_view(user)
    qs = Scheme.objects.select_related("created_by")
    return qs if include_inactive else qs.filter(active=True)


def scheme_get(*, user, code: str, version: str | None = None) -> Scheme:
    """A scheme version (the active one of the code when no version is given)."""
    permissions.require_view(user)
    qs = Scheme.objects.filter(code=code)
    scheme = qs.filter(version=version).first() if version else qs.filter(active=True).first()
    if scheme is None:
        raise NotFound(f"考核方案“{code}”{f'版本“{version}”' if version else ''}不存在。")
    return scheme


def scheme_versions(code: str) -> QuerySet[Scheme]:
    return Scheme.objects.filter(code=code).select_related("created_by").order_by("-revision")


# -- evaluations ------------------------------------------------------------------------------------


def _visible(evaluation: Evaluation, keys: dict[str, set[str]], user) -> bool:
    if sees_everything(user):
        return True
    return set(evaluation.unit_keys) <= keys[evaluation.unit_kind]


def evaluation_list(*, user, status: str = "") -> list[Evaluation]:
    """The runs the viewer may see, newest first."""
    permissions.require_view(user)
    qs = Evaluation.objects.select_related("scheme", "created_by", "published_by").defer(
        "results", "rules", "comparison"
    )
    if status:
        qs = qs.filter(status=status)
    rows = list(qs)
    if sees_everything(user):
        return rows
    keys = {kind: visible_unit_keys(user=user, kind=kind) for kind in {e.unit_kind for e in rows}}
    return [e for e in rows if _visible(e, keys, user)]


def evaluation_get_for_user(user, pk: int) -> Evaluation:
    """One run the viewer may see, else NotFound."""
    permissions.require_view(user)
    evaluation = (
        Evaluation.objects.select_related("scheme", "created_by", "published_by", "previous")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise NotFound("考核结果不存在或不在您的数据范围内。")
    if not sees_everything(user):
        keys = {evaluation.unit_kind: visible_unit_keys(user=user, kind=evaluation.unit_kind)}
        if not _visible(evaluation, keys, user):
            raise NotFound("考核结果不存在或不在您的数据范围内。")
    return evaluation


# -- manual entries ---------------------------------------------------------------------------------


def manual_entry_list(
    *, user, status: str = "", scheme_code: str = "", period: str = ""
) -> list[ManualEntry]:
    """The manual entries of the units in the viewer's scope, newest first."""
    permissions.require_view(user)
    qs = ManualEntry.objects.select_related("entered_by", "reviewed_by").prefetch_related("files")
    if status:
        qs = qs.filter(status=status)
    if scheme_code:
        qs = qs.filter(scheme_code=scheme_code)
    if period:
        qs = qs.filter(period=period)
    if sees_everything(user):
        return list(qs)
    regions = {u.pk for u in assessed_units(user=user, kind=UnitKind.REGION)}
    departments = {u.pk for u in assessed_units(user=user, kind=UnitKind.DEPARTMENT)}
    region_rows = qs.filter(unit_kind=UnitKind.REGION, unit_id__in=regions)
    department_rows = qs.filter(unit_kind=UnitKind.DEPARTMENT, unit_id__in=departments)
    return sorted([*region_rows, *department_rows], key=lambda e: (e.created_at, e.pk), reverse=True)


def manual_entry_get_for_user(user, pk: int) -> ManualEntry:
    permissions.require_view(user)
    entry = (
        ManualEntry.objects.select_related("entered_by", "reviewed_by")
        .prefetch_related("files")
        .filter(pk=pk)
        .first()
    )
    if entry is None or not (
        sees_everything(user)
        or entry.unit_id in {u.pk for u in assessed_units(user=user, kind=entry.unit_kind)}
    ):
        raise NotFound("人工录入不存在或不在您的数据范围内。")
    return entry


def evidence_file_get_for_user(user, file_id: int) -> EvidenceFile:
    """An evidence file of an entry the viewer may see, else NotFound."""
    stored = EvidenceFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise NotFound("文件不存在或不在您的数据范围内。")
    manual_entry_get_for_user(user, stored.entry_id)
    return stored
