from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "zhengwu.bundles"
    label = "bundles"
    verbose_name = "一件事"
