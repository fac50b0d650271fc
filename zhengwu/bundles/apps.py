from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "zhengwu.bundles"
    label = "bundles"
    verbose_name = "一件事"

    def ready(self) -> None:
        from zhengwu.bundles.signals import advance_on_grant, record_finish
        from zhengwu.cases.signals import case_transitioned

        case_transitioned.connect(advance_on_grant, dispatch_uid="bundles-advance-on-grant")
        case_transitioned.connect(record_finish, dispatch_uid="bundles-record-finish")
