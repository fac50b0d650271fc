from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhengwu.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from zhengwu.audit import receivers

        receivers.connect()
