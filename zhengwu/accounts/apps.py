from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhengwu.accounts"
    label = "accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from zhengwu.accounts import receivers  # noqa: F401  (connects the signal receivers)
