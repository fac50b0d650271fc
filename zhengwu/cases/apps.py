from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhengwu.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from zhengwu.cases.signals import reproject_on_calendar_change
        from zhengwu.workdays.signals import calendar_changed

        calendar_changed.connect(reproject_on_calendar_change, dispatch_uid="cases-reproject")
