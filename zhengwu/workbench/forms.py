"""Input forms of the workbench: they check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms

from zhengwu.organization.choices import ApplicantKind


class IntakeForm(forms.Form):
    """综合受理: the applicant (and an optional agent) of a case received at the window."""

    kind = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="申请人姓名/名称", max_length=128)
    id_number = forms.CharField(
        label="证件号码", max_length=24, help_text="自然人填写居民身份证号码，法人填写统一社会信用代码。"
    )
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    legal_representative = forms.CharField(label="法定代表人", max_length=64, required=False)
    agent_name = forms.CharField(label="代办人姓名", max_length=64, required=False)
    agent_id_number = forms.CharField(label="代办人身份证号码", max_length=24, required=False)
    agent_phone = forms.CharField(label="代办人电话", max_length=32, required=False)

    APPLICANT_FIELDS = ("kind", "name", "id_number", "phone", "legal_representative")
    AGENT_FIELDS = ("agent_name", "agent_id_number", "agent_phone")

    def clean(self):
        data = super().clean()
        if (data.get("agent_id_number") or data.get("agent_phone")) and not data.get("agent_name"):
            self.add_error("agent_name", "填写代办人信息时须填写代办人姓名。")
        if data.get("agent_name") and not data.get("agent_id_number"):
            self.add_error("agent_id_number", "请填写代办人身份证号码。")
        return data

    def applicant_fields(self):
        return [self[name] for name in self.APPLICANT_FIELDS]

    def agent_fields(self):
        return [self[name] for name in self.AGENT_FIELDS]
