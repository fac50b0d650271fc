"""Electronic certificates (电子证照): built from a granted case, signed through the crypto backend.

The signature covers a canonical JSON of the certificate's content (sorted keys, no spaces), so
anyone holding the public key can check that the content shown on the verification page is the
content that was signed. Verification needs only the verification code, never a login.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from zhengwu.cases.models import Case, Certificate
from zhengwu.common.crypto import get_backend
from zhengwu.common.errors import NotFound
from zhengwu.domain.masking import mask_id_number

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def certificate_build(*, case: Case, today: dt.date, valid_years: int | None = None) -> Certificate:
    """Create and sign the certificate of `case` (called by `case_issue_certificate` only)."""
    version = case.item_version
    title = version.result_name or f"{case.item.name}决定书"
    # Region + year of issue + the receipt date and daily sequence of the (unique) case number: the
    # sequence alone restarts every day, so it would repeat within a year.
    serial = "".join(ch for ch in case.number if ch.isdigit())[-14:]
    number = f"{case.region.code[:6]}{today:%Y}{serial}"
    valid_until = None
    if valid_years:
        try:
            valid_until = today.replace(year=today.year + valid_years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            valid_until = today.replace(year=today.year + valid_years, day=28)
    content = {
        "title": title,
        "number": number,
        "holder": case.applicant.name,
        "holder_kind": case.applicant.kind,
        "holder_id": case.applicant.id_number,
        "item": case.item.name,
        "case_number": case.number,
        "issuer": case.department.name,
        "issued_on": today.isoformat(),
        "valid_until": valid_until.isoformat() if valid_until else "",
        "decision": case.decision_reason,
    }
    backend = get_backend()
    data = canonical(content)
    stored = {key: value for key, value in content.items() if key != "holder_id"}
    return Certificate.objects.create(
        case=case,
        number=number,
        verification_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(12)),
        title=title,
        holder=case.applicant,
        issuer=case.department,
        issued_on=today,
        valid_until=valid_until,
        content=stored,  # the ID number is signed but stored encrypted, not in the JSON
        holder_id_number=content["holder_id"],
        content_digest=backend.digest(data),
        signature=backend.sign(data),
        signature_algorithm=backend.signature_algorithm,
        key_fingerprint=backend.public_key_fingerprint(),
    )


@dataclass(frozen=True)
class Verification:
    """What the public verification page shows: the content (ID masked), and whether it is genuine."""

    certificate: Certificate
    signature_valid: bool
    revoked: bool
    expired: bool
    public_content: dict[str, Any]

    @property
    def status_label(self) -> str:
        if not self.signature_valid:
            return "验证失败：证照内容与签名不符"
        if self.revoked:
            return f"已注销（{self.certificate.revoked_on}，{self.certificate.revoke_reason}）"
        if self.expired:
            return "已过有效期"
        return "有效"

    @property
    def is_valid(self) -> bool:
        return self.signature_valid and not self.revoked and not self.expired


def certificate_verify(*, code: str, today: dt.date) -> Verification:
    """Check a certificate by its verification code: signature, revocation and validity."""
    code = (code or "").strip().upper()
    certificate = (
        Certificate.objects.select_related("issuer", "case").filter(verification_code=code).first()
        if code
        else None
    )
    if certificate is None:
        raise NotFound("未找到该核验码对应的证照，请核对后重试。")
    valid = get_backend().verify(canonical(certificate.signed_content()), certificate.signature)
    public = certificate.signed_content()
    if public.get("holder_kind") == "person":  # USCCs of legal persons are public (DOMAIN §11)
        public["holder_id"] = mask_id_number(public.get("holder_id", ""))
    return Verification(
        certificate=certificate,
        signature_valid=valid,
        revoked=certificate.revoked_on is not None,
        expired=bool(certificate.valid_until and certificate.valid_until < today),
        public_content=public,
    )
