from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zhengwu.assessment"
    label = "assessment"
    verbose_name = "考核"
