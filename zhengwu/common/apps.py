from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "zhengwu.common"
    label = "common"
    verbose_name = "公共"
