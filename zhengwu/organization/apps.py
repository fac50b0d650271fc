from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "zhengwu.organization"
    label = "organization"
    verbose_name = "组织机构"
