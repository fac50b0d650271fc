"""Choke points: the only way an interface app fetches a case or a file on behalf of a person."""

from __future__ import annotations

from zhengwu.cases.models import Case, Certificate, MaterialFile
from zhengwu.cases.selectors import case_get, certificate_list_for_holder
from zhengwu.common.errors import NotFound


def case_get_for_user(user, number: str) -> Case:
    """The case if the person may see it (staff scope or own application); otherwise 404."""
    return case_get(user=user, number=number)


def material_file_get_for_user(user, number: str, file_id: int) -> MaterialFile:
    """A material file of a case the person may see; 404 for anything else (existence not leaked)."""
    case = case_get_for_user(user, number)
    file = (
        MaterialFile.objects.select_related("case_material")
        .filter(pk=file_id, case_material__case=case)
        .first()
    )
    if file is None:
        raise NotFound("文件不存在或无权访问。")
    return file


def certificate_get_for_holder(user, number: str) -> Certificate:
    """A certificate by number if the person's applicant holds it; 404 for anything else."""
    certificate = certificate_list_for_holder(user=user).filter(number=number).first()
    if certificate is None:
        raise NotFound("证照不存在或不属于您。")
    return certificate
