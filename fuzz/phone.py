"""Fuzz target: every check a phone number passes through on its way in.

One text (UTF-8 as a browser sends it, undecodable bytes replaced) goes through

* the citizen registration rule (`organization.services.PHONE_RE`, 11-digit mainland mobile),
* the appointment check (`appointments.services._check_person`: separators and +86 removed),
* the citizen forms (`RegisterForm`, `ApplicationForm.contact_phone`, the 12345 `QuestionForm`),
* the blind index (`common.pii.normalise` / `blind_index`) and the display mask (`mask_phone`).

Only the documented refusals may escape: `DomainError` from the services, and Django's
`ValidationError`, which the forms collect (so `is_valid()` itself must never raise). A number the
registration rule accepts must be accepted by the appointment check and the forms too, keep its
11 digits in the blind index, and be masked as 138****5678.
"""

from __future__ import annotations

import atheris

from fuzz import engine

engine.django_setup()  # uninstrumented: Django and the apps it loads
with atheris.instrument_imports(include=["zhengwu"]):
    from zhengwu.appointments.services import _check_person
    from zhengwu.common import pii
    from zhengwu.common.errors import DomainError
    from zhengwu.domain.masking import mask_phone
    from zhengwu.organization.services import PHONE_RE
    from zhengwu.portal.forms import ApplicationForm, RegisterForm
    from zhengwu.portal.hotline_views import QuestionForm
engine.instrument_loaded("zhengwu.appointments.services", "zhengwu.common.pii", "zhengwu.domain.masking")


def test_one_input(data: bytes) -> None:
    phone = atheris.FuzzedDataProvider(data).ConsumeBytes(len(data)).decode("utf-8", errors="replace")
    registrable = bool(PHONE_RE.match(phone.strip()))

    try:
        _name, booked = _check_person("张三", phone)
    except DomainError as refused:
        assert refused.fields, refused
        booked = None

    register = RegisterForm(
        data={"phone": phone, "name": "张三", "id_number": "11010519491231002X", "password": "x" * 12}
    )
    register.is_valid()
    application = ApplicationForm(data={"contact_phone": phone, "description": "说明"}, submitting=True)
    application_ok = application.is_valid()
    question = QuestionForm(
        data={"title": "问题", "content": "内容", "caller_name": "张三", "caller_phone": phone}
    )
    question.is_valid()

    compact = pii.normalise(pii.PHONE, phone)
    index = pii.blind_index(pii.PHONE, phone)
    masked = mask_phone(phone)
    assert isinstance(masked, str) and isinstance(index, str)

    if registrable:
        number = phone.strip()
        assert booked == number, (phone, booked)
        assert "phone" not in register.errors, register.errors
        assert application_ok, application.errors
        assert compact == number, (phone, compact)
        assert masked == number[:3] + "****" + number[-4:], masked


if __name__ == "__main__":
    engine.main(test_one_input)
