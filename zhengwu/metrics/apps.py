from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "zhengwu.metrics"
    label = "metrics"
    verbose_name = "效能指标"

    def ready(self) -> None:
        from zhengwu.bundles.signals import bundle_case_finished, bundle_case_submitted
        from zhengwu.cases.signals import card_changed, case_transitioned
        from zhengwu.metrics import recording

        case_transitioned.connect(recording.on_case_transition, dispatch_uid="metrics-case")
        card_changed.connect(recording.on_card, dispatch_uid="metrics-card")
        bundle_case_submitted.connect(recording.on_bundle_submitted, dispatch_uid="metrics-bundle-submitted")
        bundle_case_finished.connect(recording.on_bundle_finished, dispatch_uid="metrics-bundle-finished")
