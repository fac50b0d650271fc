from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "zhengwu.hotline"
    label = "hotline"
    verbose_name = "12345热线"

    def ready(self) -> None:
        from zhengwu.hotline.metrics import providers
        from zhengwu.metrics.providers import register_provider

        for metric, provider in providers():  # 12345 metrics in the metric registry
            register_provider(metric, provider)
