from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "zhengwu.queueing"
    label = "queueing"
    verbose_name = "大厅取号叫号"
