from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "zhengwu.guidance"
    label = "guidance"
    verbose_name = "智能导办"
