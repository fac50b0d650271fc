from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "zhengwu.guidance"
    label = "guidance"
    verbose_name = "智能导办"

    def ready(self) -> None:
        from zhengwu.catalog.signals import version_copied, version_publishing

        version_publishing.connect(_check_before_publish, dispatch_uid="guidance-check")
        version_copied.connect(_copy_into_change, dispatch_uid="guidance-copy")


def _check_before_publish(sender, version, **kwargs) -> None:
    from zhengwu.guidance.services import guidance_check

    guidance_check(version=version)


def _copy_into_change(sender, source, target, **kwargs) -> None:
    from zhengwu.guidance.services import guidance_copy

    guidance_copy(source=source, target=target)
