from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "zhengwu.budget"
    label = "budget"
    verbose_name = "预算绩效"
