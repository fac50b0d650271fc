from django.apps import AppConfig


class HallFiguresConfig(AppConfig):
    name = "zhengwu.hall_figures"
    label = "hall_figures"
    verbose_name = "大厅运行指标"

    def ready(self) -> None:
        from zhengwu.hall_figures.metrics import providers
        from zhengwu.metrics.providers import register_provider

        for metric, provider in providers():  # 大厅 metrics in the metric registry
            register_provider(metric, provider)
