from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "zhengwu.reviews"
    label = "reviews"
    verbose_name = "好差评"

    def ready(self) -> None:
        from zhengwu.cases.signals import case_transitioned
        from zhengwu.reviews import services

        case_transitioned.connect(services.on_case_transition, dispatch_uid="reviews-invitation")

        from zhengwu.metrics.providers import register_provider
        from zhengwu.reviews.metrics import providers

        for metric, provider in providers():  # 好差评 metrics in the metric registry
            register_provider(metric, provider)
